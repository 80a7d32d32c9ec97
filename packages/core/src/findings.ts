import type { Severity } from './plugin-api.js';
import type { FileType } from './file-type.js';

/** A fix as it appears in reports: offsets plus positions for every edit. */
export interface ReportedFix {
  description: string;
  edits: Array<{
    start: number;
    end: number;
    line: number;
    column: number;
    endLine: number;
    endColumn: number;
    text: string;
  }>;
}

/** One problem found in one file. Lines and columns are 1-based; columns count UTF-16 code units. */
export interface Finding {
  ruleId: string;
  severity: Severity;
  message: string;
  /** The `meta.messages` key the rule reported with, when it used one. */
  messageId?: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  symbol?: string;
  fix?: ReportedFix;
}

/** Why a file could not be analysed (it still appears in the report). */
export interface FileError {
  /** Stable code: `read-error`, `too-large`, `binary`, `timeout`, `worker-crash`, `internal-error`... */
  code: string;
  message: string;
}

/** Result for one file: what the runner streams to reporters. Never contains a tree. */
export interface FileReport {
  path: string;
  fileType: FileType;
  error?: FileError;
  findings: Finding[];
}

export const SEVERITY_RANK: Record<Severity, number> = { info: 0, warning: 1, error: 2 };

/** Orders findings by position, then rule id, then message, so reports are deterministic. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    a.line - b.line ||
    a.column - b.column ||
    a.endLine - b.endLine ||
    a.endColumn - b.endColumn ||
    (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0) ||
    (a.message < b.message ? -1 : a.message > b.message ? 1 : 0)
  );
}
