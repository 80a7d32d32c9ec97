import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { builtinPlugins } from '@nixforge/plugins';
import { discoverFiles } from '@nixforge/runner';
import type { Suite, SuiteResult } from '../suite.js';
import { benchCorpus, writeFileList, type CorpusFile } from '../corpus.js';
import { buildFloor, runFloor, type FloorResult } from '../c-floor.js';
import { round } from '../measure.js';
import { scanInChild, type ChildResult } from './cache.js';
import type { ThreadCpuMs } from '../thread-cpu.js';

/** The configurations scanned: every rule, and every rule off (parse, syntax errors, discovery, reporting). */
const VARIANTS = [
  { name: 'all rules', config: { extends: 'all' } },
  { name: 'rules off', config: { rules: Object.fromEntries(builtinPlugins.map((p) => [p.name, 'off'])) } },
] as const;

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The .nix files a scan of `root` sees (its .gitignore files honoured), in report order. */
async function scannedFiles(root: string): Promise<CorpusFile[]> {
  const found = await discoverFiles(['.'], { cwd: root, excludes: [], hidden: false });
  return found.filter((f) => f.problem === undefined).map((f) => ({ path: f.absolutePath, size: f.size }));
}

interface Pair {
  scan: ChildResult;
  floor: FloorResult;
}

/**
 * `nixforge scan` of any directory (`--corpus DIR`; the generated corpus without one) against the C parse+walk
 * floor on the very same files: each scan (a fresh process, JSON report written, events off) is followed by a
 * floor run with the same thread count, pairs repeated (`NIXFORGE_BENCH_PAIRS`, default 3; 1 with `--quick`), and
 * the median of the per-pair ratios reported, by wall clock and by CPU time. Also peak RSS of the scan's process
 * and the speed-up of the full scan from 1 to 2 threads.
 */
const realSuite: Suite = {
  name: 'real',
  description: 'nixforge scan of a real directory (--corpus DIR) paired with the C floor on the same files: wall and CPU ratios, peak RSS, thread scaling',
  async run({ quick, workDir, corpus }): Promise<SuiteResult> {
    const root = corpus !== undefined ? resolve(corpus) : benchCorpus(workDir, quick).root;
    mkdirSync(workDir, { recursive: true });
    const files = await scannedFiles(root);
    if (files.length === 0) throw new Error(`real: no .nix files under ${root}`);
    const bytes = files.reduce((sum, f) => sum + f.size, 0);
    const floor = await buildFloor(workDir);
    if ('unavailable' in floor) throw new Error(`real: the C floor is needed and cannot be built: ${floor.unavailable}`);
    const listFile = writeFileList(join(workDir, 'real.list'), files);
    const pairs = quick ? 1 : Math.max(1, Number(process.env.NIXFORGE_BENCH_PAIRS ?? 3));

    const configFile = (name: string, config: object): string => {
      const path = join(workDir, `real-${name.replace(/\W+/g, '-')}.json`);
      writeFileSync(path, JSON.stringify(config) + '\n');
      return path;
    };
    const scan = async (config: string, threads: number): Promise<ChildResult> => {
      const args = ['.', '--config', config, '--format', 'json', '--output', join(workDir, 'real-report.json'), '--no-events', '--no-progress', '--fail-on', 'never', '--threads', String(threads)];
      const result = await scanInChild(root, args);
      if (result.exitCode === 2) throw new Error(`nixforge scan ${args.join(' ')} exited 2: ${result.stderr.slice(-2000)}`);
      return result;
    };

    const runs: Array<{ variant: string; threads: number; config: string }> = [
      ...VARIANTS.map((v) => ({ variant: v.name, threads: 2, config: configFile(v.name, v.config) })),
      { variant: 'all rules', threads: 1, config: configFile('all rules', VARIANTS[0].config) },
    ];
    const measured = new Map<string, Pair[]>();
    for (let i = 0; i < pairs; i += 1) {
      for (const run of runs) {
        const key = `${run.variant}, ${run.threads} thread${run.threads === 1 ? '' : 's'}`;
        const pair = { scan: await scan(run.config, run.threads), floor: await runFloor(floor.binary, listFile, run.threads) };
        measured.set(key, [...(measured.get(key) ?? []), pair]);
      }
    }

    const rows: SuiteResult['rows'] = [];
    const ratios: Record<string, number> = {};
    const targets: NonNullable<SuiteResult['targets']> = {};
    const s = (ms: number): number => round(ms / 1000, 1);
    for (const [key, list] of measured) {
      const wall = median(list.map((p) => p.scan.ms / (p.floor.seconds * 1000)));
      const cpu = median(list.map((p) => p.scan.cpuMs / (p.floor.cpuSeconds * 1000)));
      const rss = Math.max(...list.map((p) => p.scan.maxRssKiB)) / 1024;
      rows.push({
        scan: key,
        'wall s': s(median(list.map((p) => p.scan.ms))),
        'CPU s': s(median(list.map((p) => p.scan.cpuMs))),
        'floor wall s': s(median(list.map((p) => p.floor.seconds * 1000))),
        'floor CPU s': s(median(list.map((p) => p.floor.cpuSeconds * 1000))),
        'wall ratio': round(wall),
        'CPU ratio': round(cpu),
        'peak RSS MiB': round(rss, 0),
        ...threadColumns(list.map((p) => p.scan.threadCpuMs)),
      });
      ratios[`${key}/C floor`] = round(wall);
      ratios[`${key}/C floor (CPU time)`] = round(cpu);
      ratios[`${key}: peak RSS MiB`] = round(rss, 0);
    }
    for (const [key, max] of [['all rules, 2 threads', 2.0], ['rules off, 2 threads', 1.15]] as const) {
      targets[`${key}/C floor`] = { max };
      targets[`${key}/C floor (CPU time)`] = { max };
    }
    targets['all rules, 2 threads: peak RSS MiB'] = { max: 400 };
    const one = measured.get('all rules, 1 thread')!;
    const two = measured.get('all rules, 2 threads')!;
    ratios['all rules: speed-up, 2 threads vs 1'] = round(median(one.map((p) => p.scan.ms)) / median(two.map((p) => p.scan.ms)));
    targets['all rules: speed-up, 2 threads vs 1'] = { min: 1.7 };
    ratios['C floor: speed-up, 2 threads vs 1'] = round(median(one.map((p) => p.floor.seconds)) / median(two.map((p) => p.floor.seconds)));
    return {
      name: 'real',
      rows,
      ratios,
      targets,
      notes: [
        `corpus: ${root}${corpus === undefined ? ' (generated; pass --corpus DIR for a real one)' : ''}, ${files.length} .nix files a scan sees, ${round(bytes / 1048576)} MiB`,
        `${pairs} pair(s) per row: nixforge scan (fresh process, JSON report, events off) then the C floor on the same file list with the same threads; ratios are medians of the per-pair ratios`,
        `load average after measuring: ${loadavg().map((l) => l.toFixed(1)).join(' ')}`,
      ],
    };
  },
};

/**
 * Median CPU seconds of the main thread, of V8's own threads (concurrent compilation and GC; each scan worker is
 * an isolate that compiles the hot code again) and of the threads the scan started (its workers, libuv's file I/O pool).
 */
function threadColumns(samples: ReadonlyArray<ThreadCpuMs | undefined>): Record<string, number> {
  const known = samples.filter((sample): sample is ThreadCpuMs => sample !== undefined);
  if (known.length === 0) return {};
  const s = (pick: (sample: ThreadCpuMs) => number): number => round(median(known.map(pick)) / 1000, 1);
  return { 'main CPU s': s((t) => t.main), 'V8 threads CPU s': s((t) => t.runtime), 'scan threads CPU s': s((t) => t.started) };
}

export default realSuite;
