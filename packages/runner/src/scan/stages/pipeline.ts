import type { ScanInput } from '../scan-files.js';
import type { WorkerFileReport } from '../task.js';
import type { ScanStage } from './stage.js';

/** The stages of one scan combined: what the scan loop calls. */
export interface StagePipeline {
  /** Each stage's selection applied in turn. */
  selectInputs(inputs: ScanInput[]): Promise<ScanInput[]>;
  /** The first stored report a stage has, if any stage looks reports up at all. */
  lookup?: (input: ScanInput) => Promise<WorkerFileReport | undefined>;
  /** Every stage sees the fresh report. */
  record(input: ScanInput, report: WorkerFileReport): void;
  /** A project finding is reported when no stage objects, or undefined when none has a say. */
  wantProjectFinding?: (files: readonly string[]) => boolean;
  /** The stages' filters in list order (`--write-baseline` records before `--baseline` drops). */
  filter(report: WorkerFileReport): WorkerFileReport;
  /** Each stage's finish in list order; their summary lines. */
  finish(): Promise<string[]>;
}

export function stagePipeline(stages: readonly ScanStage[]): StagePipeline {
  const lookups = stages.filter((stage) => stage.lookup !== undefined);
  const judges = stages.filter((stage) => stage.wantProjectFinding !== undefined);
  return {
    async selectInputs(inputs) {
      let selected = inputs;
      for (const stage of stages) if (stage.selectInputs) selected = await stage.selectInputs(selected);
      return selected;
    },
    ...(lookups.length > 0
      ? {
          lookup: async (input: ScanInput) => {
            for (const stage of lookups) {
              const hit = await stage.lookup!(input);
              if (hit !== undefined) return hit;
            }
            return undefined;
          },
        }
      : {}),
    record(input, report) {
      for (const stage of stages) stage.record?.(input, report);
    },
    ...(judges.length > 0 ? { wantProjectFinding: (files: readonly string[]) => judges.every((stage) => stage.wantProjectFinding!(files)) } : {}),
    filter(report) {
      let shown = report;
      for (const stage of stages) if (stage.filter) shown = stage.filter(shown);
      return shown;
    },
    async finish() {
      const lines: string[] = [];
      for (const stage of stages) if (stage.finish) lines.push(...(await stage.finish()));
      return lines;
    },
  };
}
