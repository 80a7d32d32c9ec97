import { stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { RuleConfigError, resolveRules, type ResolvedRule, type RuleSetting, type Severity } from '@nixforge/core';
import type { FailOn } from '../config/index.js';
import { loadConfiguredPlugins } from '../config/index.js';
import { UsageError } from '../errors.js';
import { EXIT, type CliIO } from '../io.js';
import { loadReportFormat, reporterFor, SummaryCounter, type ReporterDefinition, type ReportOptions, type ReportSummary } from '../reporters/index.js';
import { atomicFileOutput, discardOutput, streamOutput, type ReportOutput } from '../output.js';
import { VERSION } from '../version.js';
import type { ScanObserver, ScanSummary } from '../scan-observer.js';
import { discoverFiles } from './discovery.js';
import { createProgress } from './progress.js';
import { createScanPool, DEFAULT_FILE_TIMEOUT_MS, DEFAULT_MAX_FILE_SIZE, defaultThreads, scanFiles, type ScanExecutor, type ScanInput, type ScanPool } from './scan-files.js';
import type { FileFixResult, FixMode, RuleSetup, WorkerFileReport } from './task.js';
import { createStages, stagePipeline, type StageOptions } from './stages/index.js';
import { mergeProjectFindings, projectRules, runProjectPhase, type ExecutedFile } from './project-phase.js';
import { openScanEvents } from '../events/index.js';

/** Everything `nixforge scan` can be asked to do, after flags and configuration are merged. */
export interface ScanOptions {
  targets: string[];
  /** The report format: a definition, or a `--format` value (a built-in's name or a formatter module's path). */
  format: ReporterDefinition | string;
  /** Presentation of the report: colour, `--quiet`. */
  report?: ReportOptions;
  output?: string;
  configPath?: string;
  plugins: string[];
  /** Rule settings from the command line; they override the configuration's. */
  rules: Record<string, RuleSetting>;
  excludes: string[];
  hidden: boolean;
  threads?: number;
  failOn?: FailOn;
  fileTimeoutMs?: number;
  maxFileSize?: number;
  progress: boolean;
  /** Optional stages: cache, baseline, `--changed-since`, `--rev`. */
  stages?: StageOptions;
  /** Where events go; `false` turns them off. Default: NIXFORGE_EVENTS, the configuration's `events`, NIXFORGE_NATS_URL, else none. */
  events?: { nats?: string; events?: string; eventsFallback?: string } | false;
  /** Extra observers (tests, embedding applications). */
  observers?: ScanObserver[];
  /** The files to analyse instead of discovering them under `targets` (`--stdin`: one in-memory file). */
  inputs?: ScanInput[];
  /** Write no report at all (a pass that only feeds observers, e.g. finding fixable files for `--fix`). */
  discardReport?: boolean;
  /** Analyses the files instead of the local worker pool (e.g. the distributed coordinator); same contract as scanFiles. */
  executor?: ScanExecutor;
  /** `--fix` (`write`) or `--fix-dry-run` (`diff`): each worker fixes its files before reporting them. */
  fix?: FixMode;
}

/** The rule set and configuration a scan runs with. */
export interface PreparedScan {
  rules: ResolvedRule[];
  setup: RuleSetup;
  threads: number;
  failOn: FailOn;
  excludes: Array<{ baseDir: string; patterns: string[] }>;
  /** The configuration's `events` log, absolute. */
  eventLog?: string;
}

export async function prepareScan(options: Pick<ScanOptions, 'configPath' | 'plugins' | 'rules' | 'threads' | 'failOn' | 'excludes'>, io: CliIO): Promise<PreparedScan> {
  const { loaded, specs, plugins, urls } = await loadConfiguredPlugins(io.cwd, options.configPath, options.plugins);
  const ruleSettings: Record<string, RuleSetting> = { ...(loaded.config.rules ?? {}), ...options.rules };
  let rules: ResolvedRule[];
  try {
    rules = resolveRules(plugins, ruleSettings, { extends: loaded.config.extends });
  } catch (error) {
    if (error instanceof RuleConfigError) throw new UsageError(`${loaded.path ? `${loaded.path}: ` : ''}${error.message}`);
    throw error;
  }
  return {
    rules,
    setup: {
      pluginUrls: urls,
      pluginSpecifiers: specs.map((s) => s.specifier),
      rules: ruleSettings,
      ...(loaded.config.extends !== undefined ? { extends: loaded.config.extends } : {}),
    },
    threads: options.threads ?? loaded.config.threads ?? defaultThreads(),
    failOn: options.failOn ?? loaded.config.failOn ?? 'error',
    excludes: [
      { baseDir: loaded.baseDir, patterns: loaded.config.ignores ?? [] },
      { baseDir: io.cwd, patterns: options.excludes },
    ],
    ...(loaded.config.events !== undefined ? { eventLog: resolve(loaded.baseDir, loaded.config.events) } : {}),
  };
}

const INTERNAL_FAILURES = new Set(['internal-error', 'worker-crash', 'timeout', 'content-mismatch', 'worker-refused']);

/** Whether a report shows that nixforge itself failed on the file (as opposed to the file being unreadable). */
export function isInternalFailure(report: WorkerFileReport): boolean {
  return (report.error !== undefined && INTERNAL_FAILURES.has(report.error.code)) || report.findings.some((f) => f.ruleId === 'internal/rule-error');
}

export interface ScanResult {
  summary: ReportSummary;
  exitCode: number;
  aborted: boolean;
  internalFailures: number;
  durationMs: number;
  /** Lines for the stderr summary from stages and observers (cache reuse, events published...). */
  notes: string[];
  /** With `fix`: what fixing did, per file that changed or failed, in path order. */
  fixes?: Array<FileFixResult & { path: string }>;
}

export async function runScan(options: ScanOptions, io: CliIO): Promise<ScanResult> {
  const started = Date.now();
  const prepared = await prepareScan(options, io);
  // The workers load their modules (about 0.25 s each) while this thread sets up the stages and discovers files.
  const pool = options.executor ? undefined : createScanPool(await workersToStart(options, prepared.threads, io.cwd));
  try {
    return await scanPrepared(options, io, prepared, started, pool);
  } finally {
    await pool?.destroy();
  }
}

/**
 * How many workers a scan starts before its files are known: one per file when they are known up front (stdin,
 * file arguments, as pre-commit passes them) and fewer than the threads, else the thread count.
 */
export async function workersToStart(options: Pick<ScanOptions, 'inputs' | 'stages' | 'targets'>, threads: number, cwd: string): Promise<number> {
  const known = (count: number): number => Math.max(1, Math.min(threads, count));
  if (options.inputs) return known(options.inputs.length);
  if (options.stages?.rev !== undefined || options.targets.length === 0 || options.targets.length >= threads) return threads;
  const isFile = await Promise.all(options.targets.map((target) => stat(resolve(cwd, target)).then((info) => info.isFile(), () => false)));
  return isFile.every(Boolean) ? known(options.targets.length) : threads;
}

async function scanPrepared(options: ScanOptions, io: CliIO, prepared: PreparedScan, started: number, pool: ScanPool | undefined): Promise<ScanResult> {
  const stages = stagePipeline(await createStages(options.stages ?? {}, { rules: prepared.rules, pluginUrls: prepared.setup.pluginUrls, targets: options.targets, io }));
  const failOn: Severity | 'never' = prepared.failOn;
  const given = options.inputs;
  const discovered = given !== undefined || options.stages?.rev !== undefined ? [] : await discoverFiles(options.targets.length > 0 ? options.targets : ['.'], {
    cwd: io.cwd,
    excludes: prepared.excludes,
    hidden: options.hidden,
  });
  let inputs: ScanInput[] = given ?? (options.stages?.rev !== undefined ? [] : discovered.map((file) => {
    const input: ScanInput = { absolutePath: file.absolutePath, displayPath: file.displayPath, size: file.size };
    if (file.problem) input.problem = file.problem;
    return input;
  }));
  inputs = await stages.selectInputs(inputs);
  // Fixes need the file's current text and a fresh analysis: no cached report stands in for either.
  if (options.fix) inputs = inputs.map((input) => (input.text === undefined && input.loadText === undefined ? { ...input, fix: options.fix } : input));
  const fixes = new Map<string, FileFixResult>();

  const context = { version: VERSION, rules: prepared.rules.map((r) => ({ id: r.id, meta: { ...r.rule.meta, severity: r.severity } })) };
  const format = typeof options.format === 'string' ? await loadReportFormat(options.format, io.cwd) : options.format;
  const reporter = reporterFor(format, options.report)(context);
  const output: ReportOutput = options.discardReport
    ? discardOutput()
    : options.output
      ? await atomicFileOutput(io.cwd, options.output)
      : streamOutput(io.stdout);
  const observers = [...(options.observers ?? [])];
  if (options.events !== false) {
    const eventObserver = await openScanEvents({ ...(prepared.eventLog ? { defaultLog: prepared.eventLog } : {}), ...options.events }, io);
    if (eventObserver) observers.push(eventObserver);
  }
  const counter = new SummaryCounter(failOn);
  // An executor other than the local pool (the distributed coordinator) draws its own progress.
  const progress = createProgress(io.stderr, inputs.length, options.progress && !options.executor);
  let internalFailures = 0;

  for (const observer of observers) {
    await observer.started({
      repository: basename(resolve(io.cwd)),
      root: resolve(io.cwd),
      targets: options.targets,
      rules: prepared.rules.map((r) => r.id),
      threads: prepared.threads,
      startedAt: new Date(started),
    });
  }

  const emit = async (report: WorkerFileReport, tick = true): Promise<void> => {
    const shown = stages.filter(report);
    if (isInternalFailure(shown)) internalFailures += 1;
    counter.add(shown);
    if (tick) progress.tick(shown.path);
    await output.write(reporter.file(shown));
    for (const observer of observers) await observer.file(shown);
  };

  // With project checks, every file's report (findings + facts) is kept until all are in; the checks then
  // run once and their findings are merged into the reports, emitted in input order. Without, reports stream.
  // Under --rev the files come from Git objects, but the checks' file-system view is the work tree: skip them.
  const allChecks = projectRules(prepared.rules);
  const checks = options.stages?.rev !== undefined ? [] : allChecks;
  const skippedChecks = allChecks.length - checks.length;
  const executed: ExecutedFile[] | undefined = checks.length > 0 ? [] : undefined;
  const withSourceLines = format.needsSourceLines;
  let aborted = false;
  try {
    await output.write(reporter.begin());
    await (options.executor ?? scanFiles)({
      files: inputs,
      setup: prepared.setup,
      threads: prepared.threads,
      ...(pool ? { pool } : {}),
      fileTimeoutMs: options.fileTimeoutMs ?? DEFAULT_FILE_TIMEOUT_MS,
      maxFileSize: options.maxFileSize ?? DEFAULT_MAX_FILE_SIZE,
      withSourceLines: withSourceLines || options.stages?.cache === true,
      ...(io.signal ? { signal: io.signal } : {}),
      ...(stages.lookup && !options.fix ? { lookup: stages.lookup } : {}),
      onReport: async (report, input, fromCache) => {
        if (report.fix) {
          if (report.fix.applied > 0 || report.fix.error) fixes.set(report.path, report.fix);
          delete report.fix;
        }
        if (!fromCache && !input.factsOnly) stages.record(input, report);
        if (executed) {
          executed.push({ input, report });
          progress.tick(report.path);
        } else if (!input.factsOnly) {
          await emit(report);
        }
      },
    });
    if (executed) {
      const extra = runProjectPhase(executed, checks, { cwd: io.cwd, ...(stages.wantProjectFinding ? { wanted: stages.wantProjectFinding } : {}) });
      for (const file of executed) {
        if (io.signal?.aborted) {
          aborted = true;
          break;
        }
        const found = extra.get(file.report.path);
        if (file.input.factsOnly && !found) continue;
        await emit(mergeProjectFindings(file, found, withSourceLines), false);
      }
    }
  } catch (error) {
    if (io.signal?.aborted) aborted = true;
    else {
      await output.discard();
      progress.done();
      for (const observer of observers) await observer.close().catch(() => []);
      throw error;
    }
  }
  progress.done();

  const summary = counter.result();
  const durationMs = Date.now() - started;
  if (aborted) {
    await output.discard();
    const result: ScanResult = { summary, exitCode: EXIT.error, aborted, internalFailures, durationMs, notes: [] };
    for (const observer of observers) await observer.aborted?.('interrupted by signal', toObserverSummary(result));
    for (const observer of observers) result.notes.push(...(await observer.close()));
    return result;
  }
  await output.write(reporter.end(summary));
  await output.commit();
  const exitCode = internalFailures > 0 ? EXIT.error : summary.failing > 0 ? EXIT.findings : EXIT.clean;
  const result: ScanResult = { summary, exitCode, aborted, internalFailures, durationMs, notes: [] };
  if (options.fix) result.fixes = inputs.flatMap((input) => {
    const fix = fixes.get(input.displayPath);
    return fix ? [{ path: input.displayPath, ...fix }] : [];
  });
  if (skippedChecks > 0) result.notes.push(`--rev: ${skippedChecks} project checks not run (they read the work tree, not the revision)`);
  result.notes.push(...(await stages.finish()));
  for (const observer of observers) await observer.completed(toObserverSummary(result));
  for (const observer of observers) result.notes.push(...(await observer.close()));
  return result;
}

export function toObserverSummary(result: ScanResult): ScanSummary {
  const { failOn: _failOn, failing: _failing, ...totals } = result.summary;
  return { ...totals, durationMs: result.durationMs, exitCode: result.exitCode, aborted: result.aborted };
}
