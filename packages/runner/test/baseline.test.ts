import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SourceFile, analyzeSource, resolveRules, type FileReport, type Finding } from '@nixforge/core';
import { builtinPlugins } from '@nixforge/plugins';
import { Baseline } from '../src/baseline/baseline.js';
import { UsageError } from '../src/errors.js';

function finding(ruleId: string, line: number, extra: Partial<Finding> = {}): Finding {
  return { ruleId, severity: 'warning', message: `${ruleId} problem`, line, column: 1, endLine: line, endColumn: 5, ...extra };
}

function report(path: string, findings: Finding[]): FileReport {
  return { path, fileType: 'package', findings };
}

const rules = resolveRules(builtinPlugins);
function analyse(path: string, text: string): FileReport {
  const source = new SourceFile(path, text);
  try {
    return { path, ...analyzeSource(source, rules) };
  } finally {
    source.dispose();
  }
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'nixforge-baseline-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('Baseline', () => {
  const before = [
    report('a.nix', [
      finding('dead-code/unused-let', 3, { symbol: 'x' }),
      finding('dead-code/unused-let', 7, { symbol: 'y' }),
      finding('lint/with', 9),
    ]),
    report('b.nix', [finding('lint/with', 1)]),
    report('clean.nix', []),
  ];

  it('accepts recorded findings even after they moved to other lines', async () => {
    const file = join(dir, 'sub', 'baseline.json');
    await Baseline.fromReports(before).write(file);
    const baseline = await Baseline.read(file);
    expect(baseline.total).toBe(4);

    const moved = report('a.nix', [
      finding('lint/with', 2),
      finding('dead-code/unused-let', 20, { symbol: 'y' }),
      finding('dead-code/unused-let', 30, { symbol: 'x' }),
    ]);
    expect(baseline.filterNew(moved).findings).toEqual([]);
    expect(baseline.filterNew(report('b.nix', [finding('lint/with', 40)])).findings).toEqual([]);
  });

  it('reports findings beyond the recorded count, new symbols, rules and files', () => {
    const baseline = Baseline.fromReports(before);
    const later = report('a.nix', [
      finding('dead-code/unused-let', 3, { symbol: 'x' }),
      finding('dead-code/unused-let', 4, { symbol: 'x' }),
      finding('dead-code/unused-let', 5, { symbol: 'z' }),
      finding('lint/with', 9),
      finding('lint/with', 12),
      finding('security/fetch-unpinned', 13),
    ]);
    const fresh = baseline.filterNew(later).findings;
    expect(fresh.map((f) => [f.ruleId, f.line])).toEqual([
      ['dead-code/unused-let', 4],
      ['dead-code/unused-let', 5],
      ['lint/with', 12],
      ['security/fetch-unpinned', 13],
    ]);
    expect(later.findings).toHaveLength(6);
    const other = report('new.nix', [finding('lint/with', 1)]);
    expect(baseline.filterNew(other)).toBe(other);
  });

  it('keys findings without a symbol by message', () => {
    const baseline = Baseline.fromReports([report('a.nix', [finding('r/x', 1, { message: 'one' })])]);
    const fresh = baseline.filterNew(report('a.nix', [finding('r/x', 5, { message: 'two' }), finding('r/x', 6, { message: 'one' })]));
    expect(fresh.findings.map((f) => f.message)).toEqual(['two']);
  });

  it('works on real analysis results when code moves down', () => {
    const old = analyse('pkgs/p.nix', '{ lib }: { a = ; }\n');
    expect(old.findings.length).toBeGreaterThan(0);
    const baseline = Baseline.fromReports([old]);
    const shifted = analyse('pkgs/p.nix', '# a comment\n\n{ lib }: { a = ; }\n');
    expect(shifted.findings[0]!.line).toBe(3);
    expect(baseline.filterNew(shifted).findings).toEqual([]);
  });

  it('writes sorted, readable JSON that round-trips', async () => {
    const file = join(dir, 'b.json');
    await Baseline.fromReports(before).write(file);
    const json = JSON.parse(await readFile(file, 'utf8'));
    expect(json.format).toBe('nixforge-baseline');
    expect(Object.keys(json.files)).toEqual(['a.nix', 'b.nix']);
    expect(json.files['a.nix']).toEqual([
      { ruleId: 'dead-code/unused-let', symbol: 'x', count: 1 },
      { ruleId: 'dead-code/unused-let', symbol: 'y', count: 1 },
      { ruleId: 'lint/with', message: 'lint/with problem', count: 1 },
    ]);
    expect((await Baseline.read(file)).toJson()).toEqual(json);
  });

  it('rejects missing, invalid and malformed files with a UsageError naming the file and field', async () => {
    const missing = join(dir, 'missing.json');
    await expect(Baseline.read(missing)).rejects.toThrow(new UsageError(`baseline ${missing}: cannot read it (no such file)`));

    const bad = join(dir, 'bad.json');
    await writeFile(bad, '{"format": ');
    await expect(Baseline.read(bad)).rejects.toThrow(UsageError);
    await expect(Baseline.read(bad)).rejects.toThrow(`baseline ${bad}: not valid JSON`);

    const cases: Array<[unknown, string]> = [
      [[], 'the top level must be an object'],
      [{ format: 'x', formatVersion: 1, files: {} }, 'field "format" must be "nixforge-baseline"'],
      [{ format: 'nixforge-baseline', formatVersion: 1, files: { 'a.nix': [{ ruleId: 'r/x', symbol: 's', count: 0 }] } }, 'files["a.nix"][0].count must be a positive integer'],
      [{ format: 'nixforge-baseline', formatVersion: 1, files: { 'a.nix': [{ ruleId: 'r/x', count: 1 }] } }, 'files["a.nix"][0] needs a "symbol" or a "message"'],
      [{ format: 'nixforge-baseline', formatVersion: 1, files: { 'a.nix': {} } }, 'files["a.nix"] must be an array'],
    ];
    for (const [json, problem] of cases) {
      await writeFile(bad, JSON.stringify(json));
      await expect(Baseline.read(bad)).rejects.toThrow(`baseline ${bad}: ${problem}`);
    }
  });
});
