import type { Finding } from '@nixforge/core';
import type { ReportedFile } from './reporter.js';

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
  if (finding.messageId !== undefined) out.messageId = finding.messageId;
  if (finding.symbol !== undefined) out.symbol = finding.symbol;
  if (finding.fix !== undefined) out.fix = finding.fix;
  return out;
}

/** The documented per-file JSON object (internal fields such as source lines are left out). */
export function publicFileReport(report: ReportedFile): Record<string, unknown> {
  const out: Record<string, unknown> = { path: report.path, fileType: report.fileType };
  if (report.error) out.error = { code: report.error.code, message: report.error.message };
  out.findings = report.findings.map(publicFinding);
  return out;
}
