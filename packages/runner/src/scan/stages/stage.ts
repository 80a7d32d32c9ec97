import type { ResolvedRule } from '@nixforge/core';
import type { CliIO } from '../../io.js';
import type { ScanInput } from '../scan-files.js';
import type { WorkerFileReport } from '../task.js';

/** The optional stages of `nixforge scan`, as given by flags. */
export interface StageOptions {
  cache?: boolean;
  cacheLocation?: string;
  baseline?: string;
  writeBaseline?: string;
  changedSince?: string;
  rev?: string;
}

/** What a stage may need to know about the scan it joins. */
export interface StageContext {
  rules: readonly ResolvedRule[];
  /** file: URLs of the configured plugins (their content is part of the cache key). */
  pluginUrls: readonly string[];
  targets: readonly string[];
  io: CliIO;
}

/**
 * One optional step of the scan pipeline (`--rev`, `--changed-since`, `--cache`, `--write-baseline`, `--baseline`).
 * Every method is optional; the pipeline calls each stage's in list order (see pipeline.ts for how they combine).
 */
export interface ScanStage {
  /** Replaces the inputs after discovery (e.g. `--changed-since`); may also add in-memory sources (`--rev`). */
  selectInputs?(inputs: ScanInput[]): Promise<ScanInput[]>;
  /** Returns a stored report for a file, skipping its analysis. */
  lookup?(input: ScanInput): Promise<WorkerFileReport | undefined>;
  /** Sees every freshly analysed report (before filtering), e.g. to fill the cache. */
  record?(input: ScanInput, report: WorkerFileReport): void;
  /** Whether a project-check finding is reported, given the absolute paths it depends on (its own file first). */
  wantProjectFinding?(files: readonly string[]): boolean;
  /** Transforms a report before it is counted and reported (e.g. `--baseline` drops accepted findings). */
  filter?(report: WorkerFileReport): WorkerFileReport;
  /** Runs after the report is written: saves the cache, writes the baseline. Returns lines for the stderr summary. */
  finish?(): Promise<string[]>;
}
