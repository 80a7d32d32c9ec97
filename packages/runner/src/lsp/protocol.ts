import type { FileError, FileType, Finding, ReportedFix, RuleMeta, RuleSetting } from '@nixforge/core';

/**
 * Messages between the language server's main thread and its analysis worker. Everything is plain data:
 * plugins, trees and rule objects never leave the worker, so a plugin runs only there.
 */

/** The editor-side settings that shape the rule set (the `nixforge` section of the client's settings). */
export interface RuleSettings {
  /** Absolute path of a configuration file to use instead of the nearest `nixforge.config.json` (as `--config`). */
  configFile?: string;
  /** Extra plugin modules, absolute paths or npm names (as `--plugin`). */
  plugins?: string[];
  /** Rule levels that override the configuration (as `--rule ID=LEVEL`). */
  rules?: Record<string, RuleSetting>;
}

/** One document's content and where it lives. */
export interface DocumentInput {
  /** Absolute file-system path (`file:` URIs only); configuration is looked up from its directory. */
  path: string;
  /** The path shown in messages (relative to the workspace root when inside it). */
  displayPath: string;
  /** The editor's text (a leading BOM, if any, is kept; the engine strips it). */
  text: string;
  settings: RuleSettings;
}

/** What the server needs to know about a rule for hovers and links; copied from `RuleMeta`. */
export type RuleInfo = Pick<RuleMeta, 'description' | 'severity' | 'fixable' | 'docs'> & {
  /** The rule's documentation: `docs.url`, or for built-in rules their section of docs/rules.md (as in SARIF). */
  docsUrl?: string;
};

export interface AnalyzeRequest extends DocumentInput {
  kind: 'analyze';
  /**
   * Set when the document belongs to the workspace's project: its facts replace those the project holds,
   * and with `check`, the project checks run again when they changed (answered in `AnalyzeResult.project`).
   */
  project?: { check: boolean };
}

export interface AnalyzeResult {
  fileType: FileType;
  findings: Finding[];
  /** Set when the file could not be analysed at all (e.g. binary content). */
  error?: FileError;
  /** Set when the configuration (or a plugin it names) could not be loaded; nothing was analysed. */
  configError?: string;
  /** Metadata of every rule a finding refers to. */
  rules: Record<string, RuleInfo>;
  /** The project checks' findings, when they ran again (see `AnalyzeRequest.project`). */
  project?: ProjectFindings;
}

/** All findings of the project checks, by absolute path of the file each is reported on. */
export interface ProjectFindings {
  findings: Record<string, Finding[]>;
  /** Metadata of every rule a finding refers to. */
  rules: Record<string, RuleInfo>;
}

/**
 * Starts (or starts over) the worker's view of the workspace as `nixforge scan` run in `root` sees it: the
 * root's configuration, the discovered files. Their facts are collected afterwards with `project-sync`.
 */
export interface ProjectOpenRequest {
  kind: 'project-open';
  root: string;
  settings: RuleSettings;
}

export interface ProjectOpenResult {
  /** Whether the rule set has project checks at all; if not, the project needs nothing more. */
  active: boolean;
  /** Absolute paths of the discovered files, whose facts are still to be collected. */
  files: string[];
  configError?: string;
}

/** One file whose facts are to be collected again. */
export interface ProjectFileChange {
  path: string;
  /** The editor's text of an open document; without it the file is read from disk. */
  text?: string;
  /** The document was just closed: its content is the disk's again. */
  closed?: boolean;
}

/** Brings the project's facts up to date and, with `check`, runs the checks when anything changed. */
export interface ProjectSyncRequest {
  kind: 'project-sync';
  files: ProjectFileChange[];
  /** Files were created or deleted: discover the workspace again (new files are read from disk). */
  rediscover: boolean;
  check: boolean;
  /** Run the checks even when no facts changed (a `flake.lock` changed, or the first complete collection). */
  force?: boolean;
}

export interface ProjectSyncResult {
  /** Set when the checks ran. */
  project?: ProjectFindings;
}

/** Facts for code actions: which fixes are safe, and where suppression comments may be inserted. */
export interface ActionFactsRequest extends DocumentInput {
  kind: 'action-facts';
  fixes: ReportedFix[];
  /** 1-based lines before which a `# nixforge-disable-next-line` comment would be inserted. */
  lines: number[];
}

export interface ActionFactsResult {
  /** Per fix: applied alone, the file still parses and Nix reports no new error. */
  safe: boolean[];
  /** Per line: its start is not inside a multi-line string or comment, so a comment line can go before it. */
  insertable: boolean[];
}

/** Every fix of the file, applied until stable, as `nixforge scan --fix` does. */
export interface FixAllRequest extends DocumentInput {
  kind: 'fix-all';
}

export interface FixAllResult {
  text: string;
  applied: number;
}

export type WorkerRequest = AnalyzeRequest | ActionFactsRequest | FixAllRequest | ProjectOpenRequest | ProjectSyncRequest;

export interface WorkerResults {
  analyze: AnalyzeResult;
  'action-facts': ActionFactsResult;
  'fix-all': FixAllResult;
  'project-open': ProjectOpenResult;
  'project-sync': ProjectSyncResult;
}

/** A request as posted to the worker. */
export interface WorkerEnvelope {
  id: number;
  request: WorkerRequest;
}

/** The worker's answer to one envelope. */
export type WorkerReply = { id: number; ok: true; result: WorkerResults[keyof WorkerResults] } | { id: number; ok: false; message: string };

/** Data the worker is started with. */
export interface WorkerStartData {
  /** Int32 x 4 cells shared with the main thread (see scan/native-guard.ts): safe points for terminating. */
  progress: SharedArrayBuffer;
  /** Files over this size get one diagnostic instead of an analysis. */
  maxFileSize: number;
}
