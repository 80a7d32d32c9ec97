import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { indexRules } from '@nixforge/core';
import { builtinPlugins } from '@nixforge/plugins';
import { runBench } from '../src/cli.js';
import { loadSuites } from '../src/load-suites.js';
import { checkTargets, formatTable } from '../src/report.js';
import { renderChart } from '../src/chart.js';
import type { SuiteResult } from '../src/suite.js';

const SUITES_DIR = fileURLToPath(new URL('../src/suites/', import.meta.url));
const C_FLOOR_POSSIBLE = existsSync('/usr/include/tree_sitter/api.h');

let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'nixforge-bench-test-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('suite discovery', () => {
  it('finds a suite in every module of bench/src/suites', async () => {
    const suites = await loadSuites(SUITES_DIR);
    const names = suites.map((s) => s.name);
    expect(names).toEqual(expect.arrayContaining(['parse', 'rules', 'pipeline', 'cache-memory']));
    const modules = readdirSync(SUITES_DIR).filter((f) => f.endsWith('.ts'));
    expect(suites.length).toBeGreaterThanOrEqual(modules.length);
  });
});

describe('npm run bench -- --quick (parse and rules suites)', () => {
  let results: SuiteResult[];
  let resultsDir: string;
  const log: string[] = [];

  beforeAll(async () => {
    resultsDir = join(work, 'results');
    const run = await runBench({ quick: true, suites: ['parse', 'rules'], workDir: join(work, 'scratch'), resultsDir, log: (t) => log.push(t) });
    expect(run.failed).toEqual([]);
    results = run.results;
  }, 180_000);

  it('measures parse throughput per size class, with the C floor when it can be built', () => {
    const parse = results.find((r) => r.name === 'parse')!;
    expect(parse.rows.length).toBeGreaterThanOrEqual(3);
    for (const row of parse.rows) {
      expect(row['parse MiB/s']).toBeGreaterThan(0);
      expect(row['parse+walk MiB/s']).toBeGreaterThan(0);
      if (C_FLOOR_POSSIBLE) expect(row['C parse+walk MiB/s']).toBeGreaterThan(0);
    }
    if (C_FLOOR_POSSIBLE) expect(Object.keys(parse.ratios).some((k) => k.startsWith('parse+walk/C floor'))).toBe(true);
  });

  it('ranks every built-in rule by its cost alone', () => {
    const rules = results.find((r) => r.name === 'rules')!;
    const ranked = rules.rows.filter((r) => typeof r.rank === 'number');
    expect(ranked.map((r) => r.rule).sort()).toEqual([...indexRules(builtinPlugins).keys()].sort());
    const costs = ranked.map((r) => r['ms/MiB'] as number);
    expect(costs).toEqual([...costs].sort((a, b) => b - a));
    expect(rules.ratios['(parse + all rules)/parse, one thread']).toBeGreaterThan(1);
  });

  it('prints tables and writes JSON results and the SVG chart', () => {
    const printed = log.join('');
    expect(printed).toContain('== parse');
    expect(printed).toContain('== targets (reported, not asserted)');
    const summary = JSON.parse(readFileSync(join(resultsDir, 'summary.json'), 'utf8'));
    expect(summary.quick).toBe(true);
    expect(summary.machine.cores).toBeGreaterThan(0);
    expect(summary.results.map((r: SuiteResult) => r.name)).toEqual(['parse', 'rules']);
    expect(JSON.parse(readFileSync(join(resultsDir, 'rules.json'), 'utf8')).rows.length).toBeGreaterThan(0);
    const svg = readFileSync(join(resultsDir, 'chart.svg'), 'utf8');
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg).toContain('Cost per rule alone');
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
  });
});

describe('reporting', () => {
  const pipeline: SuiteResult = {
    name: 'pipeline',
    rows: [
      { threads: 1, 'full MiB/s': 2, 'parse-only MiB/s': 5, 'parse+walk MiB/s': 4, 'C floor MiB/s': 10 },
      { threads: 2, 'full MiB/s': 3.5, 'parse-only MiB/s': 9, 'parse+walk MiB/s': 7, 'C floor MiB/s': 19 },
    ],
    ratios: { 'full/parse-only (1 threads)': 2.5, 'full speed-up, 2 threads vs 1': 1.75, untargeted: 3 },
    targets: { 'full/parse-only (1 threads)': { max: 2 }, 'full speed-up, 2 threads vs 1': { min: 1.5 } },
  };

  it('checks targets in both directions and ignores untargeted ratios', () => {
    expect(checkTargets([pipeline]).map((c) => [c.ratio, c.met])).toEqual([
      ['full/parse-only (1 threads)', false],
      ['full speed-up, 2 threads vs 1', true],
    ]);
  });

  it('aligns tables, right-aligning numbers', () => {
    expect(formatTable([{ name: 'a', value: 1.5 }, { name: 'long name', value: 10 }])).toBe(
      ['name       value', '---------  -----', 'a            1.5', 'long name     10', ''].join('\n'),
    );
  });

  it('draws one line per series against threads, escaping text', () => {
    const svg = renderChart([pipeline], 'caption <with> & escapes')!;
    expect(svg.match(/<polyline /g)).toHaveLength(4);
    expect(svg).toContain('caption &lt;with&gt; &amp; escapes');
    expect(renderChart([], 'x')).toBeUndefined();
  });
});
