import type { Finding, Severity } from '@nixforge/core';
import type { WorkerFileReport } from '../scan/task.js';
import { PLAIN, stylesFor, type Styles } from './colors.js';
import type { Reporter, ReportContext } from './reporter.js';
import type { ReportSummary } from './summary.js';
import { formatTopRules, RuleTally } from './top-rules.js';

function severityStyle(styles: Styles, severity: Severity): (text: string) => string {
  return severity === 'error' ? styles.red : severity === 'warning' ? styles.yellow : styles.cyan;
}

function codeFrame(finding: Finding, lineText: string | undefined, styles: Styles): string {
  if (lineText === undefined) return '';
  const gutter = String(finding.line);
  const pad = ' '.repeat(gutter.length);
  const start = Math.max(0, finding.column - 1);
  const end = finding.endLine === finding.line ? Math.max(finding.endColumn - 1, start + 1) : Math.max(lineText.length, start + 1);
  // Keep tabs so the caret lines up under the code in a terminal.
  const lead = lineText.slice(0, start).replace(/[^\t]/g, ' ');
  const marker = '^'.repeat(Math.max(1, Math.min(end, Math.max(lineText.length, start + 1)) - start));
  const bar = styles.dim('|');
  return `  ${styles.dim(gutter)} ${bar} ${lineText}\n  ${pad} ${bar} ${lead}${severityStyle(styles, finding.severity)(marker)}\n`;
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

/**
 * Human-readable: `path:line:col: severity: message [rule]`, a code frame, then the rules with the most findings
 * and the summary line (last, so `tail -1` still gives the totals). Coloured when `context.colors` is set.
 */
export function textReporter(context?: ReportContext): Reporter {
  const styles = stylesFor(context?.colors === true);
  const tally = new RuleTally();
  return {
    begin: () => '',
    file(report: WorkerFileReport) {
      tally.add(report);
      let out = '';
      if (report.error) out += `${report.path}: ${styles.red(report.error.code)}: ${report.error.message}\n`;
      for (const finding of report.findings) {
        const severity = severityStyle(styles, finding.severity)(finding.severity);
        out += `${report.path}:${finding.line}:${finding.column}: ${severity}: ${finding.message} ${styles.dim(`[${finding.ruleId}]`)}\n`;
        out += codeFrame(finding, report.sourceLines?.[finding.line], styles);
      }
      return out;
    },
    end: (summary) => {
      const top = formatTopRules(tally.top(), tally.size, styles);
      return `${summary.findings > 0 || summary.filesWithErrors > 0 ? '\n' : ''}${top}${formatSummaryLine(summary, styles)}\n`;
    },
  };
}

/** One line per finding, `path:line:col: severity: message [rule]`, as compilers print (editor quickfix lists). */
export function errfmtReporter(): Reporter {
  return {
    begin: () => '',
    file(report) {
      let out = '';
      if (report.error) out += `${report.path}:1:1: error: ${report.error.message} [${report.error.code}]\n`;
      for (const f of report.findings) out += `${report.path}:${f.line}:${f.column}: ${f.severity}: ${f.message} [${f.ruleId}]\n`;
      return out;
    },
    end: () => '',
  };
}

function escapeData(value: string): string {
  return value.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(value: string): string {
  return escapeData(value).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

const GITHUB_LEVEL = { error: 'error', warning: 'warning', info: 'notice' } as const;

/** GitHub Actions workflow commands: annotations on the pull request diff. */
export function githubReporter(): Reporter {
  return {
    begin: () => '',
    file(report) {
      let out = '';
      const file = escapeProperty(report.path);
      if (report.error) out += `::error file=${file},title=${escapeProperty(`nixforge ${report.error.code}`)}::${escapeData(report.error.message)}\n`;
      for (const f of report.findings) {
        const props = `file=${file},line=${f.line},col=${f.column},endLine=${f.endLine},endColumn=${f.endColumn},title=${escapeProperty(f.ruleId)}`;
        out += `::${GITHUB_LEVEL[f.severity]} ${props}::${escapeData(f.message)}\n`;
      }
      return out;
    },
    end: (summary) => `${escapeData(formatSummaryLine(summary))}\n`,
  };
}
