import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from '@nats-io/transport-node';
import { Svcm } from '@nats-io/services';
import { useNatsServer } from './helpers/nats-server.js';
import { makeTree, runCli } from './helpers/cli.js';
import { WorkerFleet, runCliProcess, sampleTree } from './helpers/distributed.js';
import { configurationHash, decodeWorkItem, encodeWorkItem, type WorkItemHeader } from '../src/distributed/protocol.js';

const ENV = { NIXFORGE_WORK_ACK_WAIT: '2s', NIXFORGE_WORK_BATCH: '8' };

/** A valid Nix file over the server's 1 MB max payload: it must travel through the Object Store. */
function largeNixFile(): string {
  const lines = ['{ lib }:', 'let unusedBig = 1; in', '['];
  let length = 0;
  for (let i = 0; length < 1_300_000; i += 1) {
    const line = `  "item-${i}"`;
    lines.push(line);
    length += line.length + 1;
  }
  lines.push(']', '');
  return lines.join('\n');
}

describe('distributed scan: transport, identity, service', () => {
  const suite = useNatsServer();
  let fleet: WorkerFleet;
  let root: string;
  beforeAll(async () => {
    root = makeTree({ ...sampleTree(20), 'pkgs/big/default.nix': largeNixFile(), 'broken.nix': '{ a = ; }\n' });
    fleet = new WorkerFleet(suite.server.url, { cwd: root, env: ENV });
    fleet.start('alpha');
    fleet.start('beta');
    await fleet.ready();
  });
  afterAll(() => fleet.stop());

  const scan = (args: string[], cwd = root) => runCliProcess(['scan', '.', '--no-events', ...args], { cwd, env: ENV });
  const distributed = (args: string[], cwd = root) => scan(['--distributed', '--nats', suite.server.url, ...args], cwd);

  it('JSON and SARIF reports are byte-identical to a local scan, including a file larger than the max payload', async () => {
    for (const format of ['json', 'sarif']) {
      const [local, remote] = [await scan(['-f', format]), await distributed(['-f', format])];
      expect(remote.stderr).not.toMatch(/internal error/);
      expect(remote.code).toBe(local.code);
      expect(remote.stdout).toBe(local.stdout);
    }
    const report = JSON.parse((await distributed(['-f', 'json'])).stdout) as { files: Array<{ path: string; findings: unknown[] }> };
    expect(report.files.find((f) => f.path === 'pkgs/big/default.nix')!.findings.map((f) => (f as { ruleId: string }).ruleId)).toContain('dead-code/unused-let');
  });

  it('--shared-root: workers read their own checkout; a file that differs there is a content-mismatch error (exit 2)', async () => {
    const copy = mkdtempSync(join(tmpdir(), 'nixforge-shared-'));
    cpSync(root, copy, { recursive: true });
    writeFileSync(join(copy, 'pkgs/p003/default.nix'), '{ changed = true; }\n');
    const workers = new WorkerFleet(suite.server.url, { cwd: copy, env: ENV, args: ['--shared-root', copy] });
    try {
      await fleet.stop();
      workers.start('gamma');
      await workers.ready();
      const run = await distributed(['-f', 'json', '--shared-root', '.']);
      expect(run.code).toBe(2);
      const report = JSON.parse(run.stdout) as { files: Array<{ path: string; error?: { code: string; message: string } }> };
      const errors = report.files.filter((f) => f.error && f.path !== 'broken.nix');
      expect(errors.map((f) => [f.path, f.error!.code])).toEqual([['pkgs/p003/default.nix', 'content-mismatch']]);
      expect(errors[0]!.error!.message).toMatch(/worker gamma's copy \(.*pkgs\/p003\/default\.nix\) differs from the coordinator's file/);
      const local = JSON.parse((await scan(['-f', 'json'])).stdout) as { files: Array<{ path: string }> };
      expect(report.files.filter((f) => f.path !== 'pkgs/p003/default.nix')).toEqual(local.files.filter((f) => f.path !== 'pkgs/p003/default.nix'));
    } finally {
      await workers.stop();
      fleet = new WorkerFleet(suite.server.url, { cwd: root, env: ENV });
      fleet.start('alpha');
      fleet.start('beta');
      await fleet.ready();
    }
  });

  it('--shared-cache: a second run reuses every report from the KV bucket and gives the same report', async () => {
    const first = await distributed(['-f', 'json', '--shared-cache']);
    const second = await distributed(['-f', 'json', '--shared-cache']);
    expect(first.stderr).toMatch(/shared cache: 0 of 22 files reused/);
    expect(second.stderr).toMatch(/shared cache: 22 of 22 files reused/);
    expect(second.stdout).toBe(first.stdout);
    expect(second.stdout).toBe((await scan(['-f', 'json'])).stdout);
  });

  it('workers register the micro service nixforge-worker with ping, info and stats', async () => {
    await distributed(['-f', 'json']);
    const connection = await connect({ servers: suite.server.url });
    try {
      const client = new Svcm(connection as never).client();
      const pings = [];
      for await (const ping of await client.ping('nixforge-worker')) pings.push(ping);
      expect(pings).toHaveLength(2);
      const infos = [];
      for await (const info of await client.info('nixforge-worker')) infos.push(info);
      expect(infos.map((i) => i.metadata?.worker).sort()).toEqual(['alpha', 'beta']);
      const stats = [];
      for await (const stat of await client.stats('nixforge-worker')) stats.push(stat);
      const data = stats.map((s) => s.endpoints?.[0]?.data as { items: number; files: number; filesPerSecond: number; errors: number });
      expect(data.reduce((sum, d) => sum + d.files, 0)).toBeGreaterThanOrEqual(22);
      expect(data.every((d) => typeof d.filesPerSecond === 'number' && d.errors === 0)).toBe(true);
      const alpha = (await connection.request('nixforge.worker.status.alpha', '')).json<{ name: string; threads: number }>();
      expect(alpha).toMatchObject({ name: 'alpha', threads: 1 });
    } finally {
      await connection.close();
    }
  });

  it('a worker stops on SIGTERM and says what it did', async () => {
    const worker = fleet.workers.find((w) => w.stderr().includes('worker alpha'))!;
    worker.child.kill('SIGTERM');
    const { code } = await worker.exited;
    expect(code).toBe(0);
    expect(worker.stderr()).toMatch(/worker alpha: stopped after \d+ work item\(s\), \d+ file\(s\), 0 error\(s\), 0 refused/);
  });
});

describe('distributed scan: flags and protocol', () => {
  it('usage errors name the flag', async () => {
    const root = makeTree(sampleTree(1));
    const env = { ...process.env, NIXFORGE_NATS_URL: '' };
    expect((await runCli(['scan', '.', '--distributed'], root, { env })).stderr).toContain('nixforge scan: --distributed needs --nats URL (or NIXFORGE_NATS_URL)');
    expect((await runCli(['scan', '.', '--shared-root', '.'], root, { env })).stderr).toContain('nixforge scan: --shared-root needs --distributed');
    const bad = await runCli(['scan', '.', '--distributed', '--nats', 'nats://127.0.0.1:1', '--worker-timeout', 'soon'], root, { env });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--worker-timeout: 'soon' is not a duration");
    expect((await runCli(['worker'], root, { env })).stderr).toContain('nixforge worker: --nats URL is required');
  });

  it('a work item round-trips with its inline bytes; the configuration hash ignores key order but not values', () => {
    const header = { protocol: 1, run: 'r', item: 3, files: [{ displayPath: 'a.nix', absolutePath: '/a.nix', hash: 'h', size: 3, source: { inline: [0, 3] } }] } as unknown as WorkItemHeader;
    const { header: decoded, body } = decodeWorkItem(encodeWorkItem(header, [Buffer.from('abc')]));
    expect(decoded).toEqual(header);
    expect(Buffer.from(body).toString()).toBe('abc');
    expect(configurationHash('1', { a: 'off', b: 'error' }, ['x', 'y'])).toBe(configurationHash('1', { b: 'error', a: 'off' }, ['y', 'x']));
    expect(configurationHash('1', { a: 'off' }, [])).not.toBe(configurationHash('1', { a: 'warning' }, []));
    expect(configurationHash('1', {}, [])).not.toBe(configurationHash('2', {}, []));
  });
});
