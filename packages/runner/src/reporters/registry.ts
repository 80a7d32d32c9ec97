import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { UsageError, errorMessage } from '../errors.js';
import { errfmtFormat } from './errfmt.js';
import { githubFormat } from './github.js';
import { jsonFormat } from './json.js';
import { ndjsonFormat } from './ndjson.js';
import { errorsOnly } from './quiet.js';
import { rdjsonFormat } from './rdjson.js';
import type { Reporter, ReporterDefinition, ReporterFactory } from './reporter.js';
import { sarifFormat } from './sarif.js';
import { textFormat } from './text.js';

/** The built-in formats, in the order the help lists them; the first is the default. A new format is one entry here. */
export const BUILT_IN_FORMATS: readonly ReporterDefinition[] = [textFormat, jsonFormat, ndjsonFormat, sarifFormat, errfmtFormat, githubFormat, rdjsonFormat];

/** `--format` names of the built-in formats. */
export const REPORT_FORMATS: readonly string[] = BUILT_IN_FORMATS.map((format) => format.name);

export const DEFAULT_FORMAT = textFormat.name;

/** The help text of `--format`, generated from the registry. */
export function formatFlagHelp(): string {
  return `${REPORT_FORMATS[0]} (default), ${REPORT_FORMATS.slice(1).join(', ')}, or a formatter module (./my-formatter.mjs)`;
}

/** Whether a `--format` value names a module rather than a built-in format. */
export function isFormatterPath(value: string): boolean {
  return /^\.{0,2}[/\\]/.test(value) || /^file:/.test(value) || /\.[cm]?js$/.test(value);
}

/**
 * The format `--format VALUE` asks for: a built-in by name, or a formatter module by path (relative to `cwd`).
 * An unknown name or a module that cannot be loaded, or exports no reporter, is a UsageError.
 */
export async function loadReportFormat(value: string, cwd: string): Promise<ReporterDefinition> {
  const builtIn = BUILT_IN_FORMATS.find((format) => format.name === value);
  if (builtIn) return builtIn;
  if (!isFormatterPath(value)) {
    throw new UsageError(`--format: unknown format '${value}' (one of ${REPORT_FORMATS.join(', ')}, or a path to a formatter module)`);
  }
  const url = value.startsWith('file:') ? value : pathToFileURL(resolve(cwd, value)).href;
  let loaded: Record<string, unknown>;
  try {
    loaded = (await import(url)) as Record<string, unknown>;
  } catch (error) {
    throw new UsageError(`--format: cannot load the formatter module '${value}': ${errorMessage(error)}`);
  }
  return formatterFromModule(value, loaded);
}

/**
 * A formatter module default-exports `{ create, needsSourceLines? }` or the `create` function itself (named exports
 * `create` and `needsSourceLines` also work). `create(context)` returns `{ begin(), file(report), end(summary) }`,
 * each returning the text to write next.
 */
function formatterFromModule(value: string, loaded: Record<string, unknown>): ReporterDefinition {
  const exported = (loaded.default ?? loaded) as unknown;
  const spec = (typeof exported === 'function' ? { create: exported } : exported) as { create?: unknown; needsSourceLines?: unknown } | null;
  if (spec === null || typeof spec !== 'object' || typeof spec.create !== 'function') {
    throw new UsageError(`--format: the formatter module '${value}' exports no reporter (expected a default export { create(context) } or a function)`);
  }
  const create = spec.create as ReporterFactory;
  return { name: value, needsSourceLines: spec.needsSourceLines === true, create: (context) => checkedReporter(value, create(context)) };
}

/** Turns a formatter that breaks the contract into an error that names it, rather than `undefined` in the report. */
function checkedReporter(value: string, reporter: unknown): Reporter {
  const methods = ['begin', 'file', 'end'] as const;
  const candidate = reporter as Partial<Record<(typeof methods)[number], unknown>> | null;
  const missing = methods.filter((method) => typeof candidate?.[method] !== 'function');
  if (missing.length > 0) throw new UsageError(`--format: the reporter of '${value}' has no ${missing.join(', ')} method`);
  const text = (method: string, out: unknown): string => {
    if (typeof out !== 'string') throw new Error(`formatter '${value}': ${method}() returned ${typeof out}, expected a string`);
    return out;
  };
  const inner = reporter as Reporter;
  return {
    begin: () => text('begin', inner.begin()),
    file: (report) => text('file', inner.file(report)),
    end: (summary) => text('end', inner.end(summary)),
  };
}

/** How the report is presented; none of it changes what is found. */
export interface ReportOptions {
  /** Colour the text format (decided by the caller from the terminal, NO_COLOR, FORCE_COLOR, `--color`). */
  colors?: boolean;
  /** `--quiet`: report errors only. */
  quiet?: boolean;
}

/** The format's reporter factory with the presentation options applied. */
export function reporterFor(format: ReporterDefinition, options: ReportOptions = {}): ReporterFactory {
  const factory = format.create;
  const styled: ReporterFactory = options.colors ? (context) => factory({ ...context, colors: true }) : factory;
  return options.quiet ? errorsOnly(styled) : styled;
}
