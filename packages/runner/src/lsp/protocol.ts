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

export type WorkerRequest = AnalyzeRequest | ActionFactsRequest | FixAllRequest;

export interface WorkerResults {
  analyze: AnalyzeResult;
  'action-facts': ActionFactsResult;
  'fix-all': FixAllResult;
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
