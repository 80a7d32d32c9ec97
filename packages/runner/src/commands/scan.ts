import { parseCommandArgs } from '../cli.js';
import { UsageError } from '../errors.js';
import type { CliIO } from '../io.js';
import type { RuleSetting, RuleLevel } from '@nixforge/core';
import { REPORT_FORMATS, type ReportFormat } from '../reporters/index.js';
import { formatSummaryLine } from '../reporters/text.js';
import { runScan, type ScanOptions } from '../scan/run-scan.js';
import type { StageOptions } from '../scan/stages.js';
import { runFixPass } from '../scan/fix-pass.js';
import type { FailOn } from '../config/config-file.js';
import { distributedScanExecutor } from '../distributed/scan-flags.js';

export const SCAN_HELP = `Usage: nixforge scan [PATH...] [options]

Analyse the *.nix files under each PATH (default: .) and report findings.

Output:
  -f, --format FORMAT        text (default), json, ndjson, sarif, errfmt, github
  -o, --output FILE          write the report to FILE (atomically) instead of stdout
      --fail-on LEVEL        exit 1 when a finding is at or above LEVEL: info, warning, error (default), never
      --no-progress          never show progress (it is shown only when stderr is a terminal)
Rules and configuration:
      --config FILE          use FILE instead of the nearest nixforge.config.json
      --plugin PATH          load a plugin module (repeatable)
      --rule ID=LEVEL        set a rule or plugin to off, info, warning or error (repeatable)
Files:
      --exclude GLOB         skip files matching GLOB, gitignore syntax (repeatable)
      --hidden               also walk hidden directories
      --max-file-size BYTES  skip larger files, reporting them (default 50M; suffixes K, M, G)
      --file-timeout MS      stop analysing a file after MS milliseconds (default 60000)
      --threads N            worker threads (default: number of cores)
      --changed-since REV    only files added or changed since Git revision REV (and uncommitted changes)
      --rev REV              scan the tree of Git revision REV from Git objects (PATH: the repository)
Fixes:
      --fix                  apply safe fixes in place, repeating until stable
      --fix-dry-run          print the fixes as a unified diff; change nothing
CI:
      --cache                reuse results of unchanged files (content hash, rules, options, version)
      --cache-location DIR   cache directory (default .nixforge/cache)
      --write-baseline FILE  record current findings as accepted
      --baseline FILE        report and fail only on findings not in FILE
Events:
      --events FILE          write events as NDJSON to FILE (default .nixforge/events.ndjson; NIXFORGE_EVENTS=off disables)
      --no-events            write no events
      --nats URL             publish events to NATS JetStream (or NIXFORGE_NATS_URL)
      --events-fallback FILE write events to FILE when the NATS server cannot be reached
Distributed (workers: nixforge worker --nats URL):
      --distributed          analyse on the workers of NATS server --nats URL instead of local threads
      --shared-root DIR      workers read files from their checkout of DIR (content hash checked), not from messages
      --worker-timeout DUR   fail (exit 2) when no worker has answered for DUR (default 60s; e.g. 30s, 5m)
      --shared-cache         workers reuse reports from the KV bucket nixforge_results (path, content and configuration hash)

Exit codes: 0 clean, 1 findings at or above --fail-on, 2 usage, configuration or internal error.
`;

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
  format: { type: 'string', short: 'f' },
  output: { type: 'string', short: 'o' },
  'fail-on': { type: 'string' },
  'no-progress': { type: 'boolean' },
  config: { type: 'string' },
  plugin: { type: 'string', multiple: true },
  rule: { type: 'string', multiple: true },
  exclude: { type: 'string', multiple: true },
  hidden: { type: 'boolean' },
  'max-file-size': { type: 'string' },
  'file-timeout': { type: 'string' },
  threads: { type: 'string' },
  'changed-since': { type: 'string' },
  rev: { type: 'string' },
  fix: { type: 'boolean' },
  'fix-dry-run': { type: 'boolean' },
  cache: { type: 'boolean' },
  'cache-location': { type: 'string' },
  'write-baseline': { type: 'string' },
  baseline: { type: 'string' },
  events: { type: 'string' },
  'no-events': { type: 'boolean' },
  nats: { type: 'string' },
  'events-fallback': { type: 'string' },
  distributed: { type: 'boolean' },
  'shared-root': { type: 'string' },
  'worker-timeout': { type: 'string' },
  'shared-cache': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export async function run(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, SCAN_FLAGS);
  if (values.help) {
    io.stdout.write(SCAN_HELP);
    return 0;
  }
  const format = (values.format ?? 'text') as ReportFormat;
  if (!(REPORT_FORMATS as readonly string[]).includes(format)) {
    throw new UsageError(`--format: unknown format '${format}' (one of ${REPORT_FORMATS.join(', ')})`);
  }
  const failOn = values['fail-on'] as FailOn | undefined;
  if (failOn !== undefined && !FAIL_ON.includes(failOn)) {
    throw new UsageError(`--fail-on: expected one of ${FAIL_ON.join(', ')}, got '${failOn}'`);
  }
  const options: ScanOptions = {
    targets: positionals,
    format,
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
  if (values.distributed) options.executor = distributedScanExecutor(values, io);
  else {
    const stray = (['shared-root', 'worker-timeout', 'shared-cache'] as const).find((flag) => values[flag] !== undefined);
    if (stray !== undefined) throw new UsageError(`--${stray} needs --distributed`);
  }
  if ((values.fix || values['fix-dry-run']) && values.rev !== undefined) throw new UsageError('--fix cannot be used with --rev');

  if (values.fix && values['fix-dry-run']) throw new UsageError('--fix and --fix-dry-run cannot be combined');
  if (values.fix || values['fix-dry-run']) {
    const dryRun = values['fix-dry-run'] === true;
    const fixed = await runFixPass(options, io, dryRun);
    for (const error of fixed.errors) io.stderr.write(`nixforge scan: ${error.path}: cannot fix: ${error.message}\n`);
    const verb = dryRun ? 'would apply' : 'applied';
    io.stderr.write(`nixforge scan: ${verb} ${fixed.fixesApplied} fix(es) in ${fixed.filesChanged} file(s)\n`);
    if (dryRun) {
      io.stdout.write(fixed.diff);
      return fixed.errors.length > 0 ? 2 : fixed.scanExitCode;
    }
  }

  const result = await runScan(options, io);
  for (const note of result.notes) io.stderr.write(`nixforge scan: ${note}\n`);
  if (result.aborted) {
    io.stderr.write(`nixforge scan: interrupted; no report was written (${result.summary.files} files done)\n`);
  } else if (options.output !== undefined || format !== 'text') {
    io.stderr.write(`nixforge scan: ${formatSummaryLine(result.summary)} (${(result.durationMs / 1000).toFixed(2)} s)\n`);
  }
  if (result.internalFailures > 0) {
    io.stderr.write(`nixforge scan: ${result.internalFailures} file(s) hit an internal failure (timeout, crash or rule error); exit 2\n`);
  }
  return result.exitCode;
}
