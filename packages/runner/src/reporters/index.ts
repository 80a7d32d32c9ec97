import { UsageError } from '../errors.js';
import { jsonReporter, ndjsonReporter } from './json.js';
import { sarifReporter } from './sarif.js';
import { errfmtReporter, githubReporter, textReporter } from './text.js';
import type { ReporterFactory } from './reporter.js';

export const REPORT_FORMATS = ['text', 'json', 'ndjson', 'sarif', 'errfmt', 'github'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

const FACTORIES: Record<ReportFormat, ReporterFactory> = {
  text: textReporter,
  json: jsonReporter,
  ndjson: ndjsonReporter,
  sarif: sarifReporter,
  errfmt: errfmtReporter,
  github: githubReporter,
};

export function reporterFor(format: string): ReporterFactory {
  if (!(REPORT_FORMATS as readonly string[]).includes(format)) {
    throw new UsageError(`--format: unknown format '${format}' (one of ${REPORT_FORMATS.join(', ')})`);
  }
  return FACTORIES[format as ReportFormat];
}

/** Formats whose output uses the text of the lines findings point at. */
export function needsSourceLines(format: ReportFormat): boolean {
  return format === 'text' || format === 'sarif';
}

export * from './reporter.js';
export * from './summary.js';
export { publicFileReport, publicFinding } from './json.js';
