#!/usr/bin/env node
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { SuiteResult } from './suite.js';
import { loadSuites } from './load-suites.js';
import { checkTargets, formatSuite, formatTargets } from './report.js';
import { renderChart } from './chart.js';

const USAGE = `Usage: npm run bench -- [--quick] [--files N] [--suite NAME]... [--corpus DIR] [--work-dir DIR] [--results DIR]

Runs every suite in bench/src/suites, prints tables and ratios, and writes <suite>.json, summary.json and
chart.svg to bench/results/.
  --quick          seconds-long smoke run (small corpus, one sample per task)
  --files N        corpus size in .nix files (default 40000, 120 with --quick; or NIXFORGE_BENCH_FILES)
  --suite NAME     run only this suite (repeatable)
  --corpus DIR     a directory of real Nix code for the suites that take one (real)
  --work-dir DIR   scratch directory for the corpus, the C floor binary and caches (default: $TMPDIR/nixforge-bench)
  --results DIR    where results are written (default: bench/results)
`;

export interface MachineInfo {
  cpu: string;
  cores: number;
  memoryGiB: number;
  node: string;
  platform: string;
  loadAverage1m: number;
}

/** Facts about the machine, written with the results (figures only make sense next to them). */
export function machineInfo(): MachineInfo {
  const cpu = cpus()[0];
  return {
    cpu: cpu?.model ?? 'unknown',
    cores: availableParallelism(),
    memoryGiB: Math.round(totalmem() / 1024 ** 3),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    loadAverage1m: Math.round(loadavg()[0]! * 100) / 100,
  };
}

export interface BenchRunOptions {
  quick: boolean;
  suites?: string[];
  workDir: string;
  resultsDir: string;
  corpus?: string;
  log?: (text: string) => void;
}

/** Runs the suites and writes the results; returns them. Failing suites are reported and do not stop the others. */
export async function runBench(options: BenchRunOptions): Promise<{ results: SuiteResult[]; failed: string[] }> {
  const log = options.log ?? ((text: string) => process.stdout.write(text));
  const all = await loadSuites(fileURLToPath(new URL('./suites/', import.meta.url)));
  const unknown = (options.suites ?? []).filter((name) => !all.some((s) => s.name === name));
  if (unknown.length > 0) throw new Error(`no such suite: ${unknown.join(', ')} (available: ${all.map((s) => s.name).join(', ')})`);
  const selected = options.suites?.length ? all.filter((s) => options.suites!.includes(s.name)) : all;
  mkdirSync(options.workDir, { recursive: true });
  mkdirSync(options.resultsDir, { recursive: true });
  const machineBefore = machineInfo();
  log(`nixforge bench${options.quick ? ' --quick' : ''}: ${selected.map((s) => s.name).join(', ')} on ${machineBefore.cores} cores (${machineBefore.cpu}), load ${machineBefore.loadAverage1m}\n`);

  const results: SuiteResult[] = [];
  const failed: string[] = [];
  const timings: Record<string, number> = {};
  for (const suite of selected) {
    const started = performance.now();
    try {
      const result = await suite.run({
        quick: options.quick,
        workDir: join(options.workDir, options.quick ? 'quick' : 'full'),
        ...(options.corpus !== undefined ? { corpus: options.corpus } : {}),
      });
      const seconds = (performance.now() - started) / 1000;
      timings[suite.name] = Math.round(seconds * 10) / 10;
      results.push(result);
      log(formatSuite(result, seconds));
      writeFileSync(join(options.resultsDir, `${suite.name}.json`), JSON.stringify({ ...result, quick: options.quick, seconds }, null, 2) + '\n');
    } catch (error) {
      failed.push(suite.name);
      log(`\n== ${suite.name}: FAILED: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    }
  }

  const checks = checkTargets(results);
  log(formatTargets(checks));
  const machine = { ...machineInfo(), loadAverageAtStart1m: machineBefore.loadAverage1m };
  const date = new Date().toISOString();
  writeFileSync(
    join(options.resultsDir, 'summary.json'),
    JSON.stringify({ date, quick: options.quick, machine, seconds: timings, targets: checks, failed, results }, null, 2) + '\n',
  );
  const chart = renderChart(results, `${date.slice(0, 10)} · ${machine.cores} cores · ${machine.cpu} · node ${machine.node}${options.quick ? ' · quick run' : ''}`);
  if (chart) writeFileSync(join(options.resultsDir, 'chart.svg'), chart);
  log(`\nresults: ${options.resultsDir}/{summary.json,${results.map((r) => `${r.name}.json`).join(',')}${chart ? ',chart.svg' : ''}}\n`);
  return { results, failed };
}

async function main(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        quick: { type: 'boolean' },
        files: { type: 'string' },
        suite: { type: 'string', multiple: true },
        'work-dir': { type: 'string' },
        corpus: { type: 'string' },
        results: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (error) {
    process.stderr.write(`bench: ${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (values.files !== undefined) {
    if (!/^\d+$/.test(values.files) || Number(values.files) < 1) {
      process.stderr.write(`bench: --files must be a positive integer, got '${values.files}'\n`);
      return 2;
    }
    process.env.NIXFORGE_BENCH_FILES = values.files;
  }
  const base = process.env.INIT_CWD ?? process.cwd();
  try {
    const { failed } = await runBench({
      quick: values.quick ?? false,
      suites: values.suite ?? [],
      workDir: values['work-dir'] ? resolve(base, values['work-dir']) : join(tmpdir(), 'nixforge-bench'),
      ...(values.corpus !== undefined ? { corpus: resolve(base, values.corpus) } : {}),
      resultsDir: values.results ? resolve(base, values.results) : fileURLToPath(new URL('../results/', import.meta.url)),
    });
    return failed.length > 0 ? 2 : 0;
  } catch (error) {
    process.stderr.write(`bench: ${(error as Error).message}\n`);
    return 2;
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main(process.argv.slice(2));
}
