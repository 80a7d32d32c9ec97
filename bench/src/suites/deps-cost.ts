import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { collectFileFacts } from '@nixforge/plugins';
import type { Suite, SuiteResult } from '../suite.js';
import { benchCorpus, listNixFiles, spreadSample } from '../corpus.js';
import { round } from '../measure.js';
import { scanInChild, type ChildResult } from './cache.js';

/** The real corpus when there is one (`NIXFORGE_BENCH_REAL_CORPUS`, else /work/corpus), for the full run. */
function realCorpusRoot(): string | undefined {
  const root = process.env.NIXFORGE_BENCH_REAL_CORPUS ?? '/work/corpus';
  return existsSync(root) ? root : undefined;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * What the deps plugin costs inside a whole scan: the real CLI in a fresh process, default rules (A) and
 * `--rule deps=off` (B), paired A B A B at two threads; the cost is (A - B) / A per pair, CPU and wall,
 * and the median of the pairs is reported. Also the size of the deps facts per file (JSON bytes) on a
 * spread sample, since the project phase keeps every file's facts until the checks have run.
 */
const depsCostSuite: Suite = {
  name: 'deps-cost',
  description: 'share of full analysis time spent in the deps plugin (paired scans with and without it), and facts bytes per file',
  async run({ quick, workDir }): Promise<SuiteResult> {
    const real = quick ? undefined : realCorpusRoot();
    const root = real ?? benchCorpus(workDir, quick).root;
    const files = listNixFiles(root);
    mkdirSync(workDir, { recursive: true });
    const pairs = quick ? 1 : Math.max(1, Number(process.env.NIXFORGE_BENCH_PAIRS ?? 3));
    const base = ['.', '--format', 'json', '--output', join(workDir, 'deps-cost-report.json'), '--no-events', '--no-progress', '--fail-on', 'never', '--threads', '2'];
    const withDeps: ChildResult[] = [];
    const withoutDeps: ChildResult[] = [];
    const scan = async (args: string[]): Promise<ChildResult> => {
      const result = await scanInChild(root, args);
      if (result.exitCode === 2) throw new Error(`nixforge scan ${args.join(' ')} failed: ${result.stderr.slice(-2000)}`);
      return result;
    };
    for (let i = 0; i < pairs; i += 1) {
      withDeps.push(await scan(base));
      withoutDeps.push(await scan([...base, '--rule', 'deps=off']));
    }
    const cpuShares = withDeps.map((a, i) => (a.cpuMs - withoutDeps[i]!.cpuMs) / a.cpuMs);
    const wallShares = withDeps.map((a, i) => (a.ms - withoutDeps[i]!.ms) / a.ms);

    const sample = spreadSample(files.filter((f) => f.size < 1024 * 1024), quick ? 64 * 1024 : 4 * 1024 * 1024);
    let factBytes = 0;
    for (const file of sample) {
      const facts = collectFileFacts(file.path, file.path, readFileSync(file.path, 'utf8'));
      if (facts) factBytes += JSON.stringify(facts).length;
    }
    const bytesPerFile = sample.length > 0 ? factBytes / sample.length : 0;

    const s = (ms: number): number => round(ms / 1000, 1);
    const rows: SuiteResult['rows'] = [
      { scan: 'all default rules', 'wall s (median)': s(median(withDeps.map((r) => r.ms))), 'cpu s (median)': s(median(withDeps.map((r) => r.cpuMs))) },
      { scan: '--rule deps=off', 'wall s (median)': s(median(withoutDeps.map((r) => r.ms))), 'cpu s (median)': s(median(withoutDeps.map((r) => r.cpuMs))) },
    ];
    return {
      name: 'deps-cost',
      rows,
      ratios: {
        'deps share of CPU (median of pairs)': round(median(cpuShares), 4),
        'deps share of wall (median of pairs)': round(median(wallShares), 4),
        'deps facts, JSON bytes per file': round(bytesPerFile, 1),
      },
      targets: { 'deps share of CPU (median of pairs)': { max: 0.03 } },
      notes: [
        `corpus: ${real ? `${root} (real)` : `${root} (generated)`}, ${files.length} files; ${pairs} pair(s) A B, 2 threads, whole process`,
        `per-pair CPU shares: ${cpuShares.map((x) => round(x * 100, 1)).join(', ')} %; wall: ${wallShares.map((x) => round(x * 100, 1)).join(', ')} %`,
        `facts measured on ${sample.length} files (${round(sample.reduce((t, f) => t + f.size, 0) / 1048576)} MiB) spread over the corpus`,
      ],
    };
  },
};

export default depsCostSuite;
