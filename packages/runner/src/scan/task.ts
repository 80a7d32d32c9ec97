import type { CollectedFacts, PresetName, RuleSetting } from '@nixforge/core';
import type { ReportedFile } from '../reporters/index.js';

/** What every worker needs to build the same rule set: plugin URLs and the rules configuration. */
export interface RuleSetup {
  /** file: URLs of configured plugins (built-ins are always loaded). */
  pluginUrls: string[];
  /** The specifiers, for error messages. */
  pluginSpecifiers: string[];
  rules: Record<string, RuleSetting>;
  /** The configuration's `extends` (undefined: the default preset). */
  extends?: PresetName | PresetName[];
}

/** One file in a batch. `text` is set when the content does not come from disk (e.g. `scan --rev`). */
export interface FileTask {
  absolutePath: string;
  displayPath: string;
  text?: string;
  /**
   * Only collect the file's facts for the project phase (its own findings are not wanted: `--changed-since`
   * left it out). The report then carries facts and no per-file findings, and is never cached.
   */
  factsOnly?: boolean;
  /** The file's bytes when they come from elsewhere than this machine's disk (a distributed scan's work item). */
  bytes?: Uint8Array;
  /**
   * `--fix` inside the worker: fix the file from disk until stable (lint, fix, re-lint) before it is reported.
   * `write` writes the result back and reports the fixed text; `diff` writes nothing and reports the file as it is.
   */
  fix?: FixMode;
}

export type FixMode = 'write' | 'diff';

/** What fixing one file did (see `FileTask.fix`). */
export interface FileFixResult {
  applied: number;
  /** Unified diff (`a/PATH` -> `b/PATH`); empty when nothing changed. */
  diff: string;
  /** Why the file could not be fixed (it is still reported, unfixed). */
  error?: string;
}

export interface BatchTask {
  setup: RuleSetup;
  files: FileTask[];
  maxFileSize: number;
  /** Attach the text of lines that carry findings (for code frames in the text report). */
  withSourceLines: boolean;
  /**
   * Shared progress cells (Int32 x 4): [index of the file being analysed, ms since batch start when it
   * began, native-call state (see native-guard.ts), park slot]. Lets the main thread tell which file a stuck
   * or crashed batch was on, and stop the worker only where terminating it is safe.
   */
  progress: SharedArrayBuffer;
  startedAt: number;
}

/** A file's report as a worker returns it: what reporters get (with source lines when asked) plus what the scan keeps. */
export interface WorkerFileReport extends ReportedFile {
  /** Hash of the content (`hashContent`), for the result cache. */
  contentHash?: string;
  /** What the rules' `collect` returned (plain JSON), for the project phase; cached with the report. */
  facts?: CollectedFacts;
  /** Set when only facts were collected (see `FileTask.factsOnly`). */
  factsOnly?: true;
  /** Set when the task asked for fixes. */
  fix?: FileFixResult;
}
