import { describe, expect, it } from 'vitest';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readStream, useNatsServer } from './helpers/nats-server.js';
import { liveIO, waitFor } from './helpers/live-io.js';
import { main } from '../src/cli.js';
import { createEvent, EVENT_TYPES, type NixforgeEvent } from '../src/events/envelope.js';
import { openEventSink } from '../src/events/sink.js';

const suite = useNatsServer();

describe('nixforge events replay', () => {
  it('publishes a log once; replaying it twice adds nothing', async () => {
    const log = join(suite.work, 'run.ndjson');
    const sink = await openEventSink({ events: log, env: {}, cwd: suite.work });
    const started = createEvent({ type: EVENT_TYPES.scanStarted, subject: 'nixpkgs.lib', data: { repository: 'nixpkgs.lib' } });
    await sink.publish(started);
    for (let i = 0; i < 500; i++) {
      await sink.publish(
        createEvent({ type: EVENT_TYPES.scanFinding, subject: `nixpkgs.lib/f${i}.nix`, data: { i }, correlationId: started.id, causationId: started.id }),
      );
    }
    await sink.close();

    const first = liveIO(suite.work);
    expect(await main(['events', 'replay', 'run.ndjson', '--nats', suite.server.url], first)).toBe(0);
    expect(first.err()).toContain(`events: 501 published, 0 duplicates, 0 failed -> ${suite.server.url}`);

    for (let round = 0; round < 2; round++) {
      const again = liveIO(suite.work);
      expect(await main(['events', 'replay', log, '--nats', suite.server.url], again)).toBe(0);
      expect(again.err()).toContain('events: 0 published, 501 duplicates, 0 failed');
    }

    const stored = await readStream(suite.server.url, 'NIXFORGE_SCAN');
    const mine = stored.filter((m) => m.subject.endsWith('.nixpkgs=2Elib'));
    expect(mine).toHaveLength(501);
    expect(mine[0]!.body).toEqual(started);
  });

  it('reports invalid lines by file and line, publishes the rest and exits 2', async () => {
    const good = createEvent({ type: EVENT_TYPES.gitNixFilesChanged, subject: 'repo', data: { commit: 'abc' } });
    const { id: _id, ...missingId } = createEvent({ type: EVENT_TYPES.gitNixFilesChanged, subject: 'repo', data: {} });
    await writeFile(join(suite.work, 'bad.ndjson'), ['{not json', JSON.stringify(missingId), '', JSON.stringify(good)].join('\n') + '\n');
    const io = liveIO(suite.work);
    expect(await main(['events', 'replay', 'bad.ndjson', '--nats', suite.server.url], io)).toBe(2);
    expect(io.err()).toMatch(/^bad\.ndjson:1: not JSON/m);
    expect(io.err()).toContain(`bad.ndjson:2: id: missing (expected a non-empty string (CloudEvents requires it))`);
    expect(io.err()).toContain('events: 1 published, 0 duplicates, 0 failed');
    const stored = await readStream(suite.server.url, 'NIXFORGE_GIT');
    expect(stored.map((m) => m.body)).toEqual([good]);
  });

  it('exits 2 with a clear message for a missing file, a missing URL and an unreachable server', async () => {
    const missing = liveIO(suite.work);
    expect(await main(['events', 'replay', 'nope.ndjson', '--nats', suite.server.url], missing)).toBe(2);
    expect(missing.err()).toContain('cannot read the event log');
    const noUrl = liveIO(suite.work);
    expect(await main(['events', 'replay', 'run.ndjson'], noUrl)).toBe(2);
    expect(noUrl.err()).toContain('--nats URL is required');
    const down = liveIO(suite.work);
    expect(await main(['events', 'replay', 'run.ndjson', '--nats', 'nats://127.0.0.1:1'], down)).toBe(2);
    expect(down.err()).toContain('cannot reach the NATS server at nats://127.0.0.1:1');
    const unknown = liveIO(suite.work);
    expect(await main(['events', 'rewind'], unknown)).toBe(2);
    expect(unknown.err()).toContain(`unknown action 'rewind'`);
  });
});

describe('nixforge events tail', () => {
  it('prints matching events as they arrive and stops when aborted', async () => {
    const controller = new AbortController();
    const io = liveIO(suite.work, { signal: controller.signal });
    const tailing = main(['events', 'tail', '--nats', suite.server.url, '--subject', 'nixforge.git.>'], io);
    await waitFor(() => io.err().includes('listening on nixforge.git.>'), 'the tail to subscribe');

    const sink = await openEventSink({ nats: suite.server.url, env: {}, cwd: suite.work });
    const wanted = createEvent({ type: EVENT_TYPES.gitFlakeLockUpdated, subject: 'repo', data: { input: 'nixpkgs' } });
    await sink.publish(createEvent({ type: EVENT_TYPES.scanStarted, subject: 'repo', data: {} }));
    await sink.publish(wanted);
    await sink.publish(wanted); // a repeated copy: JetStream drops it, and so does tail
    const last = createEvent({ type: EVENT_TYPES.gitNixFilesChanged, subject: 'repo', data: { commit: 'c0ffee' } });
    await sink.publish(last);
    expect(await sink.close()).toMatchObject({ published: 3, duplicates: 1 });

    // Messages of one connection arrive in order, so once the last one is printed the copy has been seen too.
    await waitFor(() => io.out().includes(last.id), 'the events to be printed');
    controller.abort();
    expect(await tailing).toBe(0);
    const lines = io.out().trim().split('\n');
    expect(lines.map((line) => JSON.parse(line) as NixforgeEvent)).toEqual([wanted, last]);
  });

  it('rejects a malformed subject', async () => {
    const io = liveIO(suite.work);
    expect(await main(['events', 'tail', '--nats', suite.server.url, '--subject', 'nixforge..x'], io)).toBe(2);
    expect(io.err()).toContain(`--subject: 'nixforge..x' is not a NATS subject`);
  });
});
