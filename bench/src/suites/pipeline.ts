import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { scanFiles, type ScanInput } from '@nixforge/runner';
import type { Suite, SuiteResult } from '../suite.js';
import { benchCorpus, writeFileList, type BenchCorpus } from '../corpus.js';
import { buildFloor, runFloor } from '../c-floor.js';
import { measureTimings, mibPerSecond, round, type Timing } from '../measure.js';
import { ParsePool } from '../parallel.js';

/** Row fields of this suite, also read by the chart. */
export const PIPELINE_FIELDS = {
  threads: 'threads',
  full: 'full MiB/s',
  parseOnly: 'parse-only MiB/s',
  parseWalk: 'parse+walk MiB/s',
  floor: 'C floor MiB/s',
} as const;

/** Thread counts measured: 1, 2 and all cores (deduplicated). */
export function threadCounts(): number[] {
  return [...new Set([1, 2, availableParallelism()])].sort((a, b) => a - b);
}

async function fullScan(corpus: BenchCorpus, threads: number): Promise<number> {
  const inputs: ScanInput[] = corpus.files.map((f) => ({ absolutePath: f.path, displayPath: f.path.slice(corpus.root.length + 1), size: f.size }));
  let failures = 0;
  await scanFiles({
    files: inputs,
    setup: { pluginUrls: [], pluginSpecifiers: [], rules: {} },
    threads,
    onReport: (report) => {
      if (report.error) failures += 1;
    },
  });
  return failures;
}

/**
 * The full built-in analysis through the runner's piscina pipeline at 1, 2 and all threads, with the baselines
 * measured in the same run at the same thread count: the Node binding parsing only (and parsing and walking)
 * on an equal pool, and the C floor.
 */
const pipelineSuite: Suite = {
  name: 'pipeline',
  description: 'full analysis vs parse-only vs C floor at 1, 2 and all threads',
  async run({ quick, workDir }): Promise<SuiteResult> {
    const corpus = benchCorpus(workDir, quick);
    const floor = await buildFloor(workDir);
    const listFile = writeFileList(join(workDir, 'pipeline.list'), corpus.files);
    const rows: SuiteResult['rows'] = [];
    const ratios: Record<string, number> = {};
    const targets: NonNullable<SuiteResult['targets']> = {};
    const addRatio = (name: string, value: number, target: { max?: number; min?: number }): void => {
      ratios[name] = round(value);
      targets[name] = target;
    };
    const notes: string[] = [`corpus: ${corpus.files.length} files, ${round(corpus.bytes / 1048576)} MiB (${corpus.root})`];
    if ('unavailable' in floor) notes.push(`C floor skipped: ${floor.unavailable}`);
    const full = new Map<number, Timing>();

    for (const threads of threadCounts()) {
      const pool = new ParsePool(threads);
      await pool.warm(corpus.files);
      let failures = 0;
      const means = await measureTimings(
        [
          ['full', async () => (failures = await fullScan(corpus, threads))],
          ['parse-only', () => pool.parseAll(corpus.files, false)],
          ['parse+walk', () => pool.parseAll(corpus.files, true)],
        ],
        { quick, samples: 1 },
      );
      await pool.close();
      if (failures > 0) notes.push(`${failures} files failed in the full scan at ${threads} threads`);
      const fullTiming = means.get('full')!;
      const parseOnly = means.get('parse-only')!;
      const row: Record<string, string | number> = {
        [PIPELINE_FIELDS.threads]: threads,
        [PIPELINE_FIELDS.full]: round(mibPerSecond(corpus.bytes, fullTiming.wallMs)),
        [PIPELINE_FIELDS.parseOnly]: round(mibPerSecond(corpus.bytes, parseOnly.wallMs)),
        [PIPELINE_FIELDS.parseWalk]: round(mibPerSecond(corpus.bytes, means.get('parse+walk')!.wallMs)),
      };
      full.set(threads, fullTiming);
      addRatio(`full/parse-only (${threads} threads)`, fullTiming.wallMs / parseOnly.wallMs, { max: 2 });
      addRatio(`full/parse-only (${threads} threads, CPU time)`, fullTiming.cpuMs / parseOnly.cpuMs, { max: 2 });
      if ('binary' in floor) {
        const result = await runFloor(floor.binary, listFile, threads);
        row[PIPELINE_FIELDS.floor] = round(mibPerSecond(result.bytes, result.seconds * 1000));
        addRatio(`full/C floor (${threads} threads)`, fullTiming.wallMs / (result.seconds * 1000), { max: 2.5 });
        addRatio(`full/C floor (${threads} threads, CPU time)`, fullTiming.cpuMs / (result.cpuSeconds * 1000), { max: 2.5 });
      }
      row['full CPU s'] = round(fullTiming.cpuMs / 1000, 1);
      rows.push(row);
    }
    if (full.has(1) && full.has(2)) {
      addRatio('full speed-up, 2 threads vs 1', full.get(1)!.wallMs / full.get(2)!.wallMs, { min: 1.8 });
      // Near 1 when two threads do the same total work as one: the speed-up is then limited by free cores, not by nixforge.
      ratios['full CPU time, 2 threads / 1 thread'] = round(full.get(2)!.cpuMs / full.get(1)!.cpuMs);
    }
    notes.push(`load average while measuring: ${loadavg().map((l) => l.toFixed(1)).join(' ')} on ${availableParallelism()} cores (wall-clock ratios need an idle machine; CPU-time ratios less so)`);
    return { name: 'pipeline', rows, ratios, targets, notes };
  },
};

export default pipelineSuite;
