import { execFile } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Suite, SuiteResult } from '../suite.js';
import { benchCorpus } from '../corpus.js';
import { round } from '../measure.js';
import type { ThreadCpuMs } from '../thread-cpu.js';

const run = promisify(execFile);
const SCAN_CHILD = fileURLToPath(new URL('../scan-child.js', import.meta.url));

export interface ChildResult {
  exitCode: number;
  ms: number;
  cpuMs: number;
  maxRssKiB: number;
  /** CPU by thread where /proc exists: main, the runtime's start-up threads (V8 compiler and GC), threads the scan started. */
  threadCpuMs?: ThreadCpuMs;
}

export async function scanInChild(cwd: string, args: string[]): Promise<ChildResult & { stderr: string }> {
  // Exit 1 (findings) and 2 (some files failed, e.g. timed out) still produce a report and a result line.
  const child = await run(process.execPath, [SCAN_CHILD, ...args], { cwd, maxBuffer: 64 * 1024 * 1024 }).catch(
    (error: { stdout?: string; stderr?: string }) => ({ stdout: error.stdout ?? '', stderr: error.stderr ?? String(error) }),
  );
  const line = child.stdout.trim().split('\n').pop() ?? '';
  if (!line.startsWith('{')) throw new Error(`nixforge scan ${args.join(' ')} crashed: ${child.stderr.slice(-2000)}`);
  return { ...(JSON.parse(line) as ChildResult), stderr: child.stderr };
}

/**
 * The real CLI in a fresh process, as CI runs it: a cold scan with `--cache` (empty cache), then a warm rescan
 * of the unchanged tree, and the peak RSS of the cold scan's process.
 */
const cacheSuite: Suite = {
  name: 'cache-memory',
  description: 'nixforge scan --cache: cold vs warm rescan, and peak RSS of the process',
  async run({ quick, workDir }): Promise<SuiteResult> {
    const corpus = benchCorpus(workDir, quick);
    const cacheDir = join(workDir, `scan-cache-${corpus.files.length}`);
    await rm(cacheDir, { recursive: true, force: true });
    const args = ['.', '--cache', '--cache-location', cacheDir, '--format', 'json', '--output', join(workDir, 'scan-report.json'), '--no-events', '--no-progress', '--fail-on', 'never'];
    const cold = await scanInChild(corpus.root, args);
    const warm = await scanInChild(corpus.root, args);
    const mib = (kib: number): number => round(kib / 1024, 0);
    const rows: SuiteResult['rows'] = [
      { run: 'cold cache', seconds: round(cold.ms / 1000), 'CPU s': round(cold.cpuMs / 1000), 'peak RSS MiB': mib(cold.maxRssKiB) },
      { run: 'warm cache', seconds: round(warm.ms / 1000), 'CPU s': round(warm.cpuMs / 1000), 'peak RSS MiB': mib(warm.maxRssKiB) },
    ];
    const peakKey = `peak RSS MiB (${corpus.files.length} files, all threads)`;
    return {
      name: 'cache-memory',
      rows,
      ratios: { 'warm/cold cached rescan': round(warm.ms / cold.ms, 3), 'warm/cold cached rescan (CPU time)': round(warm.cpuMs / cold.cpuMs, 3), [peakKey]: Math.max(mib(cold.maxRssKiB), mib(warm.maxRssKiB)) },
      targets: { 'warm/cold cached rescan': { max: 0.1 }, 'warm/cold cached rescan (CPU time)': { max: 0.1 }, [peakKey]: { max: 500 } },
      notes: [
        `corpus: ${corpus.files.length} files, ${round(corpus.bytes / 1048576)} MiB; JSON report written, events off; times include process start`,
        ...[cold, warm].filter((r) => r.exitCode === 2).map((r) => `a scan exited 2 (some files failed): ${r.stderr.trim().split('\n').slice(-3).join(' | ')}`),
      ],
    };
  },
};

export default cacheSuite;
