import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Suite, SuiteResult } from '../suite.js';
import { benchCorpus } from '../corpus.js';
import { round } from '../measure.js';

const run = promisify(execFile);
const SCAN_CHILD = fileURLToPath(new URL('../scan-child.js', import.meta.url));
const NIXFORGE_BIN = fileURLToPath(new URL('../../../packages/runner/bin/nixforge.js', import.meta.url));
const THREADS = 2;

interface ChildResult {
  exitCode: number;
  ms: number;
  cpuMs: number;
}

async function scanInChild(cwd: string, args: string[]): Promise<ChildResult & { report: string }> {
  const out = join(mkdtempSync(join(tmpdir(), 'nixforge-bench-dist-')), 'report.json');
  try {
    const child = await run(process.execPath, [SCAN_CHILD, ...args, '-o', out], { cwd, maxBuffer: 64 * 1024 * 1024 }).catch(
      (error: { stdout?: string; stderr?: string }) => ({ stdout: error.stdout ?? '', stderr: error.stderr ?? String(error) }),
    );
    const line = child.stdout.trim().split('\n').pop() ?? '';
    if (!line.startsWith('{')) throw new Error(`nixforge scan ${args.join(' ')} crashed: ${child.stderr.slice(-2000)}`);
    return { ...(JSON.parse(line) as ChildResult), report: existsSync(out) ? readFileSync(out, 'utf8') : '' };
  } finally {
    rmSync(join(out, '..'), { recursive: true, force: true });
  }
}

async function startServer(dir: string): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn('nats-server', ['-a', '127.0.0.1', '-p', '-1', '-js', '-sd', join(dir, 'store'), '--ports_file_dir', dir], { stdio: 'ignore' });
  const failed = new Promise<never>((_, reject) => child.once('error', reject));
  const deadline = Date.now() + 15_000;
  for (;;) {
    const ports = readdirSync(dir).find((f) => f.endsWith('.ports'));
    if (ports) return { url: (JSON.parse(readFileSync(join(dir, ports), 'utf8')) as { nats: string[] }).nats[0]!, child };
    if (Date.now() > deadline) throw new Error('nats-server did not start');
    await Promise.race([new Promise((resolve) => setTimeout(resolve, 50)), failed]);
  }
}

function startWorker(url: string, name: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, [NIXFORGE_BIN, 'worker', '--nats', url, '--threads', '1', '--name', name], { stdio: ['ignore', 'ignore', 'pipe'] });
  return new Promise((resolve, reject) => {
    let text = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      if (text.includes('pulling from')) resolve(child);
    });
    child.once('exit', () => reject(new Error(`worker ${name} exited: ${text}`)));
  });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/**
 * The coordinator's overhead: the same tree scanned locally with 2 threads and distributed to 2 long-running
 * `nixforge worker` processes of 1 thread each (workers started once, before the runs, as they would be in
 * production), on a real nats-server on loopback. Runs are paired (local, distributed, local, distributed...) and
 * each pair's ratio is taken; the median of those ratios is reported. NIXFORGE_BENCH_DISTRIBUTED_ROOT scans a
 * real tree (e.g. a checkout of home-manager) instead of the generated corpus.
 */
const distributedSuite: Suite = {
  name: 'distributed',
  description: `scan --distributed with ${THREADS} one-thread workers vs a local scan with ${THREADS} threads (coordinator overhead)`,
  async run({ quick, workDir }): Promise<SuiteResult> {
    const root = process.env.NIXFORGE_BENCH_DISTRIBUTED_ROOT ?? benchCorpus(workDir, quick).root;
    const pairs = quick ? 1 : Number(process.env.NIXFORGE_BENCH_DISTRIBUTED_PAIRS ?? 3);
    const serverDir = mkdtempSync(join(tmpdir(), 'nixforge-bench-nats-'));
    const server = await startServer(serverDir);
    const workers: ChildProcess[] = [];
    try {
      for (let i = 0; i < THREADS; i += 1) workers.push(await startWorker(server.url, `bench${i}`));
      const common = ['.', '--format', 'json', '--no-events', '--no-progress', '--fail-on', 'never'];
      const local: ChildResult[] = [];
      const remote: ChildResult[] = [];
      let identical = true;
      for (let pair = 0; pair < pairs; pair += 1) {
        const a = await scanInChild(root, [...common, '--threads', String(THREADS)]);
        const b = await scanInChild(root, [...common, '--distributed', '--nats', server.url]);
        identical &&= a.report === b.report && a.report.length > 0;
        local.push(a);
        remote.push(b);
      }
      const wallRatio = median(local.map((a, i) => remote[i]!.ms / a.ms));
      const rows: SuiteResult['rows'] = [
        { run: `local, --threads ${THREADS}`, 'median s': round(median(local.map((r) => r.ms)) / 1000), 'process CPU s': round(median(local.map((r) => r.cpuMs)) / 1000) },
        {
          run: `distributed, ${THREADS} workers x 1 thread`,
          'median s': round(median(remote.map((r) => r.ms)) / 1000),
          'process CPU s': round(median(remote.map((r) => r.cpuMs)) / 1000),
        },
      ];
      return {
        name: 'distributed',
        rows,
        ratios: { 'distributed/local wall': round(wallRatio, 3), 'coordinator CPU/local scan CPU': round(median(local.map((a, i) => remote[i]!.cpuMs / a.cpuMs)), 3) },
        targets: { 'distributed/local wall': { max: 1.15 } },
        notes: [
          `tree: ${root}; ${pairs} paired run(s), median of per-pair ratios; process CPU of the distributed run is the coordinator's alone`,
          identical ? 'JSON reports of every pair byte-identical' : 'JSON reports DIFFER between local and distributed runs',
        ],
      };
    } finally {
      for (const worker of workers) worker.kill('SIGTERM');
      await Promise.all(workers.map((w) => new Promise((resolve) => (w.exitCode !== null ? resolve(undefined) : w.once('exit', resolve)))));
      server.child.kill('SIGTERM');
      await new Promise((resolve) => (server.child.exitCode !== null ? resolve(undefined) : server.child.once('exit', resolve)));
      rmSync(serverDir, { recursive: true, force: true });
    }
  },
};

export default distributedSuite;
