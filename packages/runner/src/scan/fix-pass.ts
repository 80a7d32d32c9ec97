import type { CliIO } from '../io.js';
import { runScan, type ScanOptions, type ScanResult } from './run-scan.js';

/** What `--fix` did over all files. */
export interface FixPassResult {
  filesChanged: number;
  fixesApplied: number;
  /** Unified diff of every changed file, in path order. */
  diff: string;
  /** Files that could not be fixed (they are still reported, unfixed). */
  errors: Array<{ path: string; message: string }>;
  scan: ScanResult;
}

/**
 * `--fix` and `--fix-dry-run` in one scan: each worker fixes its files until stable (lint, fix, re-lint) before
 * reporting them. With `--fix` the files are written and the scan's report is of the fixed files; with
 * `--fix-dry-run` nothing is written, no report is made, and the changes come back as one unified diff.
 */
export async function runFixPass(options: ScanOptions, io: CliIO, dryRun: boolean): Promise<FixPassResult> {
  const scan = await runScan(
    dryRun
      ? { ...options, fix: 'diff', format: 'json', discardReport: true, events: false, stages: { ...options.stages, writeBaseline: undefined } }
      : { ...options, fix: 'write' },
    io,
  );
  const result: FixPassResult = { filesChanged: 0, fixesApplied: 0, diff: '', errors: [], scan };
  for (const fixed of scan.fixes ?? []) {
    if (fixed.error !== undefined) {
      result.errors.push({ path: fixed.path, message: `cannot fix ${fixed.path}: ${fixed.error}` });
      continue;
    }
    result.filesChanged += 1;
    result.fixesApplied += fixed.applied;
    result.diff += fixed.diff;
  }
  return result;
}
