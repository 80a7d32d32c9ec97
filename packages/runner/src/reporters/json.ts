import type { Finding } from '@nixforge/core';
import type { WorkerFileReport } from '../scan/task.js';
import type { Reporter, ReportContext } from './reporter.js';

/** A finding with exactly the documented JSON fields, in a fixed order. */
export function publicFinding(finding: Finding): Finding {
  const out: Finding = {
    ruleId: finding.ruleId,
    severity: finding.severity,
    message: finding.message,
    line: finding.line,
    column: finding.column,
    endLine: finding.endLine,
    endColumn: finding.endColumn,
  };
  if (finding.symbol !== undefined) out.symbol = finding.symbol;
  if (finding.fix !== undefined) out.fix = finding.fix;
  return out;
}

/** The documented per-file JSON object (internal fields such as source lines are left out). */
export function publicFileReport(report: WorkerFileReport): Record<string, unknown> {
  const out: Record<string, unknown> = { path: report.path, fileType: report.fileType };
  if (report.error) out.error = { code: report.error.code, message: report.error.message };
  out.findings = report.findings.map(publicFinding);
  return out;
}

/**
 * One JSON document: `{ tool, files: [...], summary }`. Files stream out as they arrive; the summary comes
 * last because it is only known at the end.
 */
export function jsonReporter(context: ReportContext): Reporter {
  let first = true;
  return {
    begin: () => `{"tool":${JSON.stringify({ name: 'nixforge', version: context.version })},"files":[\n`,
    file(report) {
      const line = `${first ? '' : ',\n'}${JSON.stringify(publicFileReport(report))}`;
      first = false;
      return line;
    },
    end: (summary) => `${first ? '' : '\n'}],"summary":${JSON.stringify(summary)}}\n`,
  };
}

/** One JSON object per line: a `finding` per finding, a `file-error` per unreadable file, then a `summary`. */
export function ndjsonReporter(context: ReportContext): Reporter {
  return {
    begin: () => '',
    file(report) {
      let out = '';
      if (report.error) {
        out += `${JSON.stringify({ type: 'file-error', path: report.path, fileType: report.fileType, error: report.error })}\n`;
      }
      for (const finding of report.findings) {
        out += `${JSON.stringify({ type: 'finding', path: report.path, fileType: report.fileType, ...publicFinding(finding) })}\n`;
      }
      return out;
    },
    end: (summary) => `${JSON.stringify({ type: 'summary', tool: { name: 'nixforge', version: context.version }, ...summary })}\n`,
  };
}
