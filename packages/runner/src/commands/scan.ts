import { dirname, resolve, sep } from 'node:path';
import { parseCommandArgs } from './args.js';
import { UsageError } from '../errors.js';
import { formatFlagLine, type FlagSpec as CommonFlagSpec } from '../help.js';
import { EXIT, readAll, type CliIO } from '../io.js';
import type { RuleSetting, RuleLevel } from '@nixforge/core';
import { findConfigFile } from '../config/index.js';
import { fixText } from '../fix/index.js';
import { streamOutput } from '../output.js';
import { DEFAULT_FORMAT, RuleTally, formatFlagHelp, formatSummaryLine, formatTopRules, loadReportFormat, stylesFor, wantsColor } from '../reporters/index.js';
import type { ScanObserver } from '../scan-observer.js';
import { prepareScan, runScan, type ScanOptions, type ScanResult, runFixPass } from '../scan/index.js';
import type { ScanInput, StageOptions } from '../scan/index.js';
import type { FailOn } from '../config/index.js';

/** A flag of `nixforge scan` (see help.ts) and the group of the help it is listed in. */
interface FlagSpec extends CommonFlagSpec {
  group: 'Output' | 'Rules and configuration' | 'Files' | 'Fixes' | 'CI' | 'Events' | 'Editors' | 'Distributed';
}

const LEVELS: readonly RuleLevel[] = ['off', 'info', 'warning', 'error'];
const FAIL_ON: readonly FailOn[] = ['info', 'warning', 'error', 'never'];

export function parsePositiveInteger(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new UsageError(`${flag}: expected a positive integer, got '${value}'`);
  return Number(value);
}

export function parseByteSize(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const match = /^(\d+)([KMG]i?B?)?$/i.exec(value.trim());
  if (!match) throw new UsageError(`${flag}: expected a size in bytes such as 1048576 or 1M, got '${value}'`);
  const unit = (match[2] ?? '').charAt(0).toUpperCase();
  const factor = unit === 'K' ? 1024 : unit === 'M' ? 1024 ** 2 : unit === 'G' ? 1024 ** 3 : 1;
  const size = Number(match[1]) * factor;
  if (size < 1) throw new UsageError(`${flag}: must be at least 1 byte`);
  return size;
}

export function parseRuleFlags(values: readonly string[] | undefined): Record<string, RuleSetting> {
  const rules: Record<string, RuleSetting> = {};
  for (const value of values ?? []) {
    const at = value.lastIndexOf('=');
    const id = value.slice(0, at);
    const level = value.slice(at + 1) as RuleLevel;
    if (at <= 0 || !LEVELS.includes(level)) {
      throw new UsageError(`--rule: expected ID=LEVEL with LEVEL one of ${LEVELS.join(', ')}, got '${value}'`);
    }
    rules[id] = level;
  }
  return rules;
}

export const SCAN_FLAGS = {
  format: { type: 'string', short: 'f', arg: 'FORMAT', group: 'Output', help: formatFlagHelp() },
  output: { type: 'string', short: 'o', arg: 'FILE', group: 'Output', help: 'write the report to FILE (atomically) instead of stdout' },
  'fail-on': { type: 'string', arg: 'LEVEL', group: 'Output', help: 'exit 1 when a finding is at or above LEVEL: info, warning, error (default), never' },
  'max-warnings': { type: 'string', arg: 'N', group: 'Output', help: 'also exit 1 when there are more than N warnings' },
  quiet: { type: 'boolean', short: 'q', group: 'Output', help: 'report errors only (the exit code still counts every finding)' },
  stats: { type: 'boolean', group: 'Output', help: 'print the rules with the most findings on stderr (the text report always ends with them)' },
  color: { type: 'boolean', group: 'Output', help: 'colour the text report even when stdout is not a terminal' },
  'no-color': { type: 'boolean', group: 'Output', help: 'never colour (also NO_COLOR=1; FORCE_COLOR=1 forces colour)' },
  'no-progress': { type: 'boolean', group: 'Output', help: 'never show progress (it is shown only when stderr is a terminal)' },
  config: { type: 'string', arg: 'FILE', group: 'Rules and configuration', help: 'use FILE instead of the nearest nixforge.config.json' },
  plugin: { type: 'string', multiple: true, arg: 'PATH', group: 'Rules and configuration', help: 'load a plugin module (repeatable)' },
  rule: { type: 'string', multiple: true, arg: 'ID=LEVEL', group: 'Rules and configuration', help: 'set a rule or plugin to off, info, warning or error (repeatable)' },
  exclude: { type: 'string', multiple: true, arg: 'GLOB', group: 'Files', help: 'skip files matching GLOB, gitignore syntax (repeatable)' },
  hidden: { type: 'boolean', group: 'Files', help: 'also walk hidden directories' },
  'max-file-size': { type: 'string', arg: 'BYTES', group: 'Files', help: 'skip larger files, reporting them (default 50M; suffixes K, M, G)' },
  'file-timeout': { type: 'string', arg: 'MS', group: 'Files', help: 'stop analysing a file after MS milliseconds (default 60000)' },
  threads: { type: 'string', arg: 'N', group: 'Files', help: 'worker threads (default: number of cores)' },
  'changed-since': { type: 'string', arg: 'REV', group: 'Files', help: 'only files added or changed since Git revision REV (and uncommitted changes)' },
  rev: { type: 'string', arg: 'REV', group: 'Files', help: 'scan the tree of Git revision REV from Git objects (PATH: the repository)' },
  stdin: { type: 'boolean', group: 'Editors', help: 'lint the text on standard input instead of files' },
  'stdin-filename': { type: 'string', arg: 'PATH', group: 'Editors', help: 'with --stdin: the file the text is (report path, file type, configuration)' },
  fix: { type: 'boolean', group: 'Fixes', help: 'apply safe fixes in place, repeating until stable (with --stdin: print the fixed text)' },
  'fix-dry-run': { type: 'boolean', group: 'Fixes', help: 'print the fixes as a unified diff; change nothing' },
  cache: { type: 'boolean', group: 'CI', help: 'reuse results of unchanged files (content hash, rules, options, version)' },
  'cache-location': { type: 'string', arg: 'DIR', group: 'CI', help: 'cache directory (default .nixforge/cache)' },
  'write-baseline': { type: 'string', arg: 'FILE', group: 'CI', help: 'record current findings as accepted' },
  baseline: { type: 'string', arg: 'FILE', group: 'CI', help: 'report and fail only on findings not in FILE' },
  events: { type: 'string', arg: 'FILE', group: 'Events', help: 'append events as NDJSON to FILE (or NIXFORGE_EVENTS=FILE, or "events" in the config)' },
  'no-events': { type: 'boolean', group: 'Events', help: 'write no events (the default unless one of the above asks for them)' },
  nats: { type: 'string', arg: 'URL', group: 'Events', help: 'publish events to NATS JetStream (or NIXFORGE_NATS_URL)' },
  'events-fallback': { type: 'string', arg: 'FILE', group: 'Events', help: 'write events to FILE when the NATS server cannot be reached' },
  distributed: { type: 'boolean', group: 'Distributed', help: 'analyse on the workers of NATS server --nats URL instead of local threads (workers: nixforge worker --nats URL)' },
  'shared-root': { type: 'string', arg: 'DIR', group: 'Distributed', help: 'workers read files from their checkout of DIR (content hash checked), not from messages' },
  'worker-timeout': { type: 'string', arg: 'DUR', group: 'Distributed', help: 'fail (exit 2) when no worker has answered for DUR (default 60s; e.g. 30s, 5m)' },
  'shared-cache': { type: 'boolean', group: 'Distributed', help: 'workers reuse reports from the KV bucket nixforge_results (path, content and configuration hash)' },
  help: { type: 'boolean', short: 'h', group: 'Output', help: 'show this help' },
} as const satisfies Record<string, FlagSpec>;

const GROUP_ORDER: readonly FlagSpec['group'][] = ['Output', 'Rules and configuration', 'Files', 'Editors', 'Fixes', 'CI', 'Events', 'Distributed'];

/** The help of `nixforge scan`, generated from SCAN_FLAGS so the two never disagree. */
export function scanHelp(): string {
  const lines = ['Usage: nixforge scan [PATH...] [options]', '', 'Analyse the *.nix files under each PATH (default: .) and report findings.', ''];
  const flags = Object.entries(SCAN_FLAGS as Record<string, FlagSpec>);
  for (const group of GROUP_ORDER) {
    lines.push(`${group}:`);
    for (const [name, spec] of flags) {
      if (spec.group !== group) continue;
      lines.push(formatFlagLine(name, spec, 22));
    }
  }
  lines.push('', 'Exit codes: 0 clean, 1 findings at or above --fail-on (or more than --max-warnings warnings),');
  lines.push('2 usage, configuration or internal error; 141 when stdout was closed early (e.g. by `head`).');
  return lines.join('\n') + '\n';
}

/** Where the text given with `--stdin` is linted as if it were. */
interface StdinTarget {
  /** As given (`--stdin-filename`), POSIX separators; `<stdin>` when none was given. */
  displayPath: string;
  absolutePath: string;
  text: string;
}

const BOM = '\uFEFF';

/** `--max-warnings N`: a non-negative integer. */
function parseMaxWarnings(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new UsageError(`--max-warnings: expected a number of warnings (0 or more), got '${value}'`);
  return Number(value);
}

/**
 * The configuration for a file given on stdin: `--config`, else the nixforge.config.json nearest the file's own
 * directory (as ESLint and ruff do with their stdin file name), so an editor in any working directory lints the
 * buffer with its project's rules.
 */
function configForStdin(target: StdinTarget, configPath: string | undefined): string | undefined {
  return configPath ?? findConfigFile(dirname(target.absolutePath));
}

export async function run(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, SCAN_FLAGS);
  if (values.help) {
    io.stdout.write(scanHelp());
    return 0;
  }
  const format = await loadReportFormat(values.format ?? DEFAULT_FORMAT, io.cwd);
  const failOn = values['fail-on'] as FailOn | undefined;
  if (failOn !== undefined && !FAIL_ON.includes(failOn)) {
    throw new UsageError(`--fail-on: expected one of ${FAIL_ON.join(', ')}, got '${failOn}'`);
  }
  if (values.color && values['no-color']) throw new UsageError('--color and --no-color cannot be combined');
  const maxWarnings = parseMaxWarnings(values['max-warnings']);
  const colorFlag = values.color ? true : values['no-color'] ? false : undefined;
  const options: ScanOptions = {
    targets: positionals,
    format,
    report: {
      // Only the text report on stdout is coloured; reports written to files stay plain.
      colors: format.name === 'text' && values.output === undefined && wantsColor(io.stdout, io.env, colorFlag),
      quiet: values.quiet === true,
    },
    plugins: values.plugin ?? [],
    rules: parseRuleFlags(values.rule),
    excludes: values.exclude ?? [],
    hidden: values.hidden ?? false,
    progress: !values['no-progress'],
  };
  if (values.output !== undefined) options.output = values.output;
  if (values.config !== undefined) options.configPath = values.config;
  if (failOn !== undefined) options.failOn = failOn;
  const threads = parsePositiveInteger('--threads', values.threads);
  if (threads !== undefined) options.threads = threads;
  const timeout = parsePositiveInteger('--file-timeout', values['file-timeout']);
  if (timeout !== undefined) options.fileTimeoutMs = timeout;
  const maxSize = parseByteSize('--max-file-size', values['max-file-size']);
  if (maxSize !== undefined) options.maxFileSize = maxSize;

  const stages: StageOptions = {};
  if (values.cache || values['cache-location'] !== undefined) stages.cache = true;
  if (values['cache-location'] !== undefined) stages.cacheLocation = values['cache-location'];
  if (values.baseline !== undefined) stages.baseline = values.baseline;
  if (values['write-baseline'] !== undefined) stages.writeBaseline = values['write-baseline'];
  if (values['changed-since'] !== undefined) stages.changedSince = values['changed-since'];
  if (values.rev !== undefined) stages.rev = values.rev;
  options.stages = stages;
  if (values['no-events']) {
    // With --distributed, --nats names the work queue's server as well; --no-events then only stops the events.
    if (values.events !== undefined || (values.nats !== undefined && !values.distributed)) throw new UsageError('--no-events cannot be combined with --events or --nats');
    options.events = false;
  } else {
    const events: NonNullable<Exclude<ScanOptions['events'], false>> = {};
    if (values.events !== undefined) events.events = values.events;
    if (values.nats !== undefined) events.nats = values.nats;
    if (values['events-fallback'] !== undefined) events.eventsFallback = values['events-fallback'];
    options.events = events;
  }
  // The coordinator (and the NATS client) is loaded only for a distributed scan.
  if (values.distributed) options.executor = (await import('../distributed/index.js')).distributedScanExecutor(values, io);
  else {
    const stray = (['shared-root', 'worker-timeout', 'shared-cache'] as const).find((flag) => values[flag] !== undefined);
    if (stray !== undefined) throw new UsageError(`--${stray} needs --distributed`);
  }
  if ((values.fix || values['fix-dry-run']) && values.rev !== undefined) throw new UsageError('--fix cannot be used with --rev');
  if (values.fix && values['fix-dry-run']) throw new UsageError('--fix and --fix-dry-run cannot be combined');
  // Workers of a distributed scan may not see the files where they live: fixes are written by local workers only.
  if ((values.fix || values['fix-dry-run']) && values.distributed) throw new UsageError('--fix cannot be used with --distributed');

  const tally = new RuleTally();
  if (values.stats) options.observers = [tallyObserver(tally)];

  let exitCode: number;
  if (values.stdin || values['stdin-filename'] !== undefined) {
    exitCode = await runOnStdin(options, io, { stdin: values.stdin === true, filename: values['stdin-filename'], fix: values.fix === true, dryRun: values['fix-dry-run'] === true });
  } else {
    if (values.fix || values['fix-dry-run']) {
      const dryRun = values['fix-dry-run'] === true;
      const fixed = await runFixPass(options, io, dryRun);
      for (const error of fixed.errors) io.stderr.write(`nixforge scan: ${error.path}: cannot fix: ${error.message}\n`);
      const verb = dryRun ? 'would apply' : 'applied';
      io.stderr.write(`nixforge scan: ${verb} ${fixed.fixesApplied} fix(es) in ${fixed.filesChanged} file(s)\n`);
      if (dryRun) {
        io.stdout.write(fixed.diff);
        return fixed.errors.length > 0 ? 2 : fixed.scan.exitCode;
      }
      exitCode = await reportRun(fixed.scan, options, io);
    } else {
      exitCode = await reportRun(await runScan(options, io), options, io);
    }
  }

  if (values.stats && !(format.name === 'text' && options.output === undefined)) {
    io.stderr.write(formatTopRules(tally.top(), tally.size, stylesFor(wantsColor(io.stderr, io.env, colorFlag))));
  }
  return exitCode;

  /** Prints the stderr lines of a finished scan and returns its exit code, `--max-warnings` applied. */
  async function reportRun(result: ScanResult, scanOptions: ScanOptions, cliIO: CliIO): Promise<number> {
    for (const note of result.notes) cliIO.stderr.write(`nixforge scan: ${note}\n`);
    if (result.aborted) {
      cliIO.stderr.write(`nixforge scan: interrupted; no report was written (${result.summary.files} files done)\n`);
    } else if (scanOptions.output !== undefined || format.name !== 'text') {
      cliIO.stderr.write(`nixforge scan: ${formatSummaryLine(result.summary)} (${(result.durationMs / 1000).toFixed(2)} s)\n`);
    }
    if (result.internalFailures > 0) {
      cliIO.stderr.write(`nixforge scan: ${result.internalFailures} file(s) hit an internal failure (timeout, crash or rule error); exit 2\n`);
    }
    const warnings = result.summary.bySeverity.warning;
    if (maxWarnings !== undefined && !result.aborted && warnings > maxWarnings) {
      cliIO.stderr.write(`nixforge scan: ${warnings} warnings, more than --max-warnings ${maxWarnings} allows; exit 1\n`);
      if (result.exitCode === EXIT.clean) return EXIT.findings;
    }
    return result.exitCode;
  }

  /**
   * `--stdin [--stdin-filename PATH]`: the text on stdin is analysed as if it were PATH (its file type, its
   * configuration, its path in the report). With `--fix` the fixed text is printed instead of a report, and the
   * exit code is that of the fixed text.
   */
  async function runOnStdin(base: ScanOptions, cliIO: CliIO, how: { stdin: boolean; filename: string | undefined; fix: boolean; dryRun: boolean }): Promise<number> {
    if (!how.stdin) throw new UsageError('--stdin-filename needs --stdin');
    if (base.targets.length > 0) throw new UsageError('--stdin takes no PATH (name the file with --stdin-filename)');
    if (how.dryRun) throw new UsageError('--fix-dry-run cannot be used with --stdin (--fix --stdin prints the fixed text and changes no file)');
    if (base.stages?.rev !== undefined || base.stages?.changedSince !== undefined) throw new UsageError('--stdin cannot be combined with --rev or --changed-since');
    if (how.filename !== undefined && how.filename.trim() === '') throw new UsageError('--stdin-filename: the path is empty');
    if (!cliIO.stdin) throw new UsageError('--stdin: there is no standard input');
    const displayPath = how.filename === undefined ? '<stdin>' : how.filename.split(sep).join('/');
    const target: StdinTarget = { displayPath, absolutePath: resolve(cliIO.cwd, how.filename ?? '<stdin>'), text: await readAll(cliIO.stdin) };
    const configPath = configForStdin(target, base.configPath);
    const scanOptions: ScanOptions = { ...base, ...(configPath !== undefined ? { configPath } : {}), progress: false };
    let text = target.text;
    if (how.fix) {
      const prepared = await prepareScan(scanOptions, cliIO);
      const bom = text.startsWith(BOM) ? BOM : '';
      const fixed = fixText(target.absolutePath, text.slice(bom.length), prepared.rules);
      text = bom + fixed.text;
      await streamOutput(cliIO.stdout).write(text);
      cliIO.stderr.write(`nixforge scan: applied ${fixed.applied} fix(es) to ${displayPath}\n`);
    }
    const input: ScanInput = { absolutePath: target.absolutePath, displayPath, size: Buffer.byteLength(text), loadText: async () => text };
    const result = await runScan({ ...scanOptions, inputs: [input], ...(how.fix ? { discardReport: true } : {}) }, cliIO);
    return reportRun(result, scanOptions, cliIO);
  }
}

/** An observer that only counts findings per rule (`--stats`). */
function tallyObserver(tally: RuleTally): ScanObserver {
  return {
    started: () => {},
    file: (report) => tally.add(report),
    completed: () => {},
    close: async () => [],
  };
}
