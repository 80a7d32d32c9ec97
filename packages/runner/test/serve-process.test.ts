import { describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderTopology, topologyFromSnapshot, type TopologyNode, type TopologySnapshot } from '@nixforge/templates';
import { readStream, useNatsServer } from './helpers/nats-server.js';
import { waitFor } from './helpers/live-io.js';
import { appliedSequence, generatedFiles } from './helpers/serve-output.js';
import { createEvent, type NixforgeEvent } from '../src/events/envelope.js';
import { openEventSink } from '../src/events/sink.js';

const BIN = fileURLToPath(new URL('../bin/nixforge.js', import.meta.url));
const DIST_CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

const suite = useNatsServer();

interface ServeProcess {
  child: ChildProcess;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function startServe(out: string): ServeProcess {
  const child = spawn(process.execPath, [BIN, 'serve', '--nats', suite.server.url, '--out', out], { stdio: ['ignore', 'ignore', 'pipe'] });
  const chunks: Buffer[] = [];
  child.stderr!.on('data', (chunk: Buffer) => chunks.push(chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  return { child, stderr: () => Buffer.concat(chunks).toString('utf8'), exited };
}

const defaults: TopologySnapshot['defaults'] = { system: 'x86_64-linux', stateVersion: '24.11', timeZone: 'UTC' };
const node = (i: number): TopologyNode => ({ name: `n${i}`, role: 'server', interfaces: [{ name: 'eth0', addresses: [`10.${i}.0.1/24`] }] });

describe.skipIf(!existsSync(DIST_CLI))('nixforge serve as a process (needs the built dist/)', () => {
  it('resumes after being killed mid-stream, stops cleanly on SIGTERM, and publishes each host file once', async () => {
    const out = join(suite.work, 'out');
    const nodes = 60;
    const first = startServe(out);
    await waitFor(() => first.stderr().includes('serve: consuming'), 'the service to start');

    const sink = await openEventSink({ nats: suite.server.url, env: {}, cwd: suite.work });
    const created = createEvent({ type: 'nixforge.topology.TopologyCreated', subject: 'farm', data: { name: 'farm', domain: 'farm.example', defaults } });
    await sink.publish(created);
    for (let i = 0; i < nodes; i++) {
      await sink.publish(createEvent({ type: 'nixforge.topology.NodeAdded', subject: 'farm', data: { node: node(i) }, correlationId: created.id, causationId: created.id }));
    }
    expect((await sink.close()).published).toBe(nodes + 1);

    await waitFor(async () => (await appliedSequence(out)) >= 15, 'some events to be applied');
    first.child.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');
    const appliedAtCrash = await appliedSequence(out);
    expect(appliedAtCrash).toBeLessThan(nodes + 1);

    const second = startServe(out);
    await waitFor(async () => (await appliedSequence(out)) === nodes + 1, 'the rest to be applied', 40_000);
    second.child.kill('SIGTERM');
    expect(await second.exited).toEqual({ code: 0, signal: null });
    expect(second.stderr()).toContain(`serve: stopped after ${nodes + 1 - appliedAtCrash} applied and 0 rejected event(s); last stream message #${nodes + 1}`);

    const expected: TopologySnapshot = { name: 'farm', domain: 'farm.example', defaults, nodes: Array.from({ length: nodes }, (_, i) => node(i)) };
    const want = renderTopology(topologyFromSnapshot(expected));
    const got = await generatedFiles(out);
    expect([...got.keys()].sort()).toEqual(want.map((file) => file.path));
    for (const file of want) expect(got.get(file.path), file.path).toBe(file.content);

    const configs = (await readStream(suite.server.url, 'NIXFORGE_GENERATE')).map((m) => m.body as NixforgeEvent<{ path: string }>);
    const perHost = new Map<string, number>();
    for (const config of configs) if (config.data.path.startsWith('hosts/')) perHost.set(config.data.path, (perHost.get(config.data.path) ?? 0) + 1);
    expect(perHost.size).toBe(nodes);
    expect([...perHost.values()].every((count) => count === 1)).toBe(true);
  });
});
