/**
 * A benchmark suite. Every suite measures its subject and, in the same run, a baseline, so results are
 * reported as ratios that hold on a noisy machine. `npm run bench` runs the suites and writes results.
 */
export interface SuiteResult {
  name: string;
  /** Table rows, printed as they are and written to bench/results/<name>.json. */
  rows: Array<Record<string, string | number>>;
  /** Named ratios against the in-run baseline, e.g. { "analysis/parse-only": 1.6 }. */
  ratios: Record<string, number>;
  /** Targets as `ratio name -> { max?: number; min?: number }`, checked and reported, never asserted in tests. */
  targets?: Record<string, { max?: number; min?: number }>;
  notes?: string[];
}

export interface SuiteOptions {
  /** A short run for smoke tests (seconds, not minutes). */
  quick: boolean;
  /** Scratch directory for corpora and temporary files. */
  workDir: string;
  /** A directory of real Nix code given with `--corpus DIR` (absolute); suites that take one use it. */
  corpus?: string;
}

export interface Suite {
  name: string;
  description: string;
  run(options: SuiteOptions): Promise<SuiteResult>;
}
