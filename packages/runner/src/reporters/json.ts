import type { Reporter, ReportContext, ReporterDefinition } from './reporter.js';
import { publicFileReport } from './public-report.js';

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

export const jsonFormat: ReporterDefinition = { name: 'json', needsSourceLines: false, create: jsonReporter };
