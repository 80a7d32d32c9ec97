import { resolve } from 'node:path';
import { Baseline } from '../../baseline/index.js';
import type { ScanStage, StageContext } from './stage.js';

/** `--baseline FILE`: reports, and fails on, only the findings the baseline does not accept. */
export async function baselineStage(path: string, context: StageContext): Promise<ScanStage> {
  const baseline = await Baseline.read(resolve(context.io.cwd, path));
  return { filter: (report) => baseline.filterNew(report) };
}
