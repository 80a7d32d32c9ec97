import { resolve } from 'node:path';
import { Baseline } from '../../baseline/index.js';
import type { WorkerFileReport } from '../task.js';
import type { ScanStage, StageContext } from './stage.js';

/** `--write-baseline FILE`: records every finding as accepted. Comes before `--baseline`, so it sees everything found now. */
export function writeBaselineStage(path: string, context: StageContext): ScanStage {
  const file = resolve(context.io.cwd, path);
  const withFindings: WorkerFileReport[] = [];
  return {
    filter(report) {
      if (report.findings.length > 0) withFindings.push({ path: report.path, fileType: report.fileType, findings: report.findings });
      return report;
    },
    async finish() {
      const baseline = Baseline.fromReports(withFindings);
      await baseline.write(file);
      return [`baseline: ${baseline.total} findings recorded in ${path}`];
    },
  };
}
