import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { useNatsServer } from './helpers/nats-server.js';
import { waitFor } from './helpers/live-io.js';
import { makeTree } from './helpers/cli.js';
import { DISTRIBUTED_PLUGIN, WorkerFleet, runCliProcess, sampleTree, startCli } from './helpers/distributed.js';

// Short ack waits and few deliveries keep every fault a matter of seconds.
const ENV = { NIXFORGE_WORK_ACK_WAIT: '1s', NIXFORGE_WORK_MAX_DELIVER: '2', NIXFORGE_WORK_BATCH: '4', NIXFORGE_TEST_SLOW_MS: '400' };
const PLUGIN = ['--plugin', DISTRIBUTED_PLUGIN];

async function workMessages(url: string): Promise<number> {
  const connection = await connect({ servers: url });
  try {
    return (await (await jetstreamManager(connection)).streams.info('NIXFORGE_WORK')).state.messages;
  } finally {
    await connection.close();
  }
}

function localScan(root: string, args: string[] = []) {
  return runCliProcess(['scan', '.', '--no-events', '-f', 'json', ...PLUGIN, ...args], { cwd: root, env: ENV });
}

describe('distributed scan faults (real nats-server, real worker processes)', () => {
  const suite = useNatsServer();
  let fleet: WorkerFleet | undefined;
  afterEach(async () => {
    await fleet?.stop();
    fleet = undefined;
  });

  it('a worker killed mid-item: its item is redelivered after the ack wait and the report equals a local scan', async () => {
    const notes = mkdtempSync(join(tmpdir(), 'nixforge-notes-'));
    const root = makeTree(sampleTree(48, { 5: 'slow', 17: 'slow', 29: 'slow', 41: 'slow' }));
    const env = { ...ENV, NIXFORGE_TEST_NOTES: notes };
    fleet = new WorkerFleet(suite.server.url, { cwd: root, env, args: PLUGIN });
    const [a, b] = [fleet.start('a'), fleet.start('b')];
    await fleet.ready();
    const coordinator = startCli(['scan', '.', '--distributed', '--nats', suite.server.url, '--no-events', '-f', 'json', ...PLUGIN], { cwd: root, env });
    await waitFor(() => readdirSync(notes).length > 0, 'a worker to be busy on a slow file');
    const busyPid = Number(readdirSync(notes)[0]!.slice('busy-'.length));
    const victim = [a, b].find((w) => w.pid === busyPid)!;
    expect(victim).toBeDefined();
    victim.child.kill('SIGKILL');
    const { code } = await coordinator.exited;
    const local = await localScan(root);
    expect(coordinator.stderr()).not.toMatch(/internal error/);
    expect(code).toBe(local.code);
    expect(coordinator.stdout()).toBe(local.stdout);
    const report = JSON.parse(coordinator.stdout()) as { summary: { files: number; byRule: Record<string, number> } };
    expect(report.summary.files).toBe(48);
    expect(report.summary.byRule['distributed-test/slow']).toBe(4);
    // The killed worker held the item; the survivor finished it.
    expect(fleet.deaths).toBe(1);
  });

  it('a file that kills every worker that takes it is reported as worker-crash after bounded deliveries; the run completes', async () => {
    const root = makeTree(sampleTree(12, { 6: 'kill-worker' }));
    fleet = new WorkerFleet(suite.server.url, { cwd: root, env: ENV, args: PLUGIN, respawn: true });
    fleet.start('a');
    fleet.start('b');
    await fleet.ready();
    const run = await runCliProcess(['scan', '.', '--distributed', '--nats', suite.server.url, '--no-events', '-f', 'json', ...PLUGIN], { cwd: root, env: ENV });
    expect(run.code).toBe(2);
    const report = JSON.parse(run.stdout) as { files: Array<{ path: string; error?: { code: string; message: string } }> };
    const crashed = report.files.filter((f) => f.error);
    expect(crashed.map((f) => [f.path, f.error!.code])).toEqual([['pkgs/p006/default.nix', 'worker-crash']]);
    expect(crashed[0]!.error!.message).toMatch(/delivered 2 times/);
    // Every other file is exactly what a local scan (with the killing rule off) reports.
    const local = JSON.parse((await localScan(root, ['--rule', 'distributed-test/kills-process=off'])).stdout) as { files: Array<{ path: string }> };
    expect(report.files.filter((f) => !f.error)).toEqual(local.files.filter((f) => f.path !== 'pkgs/p006/default.nix'));
    expect(run.stderr).toMatch(/retrying its files one by one/);
    // The batch holding it killed 2 workers, then the file alone killed 2 more.
    expect(fleet.deaths).toBe(4);
  });

  it('the server restarted mid-run: the run completes with every finding exactly once', async () => {
    const notes = mkdtempSync(join(tmpdir(), 'nixforge-notes-'));
    const marked: Record<number, string> = {};
    for (let i = 0; i < 40; i += 4) marked[i] = 'slow';
    const root = makeTree(sampleTree(40, marked));
    const env = { ...ENV, NIXFORGE_TEST_NOTES: notes, NIXFORGE_TEST_SLOW_MS: '250' };
    fleet = new WorkerFleet(suite.server.url, { cwd: root, env, args: PLUGIN });
    fleet.start('a');
    fleet.start('b');
    await fleet.ready();
    const coordinator = startCli(['scan', '.', '--distributed', '--nats', suite.server.url, '--no-events', '-f', 'json', ...PLUGIN], { cwd: root, env });
    await waitFor(() => readdirSync(notes).length > 0, 'work to be under way');
    await suite.server.restart();
    const { code } = await coordinator.exited;
    const local = await localScan(root);
    expect(code).toBe(local.code);
    expect(coordinator.stdout()).toBe(local.stdout);
    expect(fleet.deaths).toBe(0);
  });

  it('no worker at all: --worker-timeout, exit 2, no report, no items left in the stream', async () => {
    const root = makeTree(sampleTree(6));
    const run = await runCliProcess(['scan', '.', '--distributed', '--nats', suite.server.url, '--worker-timeout', '1s', '--no-events', '-f', 'json', '-o', 'report.json'], {
      cwd: root,
      env: ENV,
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("nixforge scan: no worker took any work within --worker-timeout 1s; start workers with 'nixforge worker --nats");
    expect(existsSync(join(root, 'report.json'))).toBe(false);
    expect(await workMessages(suite.server.url)).toBe(0);
  });

  it('the coordinator stopped by SIGTERM: no report, and its items are purged at once', async () => {
    const root = makeTree(sampleTree(30));
    const coordinator = startCli(['scan', '.', '--distributed', '--nats', suite.server.url, '--no-events', '-f', 'json', '-o', 'report.json'], { cwd: root, env: ENV });
    await waitFor(async () => (await workMessages(suite.server.url)) > 0, 'work items to be published');
    coordinator.child.kill('SIGTERM');
    const { code } = await coordinator.exited;
    expect(code).toBe(2);
    expect(existsSync(join(root, 'report.json'))).toBe(false);
    expect(await workMessages(suite.server.url)).toBe(0);
  });

  it('a worker without the run’s plugin refuses its items with a clear error; the files are reported worker-refused', async () => {
    const root = makeTree(sampleTree(3));
    fleet = new WorkerFleet(suite.server.url, { cwd: root, env: ENV });
    const worker = fleet.start('plain');
    await fleet.ready();
    const run = await runCliProcess(['scan', '.', '--distributed', '--nats', suite.server.url, '--no-events', '-f', 'json', ...PLUGIN], { cwd: root, env: ENV });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/worker plain refused work: plugin set differs: the run's plugin\(s\) .*distributed\.mjs are not loaded here/);
    const report = JSON.parse(run.stdout) as { files: Array<{ error?: { code: string } }> };
    expect(report.files.map((f) => f.error?.code)).toEqual(['worker-refused', 'worker-refused', 'worker-refused']);
    expect(worker.stderr()).toMatch(/refusing work item 0 of run [0-9a-f]+: plugin set differs/);
  });
});

describe('distributed scan: a killed coordinator leaves nothing behind for long', () => {
  const suite = useNatsServer();

  it('SIGKILL: no report is written and the stream max age removes its items', async () => {
    const root = makeTree(sampleTree(30));
    const env = { ...ENV, NIXFORGE_WORK_MAX_AGE: '2s' };
    const coordinator = startCli(['scan', '.', '--distributed', '--nats', suite.server.url, '--no-events', '-f', 'json', '-o', 'report.json'], { cwd: root, env });
    await waitFor(async () => (await workMessages(suite.server.url).catch(() => 0)) > 0, 'work items to be published');
    coordinator.child.kill('SIGKILL');
    await coordinator.exited;
    expect(existsSync(join(root, 'report.json'))).toBe(false);
    await waitFor(async () => (await workMessages(suite.server.url)) === 0, 'the items to expire', 10_000);
  });
});
