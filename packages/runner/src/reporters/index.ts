import { UsageError } from '../errors.js';
import { jsonReporter, ndjsonReporter } from './json.js';
import { sarifReporter } from './sarif.js';
import { rdjsonReporter } from './rdjson.js';
import { errorsOnly } from './quiet.js';
import { errfmtReporter, githubReporter, textReporter } from './text.js';
import type { ReporterFactory } from './reporter.js';

export const REPORT_FORMATS = ['text', 'json', 'ndjson', 'sarif', 'errfmt', 'github', 'rdjson'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

const FACTORIES: Record<ReportFormat, ReporterFactory> = {
  text: textReporter,
  json: jsonReporter,
  ndjson: ndjsonReporter,
  sarif: sarifReporter,
  errfmt: errfmtReporter,
  github: githubReporter,
  rdjson: rdjsonReporter,
};

/** How the report is presented; none of it changes what is found. */
export interface ReportOptions {
  /** Colour the text format (decided by the caller from the terminal, NO_COLOR, FORCE_COLOR, `--color`). */
  colors?: boolean;
  /** `--quiet`: report errors only. */
  quiet?: boolean;
}

export function reporterFor(format: string, options: ReportOptions = {}): ReporterFactory {
  if (!(REPORT_FORMATS as readonly string[]).includes(format)) {
    throw new UsageError(`--format: unknown format '${format}' (one of ${REPORT_FORMATS.join(', ')})`);
  }
  const factory = FACTORIES[format as ReportFormat];
  const styled: ReporterFactory = options.colors ? (context) => factory({ ...context, colors: true }) : factory;
  return options.quiet ? errorsOnly(styled) : styled;
}

/** Formats whose output uses the text of the lines findings point at. */
export function needsSourceLines(format: ReportFormat): boolean {
  return format === 'text' || format === 'sarif' || format === 'rdjson';
}

export * from './reporter.js';
export * from './summary.js';
export { publicFileReport, publicFinding } from './json.js';
export { RuleTally, formatTopRules, TOP_RULES, type RuleCount } from './top-rules.js';
export { wantsColor, stylesFor, type Styles } from './colors.js';
