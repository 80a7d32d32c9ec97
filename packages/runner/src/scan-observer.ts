import type { FileReport } from '@nixforge/core';
import type { ReportSummary } from './reporters/index.js';

/** Facts about a scan run, given to observers when it starts. */
export interface ScanStart {
  /** Repository or directory name the run is about (used in event subjects). */
  repository: string;
  /** Absolute path of the scan root (the working directory). */
  root: string;
  /** Paths as given on the command line. */
  targets: string[];
  rules: string[];
  threads: number;
  startedAt: Date;
}

/** Totals at the end of a run: the report's totals plus how the run went. */
export type ScanSummary = Omit<ReportSummary, 'failOn' | 'failing'> & {
  durationMs: number;
  exitCode: number;
  aborted: boolean;
};

/**
 * Something that follows a scan as it runs (the event publisher, progress display...). Calls arrive in
 * report order: `started`, then `file` for every file sorted by path, then `completed` or `aborted`.
 */
export interface ScanObserver {
  started(start: ScanStart): void | Promise<void>;
  file(report: FileReport): void | Promise<void>;
  completed(summary: ScanSummary): void | Promise<void>;
  aborted?(reason: string, summary: ScanSummary): void | Promise<void>;
  /** Flushes and releases resources; returns lines for the final summary on stderr. */
  close(): Promise<string[]>;
}
