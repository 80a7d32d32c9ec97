import { UsageError } from '../../errors.js';
import { baselineStage } from './baseline.js';
import { cacheStage } from './cache.js';
import { changedSinceStage } from './changed-since.js';
import { revisionStage } from './revision.js';
import type { ScanStage, StageContext, StageOptions } from './stage.js';
import { writeBaselineStage } from './write-baseline.js';

export { stagePipeline, type StagePipeline } from './pipeline.js';
export type { ScanStage, StageContext, StageOptions } from './stage.js';

/** The stages the flags ask for, in pipeline order: input selection, cache, baseline recording, baseline filtering. */
export async function createStages(options: StageOptions, context: StageContext): Promise<ScanStage[]> {
  if (options.rev !== undefined && options.changedSince !== undefined) {
    throw new UsageError('--rev and --changed-since cannot be combined');
  }
  if (options.rev !== undefined && context.targets.length > 1) throw new UsageError('--rev takes at most one PATH: the repository to read');
  const stages: ScanStage[] = [];
  if (options.rev !== undefined) stages.push(revisionStage(options.rev, context));
  else if (options.changedSince !== undefined) stages.push(changedSinceStage(options.changedSince, context));
  if (options.cache) stages.push(await cacheStage(options.cacheLocation, context));
  if (options.writeBaseline !== undefined) stages.push(writeBaselineStage(options.writeBaseline, context));
  if (options.baseline !== undefined) stages.push(await baselineStage(options.baseline, context));
  return stages;
}
