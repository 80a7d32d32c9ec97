import type { RuleMeta } from '@nixforge/core';
import type { WorkerFileReport } from '../scan/task.js';
import type { ReportSummary } from './summary.js';

/** A rule as reporters describe it (SARIF's tool.driver.rules, the text legend...). */
export interface ReportedRule {
  id: string;
  meta: RuleMeta;
}

/** Facts every reporter may use; nothing here varies between runs on the same input. */
export interface ReportContext {
  version: string;
  rules: readonly ReportedRule[];
  /** Colour the human-readable formats (only when they go to a terminal, or FORCE_COLOR); default off. */
  colors?: boolean;
}

/**
 * Turns a stream of file reports into output text. `file` is called once per file in path order; each
 * method returns the text to write next, so output streams with bounded memory.
 */
export interface Reporter {
  begin(): string;
  file(report: WorkerFileReport): string;
  end(summary: ReportSummary): string;
}

export type ReporterFactory = (context: ReportContext) => Reporter;

/** Base URL of rule documentation in the repository. */
export const RULE_DOCS_BASE = 'https://github.com/nixforge/nixforge/blob/main/docs/rules.md';

export function ruleDocsUrl(rule: ReportedRule): string {
  return rule.meta.docs?.url ?? `${RULE_DOCS_BASE}#${rule.id.replace('/', '-')}`;
}
