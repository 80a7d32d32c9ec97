import type { Finding, Severity } from '@nixforge/core';
import { stylesFor, type Styles } from './colors.js';
import type { ReportedFile, Reporter, ReportContext, ReporterDefinition } from './reporter.js';
import { formatSummaryLine } from './summary.js';
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

/**
 * Human-readable: `path:line:col: severity: message [rule]`, a code frame, then the rules with the most findings
 * and the summary line (last, so `tail -1` still gives the totals). Coloured when `context.colors` is set.
 */
export function textReporter(context?: ReportContext): Reporter {
  const styles = stylesFor(context?.colors === true);
  const tally = new RuleTally();
  return {
    begin: () => '',
    file(report: ReportedFile) {
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

export const textFormat: ReporterDefinition = { name: 'text', needsSourceLines: true, create: textReporter };
