import type { Finding, Severity } from '@nixforge/core';
import { ruleDocsUrl, type ReportedFile, type Reporter, type ReportContext, type ReporterDefinition } from './reporter.js';

const RDJSON_SEVERITY: Record<Severity, 'ERROR' | 'WARNING' | 'INFO'> = { error: 'ERROR', warning: 'WARNING', info: 'INFO' };

interface Position {
  line: number;
  column: number;
}

/**
 * rdjson counts columns in UTF-8 bytes, nixforge in UTF-16 code units. Converts with the line's text when the
 * report carries it (lines of findings, cut at 400 characters); elsewhere the column is kept, which is exact for
 * ASCII lines.
 */
function position(line: number, column: number, lines: Record<number, string> | undefined): Position {
  const text = lines?.[line];
  if (text === undefined || column - 1 > text.length) return { line, column };
  return { line, column: Buffer.byteLength(text.slice(0, column - 1), 'utf8') + 1 };
}

function diagnostic(report: ReportedFile, finding: Finding, urls: Map<string, string>): Record<string, unknown> {
  const lines = report.sourceLines;
  const out: Record<string, unknown> = {
    message: finding.message,
    location: {
      path: report.path,
      range: { start: position(finding.line, finding.column, lines), end: position(finding.endLine, finding.endColumn, lines) },
    },
    severity: RDJSON_SEVERITY[finding.severity],
    code: urls.has(finding.ruleId) ? { value: finding.ruleId, url: urls.get(finding.ruleId) } : { value: finding.ruleId },
  };
  if (finding.fix) {
    // Every edit of the fix is one suggestion; together they are the fix (reviewdog applies each to its range).
    out.suggestions = finding.fix.edits.map((edit) => ({
      range: { start: position(edit.line, edit.column, lines), end: position(edit.endLine, edit.endColumn, lines) },
      text: edit.text,
    }));
  }
  return out;
}

/**
 * reviewdog's Diagnostic Format as one `DiagnosticResult` document (`reviewdog -f=rdjson`): a diagnostic per
 * finding with the rule as `code`, fixes as `suggestions`, and one per file that could not be analysed.
 */
export function rdjsonReporter(context: ReportContext): Reporter {
  const urls = new Map(context.rules.map((rule) => [rule.id, ruleDocsUrl(rule)]));
  let first = true;
  const item = (json: Record<string, unknown>): string => {
    const text = `${first ? '' : ',\n'}${JSON.stringify(json)}`;
    first = false;
    return text;
  };
  return {
    begin: () => `{"source":${JSON.stringify({ name: 'nixforge', url: 'https://github.com/nixforge/nixforge' })},"diagnostics":[\n`,
    file(report) {
      let out = '';
      if (report.error) {
        out += item({ message: `${report.error.code}: ${report.error.message}`, location: { path: report.path }, severity: 'ERROR', code: { value: report.error.code } });
      }
      for (const finding of report.findings) out += item(diagnostic(report, finding, urls));
      return out;
    },
    end: () => `${first ? '' : '\n'}]}\n`,
  };
}

export const rdjsonFormat: ReporterDefinition = { name: 'rdjson', needsSourceLines: true, create: rdjsonReporter };
