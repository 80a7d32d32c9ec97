import { SEVERITY_RANK, type FileReport, type Severity } from '@nixforge/core';
import { PLAIN, type Styles } from './colors.js';

/** Totals of a run, as they appear in reports (no timings, so reports are reproducible). */
export interface ReportSummary {
  files: number;
  filesWithFindings: number;
  filesWithErrors: number;
  findings: number;
  bySeverity: Record<Severity, number>;
  byRule: Record<string, number>;
  /** Lowest severity that fails the run, or `never`. */
  failOn: Severity | 'never';
  /** Findings at or above failOn. */
  failing: number;
}

/** Accumulates totals as file reports stream past. */
export class SummaryCounter {
  private readonly summary: ReportSummary;

  constructor(failOn: Severity | 'never') {
    this.summary = {
      files: 0,
      filesWithFindings: 0,
      filesWithErrors: 0,
      findings: 0,
      bySeverity: { error: 0, warning: 0, info: 0 },
      byRule: {},
      failOn,
      failing: 0,
    };
  }

  add(report: FileReport): void {
    const s = this.summary;
    s.files += 1;
    if (report.error) s.filesWithErrors += 1;
    if (report.findings.length > 0) s.filesWithFindings += 1;
    for (const finding of report.findings) {
      s.findings += 1;
      s.bySeverity[finding.severity] += 1;
      s.byRule[finding.ruleId] = (s.byRule[finding.ruleId] ?? 0) + 1;
      if (s.failOn !== 'never' && SEVERITY_RANK[finding.severity] >= SEVERITY_RANK[s.failOn]) s.failing += 1;
    }
  }

  result(): ReportSummary {
    const byRule: Record<string, number> = {};
    for (const key of Object.keys(this.summary.byRule).sort()) byRule[key] = this.summary.byRule[key]!;
    return { ...this.summary, bySeverity: { ...this.summary.bySeverity }, byRule };
  }
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

export function formatSummaryLine(summary: ReportSummary, styles: Styles = PLAIN): string {
  const { error, warning, info } = summary.bySeverity;
  const counts = `(${plural(error, 'error')}, ${plural(warning, 'warning')}, ${info} info)`;
  const total = plural(summary.findings, 'finding');
  const problems = `${error > 0 ? styles.bold(styles.red(total)) : warning > 0 ? styles.bold(styles.yellow(total)) : styles.bold(summary.findings > 0 ? total : styles.green(total))} ${counts}`;
  const errors = summary.filesWithErrors > 0 ? `; ${styles.red(plural(summary.filesWithErrors, 'file'))} could not be analysed` : '';
  return `${problems} in ${summary.filesWithFindings} of ${plural(summary.files, 'file')}${errors}`;
}
