import type { FileReport, RuleMeta } from '@nixforge/core';
import type { ReportSummary } from './summary.js';

/** A file's report as reporters receive it: the findings plus, for formats that want them, the lines they point at. */
export interface ReportedFile extends FileReport {
  /** Text of the lines that carry findings, by 1-based line number (only for formats with `needsSourceLines`). */
  sourceLines?: Record<number, string>;
}

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
  file(report: ReportedFile): string;
  end(summary: ReportSummary): string;
}

export type ReporterFactory = (context: ReportContext) => Reporter;

/**
 * A report format: what `--format NAME` selects. The built-in ones are listed in `registry.ts`; a module given as
 * `--format ./my-formatter.mjs` default-exports one of these (its `name` may be left out) or just its `create`.
 */
export interface ReporterDefinition {
  /** The `--format` value (for a module: the path as given). */
  readonly name: string;
  /** Whether file reports should carry `sourceLines` (code frames, fingerprints, byte columns). */
  readonly needsSourceLines: boolean;
  readonly create: ReporterFactory;
}

/** Base URL of rule documentation in the repository. */
export const RULE_DOCS_BASE = 'https://github.com/nixforge/nixforge/blob/main/docs/rules.md';

export function ruleDocsUrl(rule: ReportedRule): string {
  return rule.meta.docs?.url ?? `${RULE_DOCS_BASE}#${rule.id.replace('/', '-')}`;
}
