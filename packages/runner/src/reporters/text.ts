import type { Finding } from '@nixforge/core';
import type { WorkerFileReport } from '../scan/task.js';
import type { Reporter } from './reporter.js';
import type { ReportSummary } from './summary.js';

function codeFrame(finding: Finding, lineText: string | undefined): string {
  if (lineText === undefined) return '';
  const gutter = String(finding.line);
  const pad = ' '.repeat(gutter.length);
  const start = Math.max(0, finding.column - 1);
  const end = finding.endLine === finding.line ? Math.max(finding.endColumn - 1, start + 1) : Math.max(lineText.length, start + 1);
  // Keep tabs so the caret lines up under the code in a terminal.
  const lead = lineText.slice(0, start).replace(/[^\t]/g, ' ');
  const marker = '^'.repeat(Math.max(1, Math.min(end, Math.max(lineText.length, start + 1)) - start));
  return `  ${gutter} | ${lineText}\n  ${pad} | ${lead}${marker}\n`;
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

export function formatSummaryLine(summary: ReportSummary): string {
  const { error, warning, info } = summary.bySeverity;
  const problems = `${plural(summary.findings, 'finding')} (${plural(error, 'error')}, ${plural(warning, 'warning')}, ${info} info)`;
  const errors = summary.filesWithErrors > 0 ? `; ${plural(summary.filesWithErrors, 'file')} could not be analysed` : '';
  return `${problems} in ${summary.filesWithFindings} of ${plural(summary.files, 'file')}${errors}`;
}

/** Human-readable: `path:line:col: severity: message [rule]`, a code frame, and a summary. */
export function textReporter(): Reporter {
  return {
    begin: () => '',
    file(report: WorkerFileReport) {
      let out = '';
      if (report.error) out += `${report.path}: ${report.error.code}: ${report.error.message}\n`;
      for (const finding of report.findings) {
        out += `${report.path}:${finding.line}:${finding.column}: ${finding.severity}: ${finding.message} [${finding.ruleId}]\n`;
        out += codeFrame(finding, report.sourceLines?.[finding.line]);
      }
      return out;
    },
    end: (summary) => `${summary.findings > 0 || summary.filesWithErrors > 0 ? '\n' : ''}${formatSummaryLine(summary)}\n`,
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
