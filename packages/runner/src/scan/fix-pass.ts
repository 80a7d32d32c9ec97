import type { CliIO } from '../io.js';
import { fixFiles, type FixFilesResult } from '../fix/index.js';
import type { ScanObserver } from '../scan-observer.js';
import { prepareScan, runScan, type ScanOptions } from './run-scan.js';

/**
 * `--fix` and `--fix-dry-run`: a first pass over the files (no report, no events) finds those with fixable
 * findings, then the fix loop rewrites them (or only diffs them) until stable.
 */
export async function runFixPass(options: ScanOptions, io: CliIO, dryRun: boolean): Promise<FixFilesResult & { scanExitCode: number }> {
  const fixable = new Set<string>();
  const collector: ScanObserver = {
    started: () => {},
    file: (report) => {
      if (report.findings.some((f) => f.fix !== undefined)) fixable.add(report.path);
    },
    completed: () => {},
    close: async () => [],
  };
  const pass = await runScan(
    { ...options, format: 'json', discardReport: true, events: false, observers: [collector], stages: { ...options.stages, writeBaseline: undefined } },
    io,
  );
  const prepared = await prepareScan(options, io);
  const result = await fixFiles([...fixable].sort(), { rules: prepared.rules, dryRun, cwd: io.cwd });
  return { ...result, scanExitCode: pass.exitCode };
}
