import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { runCli } from './helpers/cli.js';
import { readStream, startNatsServer, type NatsServerHandle } from './helpers/nats-server.js';
import { FixtureRepo, flakeLock, hasGit } from './history-fixture.js';
import { openReadModels } from '../src/events/kv.js';

describe.skipIf(!hasGit)('nixforge history with NATS', () => {
  let server: NatsServerHandle;
  const repo = hasGit ? new FixtureRepo() : (undefined as unknown as FixtureRepo);

  beforeAll(async () => {
    server = await startNatsServer();
  });
  afterAll(async () => {
    await server?.dispose();
    repo?.dispose();
  });

  it('publishes the events to JetStream and keeps the cursor in KV, so a rerun publishes only new commits', async () => {
    repo.write({ 'a.nix': '1\n', 'flake.lock': flakeLock({ nixpkgs: { rev: 'a'.repeat(40), lastModified: 1_700_000_000 } }) });
    const first = repo.commit('one');
    repo.write({ 'a.nix': '2\n' });
    const second = repo.commit('two');
    const env = { ...process.env, NIXFORGE_EVENTS: 'off' };

    const run = await runCli(['history', '--nats', server.url, '--format', 'json'], repo.dir, { env });
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(`events: 3 published, 0 duplicates, 0 failed -> ${server.url}`);
    const stored = await readStream(server.url, 'NIXFORGE_GIT');
    expect(stored.map((message) => (message.body as { type: string }).type)).toEqual([
      'nixforge.git.nixfiles.changed',
      'nixforge.git.flakelock.updated',
      'nixforge.git.nixfiles.changed',
    ]);
    expect(stored.map((message) => (message.body as { data: { commit: string } }).data.commit)).toEqual([first, first, second]);
    expect(stored[0]!.subject).toBe(`nixforge.git.nixfiles.changed.${basename(repo.dir).replace(/[^A-Za-z0-9_-]/g, '')}`);
    // With NATS the cursor lives in KV, not in the repository.
    expect(existsSync(join(repo.dir, '.nixforge', 'history-state.json'))).toBe(false);
    const models = await openReadModels(server.url);
    try {
      expect(await models.getHistoryCursor(`${basename(repo.dir)}:refs/heads/main`)).toBe(second);
    } finally {
      await models.close();
    }

    repo.write({ 'b.nix': '3\n' });
    const third = repo.commit('three');
    const rerun = await runCli(['history', '--nats', server.url, '--format', 'ndjson'], repo.dir, { env });
    expect(rerun.code).toBe(0);
    expect(rerun.stderr).toContain(`resuming after ${second.slice(0, 12)} (from NATS KV at ${server.url})`);
    const published = rerun.stdout.trim().split('\n').map((line) => JSON.parse(line) as { data: { commit: string } });
    expect(published.map((event) => event.data.commit)).toEqual([third]);
    expect((await readStream(server.url, 'NIXFORGE_GIT')).length).toBe(4);
  });
});
