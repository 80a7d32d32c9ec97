import type { Reporter, ReportContext, ReporterDefinition } from './reporter.js';
import { publicFinding } from './public-report.js';

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

export const ndjsonFormat: ReporterDefinition = { name: 'ndjson', needsSourceLines: false, create: ndjsonReporter };
