import type { Reporter, ReporterDefinition } from './reporter.js';
import { formatSummaryLine } from './summary.js';

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

export const githubFormat: ReporterDefinition = { name: 'github', needsSourceLines: false, create: githubReporter };
