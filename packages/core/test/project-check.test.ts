import { describe, expect, it } from 'vitest';
import { analyzeSource, resolveRules, runProjectChecks, SourceFile, type Plugin, type ProjectInput } from '../src/index.js';

function analyse(plugin: Plugin, path: string, text: string, factsOnly = false): ProjectInput {
  const source = new SourceFile(path, text, `/p/${path}`);
  try {
    const result = analyzeSource(source, resolveRules([plugin]), { factsOnly });
    return { path, absolutePath: `/p/${path}`, fileType: result.fileType, ...(result.facts ? { facts: result.facts } : {}) };
  } finally {
    source.dispose();
  }
}

describe('project phase: collect and check', () => {
  let collected = 0;
  let visited = 0;
  const shared = {
    meta: { description: 'names', severity: 'warning' as const },
    factsKey: 'names',
    collect(context: { source: SourceFile; locationOf: (r: { start: number; end: number }) => unknown }) {
      collected += 1;
      return { first: context.locationOf({ start: 0, end: 1 }) };
    },
  };
  const plugin: Plugin = {
    name: 't',
    rules: {
      visitor: { meta: { description: 'v', severity: 'info' }, create: () => ({ binding: () => void (visited += 1) }) },
      a: { ...shared, check: (project) => project.report({ file: project.files[1]!.path, message: `a saw ${project.files.map((f) => f.path).join(',')}`, related: ['/p/x'] }) },
      b: { ...shared, check: () => undefined },
      broken: { meta: { description: 'throws', severity: 'info' }, check: () => { throw new Error('boom'); } },
    },
  };

  it('runs one collect per facts key, keeps facts plain JSON, and skips visitors when only facts are wanted', () => {
    collected = 0;
    visited = 0;
    const full = analyse(plugin, 'b.nix', '{ x = 1; }');
    expect(collected).toBe(1);
    expect(visited).toBe(1);
    expect(full.facts).toEqual({ names: { first: { line: 1, column: 1, endLine: 1, endColumn: 2 } } });
    const onlyFacts = analyse(plugin, 'a.nix', '{ y = 2; }', true);
    expect(visited).toBe(1);
    expect(onlyFacts.facts).toEqual(full.facts);
  });

  it('checks all files sorted by path, reports into any file, and turns a throwing check into one rule error', () => {
    const inputs = [analyse(plugin, 'b.nix', '{ }'), analyse(plugin, 'a.nix', '{ }')];
    const found = runProjectChecks(inputs, resolveRules([plugin]), { cwd: '/p' });
    expect(found.map((f) => [f.path, f.finding.ruleId, f.finding.message, f.files])).toEqual([
      ['a.nix', 'internal/rule-error', 'project check t/broken failed: boom', []],
      ['b.nix', 't/a', 'a saw a.nix,b.nix', ['/p/b.nix', '/p/x']],
    ]);
  });

  it('reports a collect that throws as a rule error of that file', () => {
    const bad: Plugin = { name: 'bad', rules: { r: { meta: { description: 'r', severity: 'info' }, collect: () => { throw new Error('nope'); } } } };
    const source = new SourceFile('x.nix', '{ }');
    try {
      const result = analyzeSource(source, resolveRules([bad]));
      expect(result.findings.map((f) => f.message)).toEqual(['rule bad/r failed on x.nix: nope']);
      expect(result.facts).toBeUndefined();
    } finally {
      source.dispose();
    }
  });
});
