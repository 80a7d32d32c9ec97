import type { Reporter, ReporterDefinition } from './reporter.js';

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

export const errfmtFormat: ReporterDefinition = { name: 'errfmt', needsSourceLines: false, create: errfmtReporter };
