import { DiagnosticSeverity, DiagnosticTag, type Diagnostic, type Position, type Range } from 'vscode-languageserver';
import type { Finding, Severity } from '@nixforge/core';
import type { RuleInfo } from './protocol.js';

/** `source` of every diagnostic the server publishes. */
export const DIAGNOSTIC_SOURCE = 'nixforge';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
};

/** Dead code is shown faded by editors that support the tag. */
const UNNECESSARY_PLUGINS = new Set(['dead-code']);

/**
 * An LSP position from a finding's 1-based line and UTF-16 column. The engine counts columns without a
 * leading BOM; the editor's text may still start with one, which then takes one code unit of line 0.
 */
export function toPosition(line: number, column: number, bomLength: number): Position {
  return { line: line - 1, character: column - 1 + (line === 1 ? bomLength : 0) };
}

export function findingRange(finding: Finding, bomLength: number): Range {
  return { start: toPosition(finding.line, finding.column, bomLength), end: toPosition(finding.endLine, finding.endColumn, bomLength) };
}

/** One diagnostic per finding: `code` is the rule id, linked to the rule's documentation where it has one. */
export function toDiagnostic(finding: Finding, rule: RuleInfo | undefined, bomLength: number): Diagnostic {
  const diagnostic: Diagnostic = {
    range: findingRange(finding, bomLength),
    severity: SEVERITY[finding.severity],
    code: finding.ruleId,
    source: DIAGNOSTIC_SOURCE,
    message: finding.message,
  };
  const url = rule?.docsUrl;
  if (url !== undefined && /^[a-z][a-z0-9+.-]*:/i.test(url)) diagnostic.codeDescription = { href: url };
  if (UNNECESSARY_PLUGINS.has(finding.ruleId.slice(0, finding.ruleId.indexOf('/')))) diagnostic.tags = [DiagnosticTag.Unnecessary];
  return diagnostic;
}

/** A diagnostic about the file as a whole (timeout, crash, configuration), on its first line. */
export function fileDiagnostic(code: string, message: string, severity: DiagnosticSeverity): Diagnostic {
  return {
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    severity,
    code,
    source: DIAGNOSTIC_SOURCE,
    message,
  };
}

/** Whether a position lies in a range (ends inclusive, so a cursor just after a token still hovers it). */
export function rangeContains(range: Range, position: Position): boolean {
  const afterStart = position.line > range.start.line || (position.line === range.start.line && position.character >= range.start.character);
  const beforeEnd = position.line < range.end.line || (position.line === range.end.line && position.character <= range.end.character);
  return afterStart && beforeEnd;
}

/** Whether two ranges share at least a point. */
export function rangesTouch(a: Range, b: Range): boolean {
  return rangeContains(a, b.start) || rangeContains(a, b.end) || rangeContains(b, a.start);
}
