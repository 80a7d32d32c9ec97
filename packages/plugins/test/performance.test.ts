import { describe, expect, it } from 'vitest';
import performance from '../src/performance/index.js';
import { applyFixes, expectedLines, findingLines, fixtureCases, nixParseError, runRule } from './rule-harness.js';

describe('performance plugin fixtures', () => {
  const cases = fixtureCases('performance');

  it('has a bad and a good fixture for every rule', () => {
    for (const rule of Object.keys(performance.rules)) {
      const files = cases.filter((c) => c.rule === rule).map((c) => c.file);
      expect(files, rule).toEqual(['bad.nix', 'good.nix']);
    }
  });

  it.each(cases.map((c) => [`${c.rule}/${c.file}`, c] as const))('%s', (_name, c) => {
    const id = `performance/${c.rule}`;
    const findings = runRule(performance, c.rule, c.path, c.text);
    const expected = expectedLines(c.text, id);
    if (c.file === 'bad.nix') expect(expected.length, 'bad fixture without markers').toBeGreaterThan(0);
    expect(findingLines(findings), findings.map((f) => `${f.line}: ${f.message}`).join('\n')).toEqual(expected);
    for (const finding of findings) expect(finding.ruleId).toBe(id);
  });
});

describe('performance rule docs', () => {
  it.each(Object.entries(performance.rules))('%s: bad triggers, good does not', (name, rule) => {
    const docs = rule.meta.docs!;
    expect(docs.explanation).toBeTruthy();
    expect(docs.url).toBe(`https://github.com/nixforge/nixforge/blob/main/docs/rules.md#performance-${name}`);
    expect(runRule(performance, name, 'example.nix', docs.bad!).length).toBeGreaterThan(0);
    expect(runRule(performance, name, 'example.nix', docs.good!)).toEqual([]);
  });
});

describe('performance fixes', () => {
  const cases: Array<[rule: string, before: string, after: string]> = [
    ['unneeded-rec', '{ a = rec { x = 1; y = 2; }; }', '{ a = { x = 1; y = 2; }; }'],
    ['unneeded-rec', 'f rec{ x = 1; }', 'f { x = 1; }'],
    ['flatten-map', 'builtins.concatLists (builtins.map (x: [ x ]) xs)', 'builtins.concatMap (x: [ x ]) xs'],
    ['flatten-map', 'lib.concatLists ((map f) xs)', 'lib.concatMap f xs'],
    ['length-zero', 'a && builtins.length xs == 0', 'a && xs == [ ]'],
    ['length-zero', '0 != lib.length (f x)', '(f x) != [ ]'],
    ['lib-over-builtin', 'lib.lists.groupBy f xs', 'builtins.groupBy f xs'],
  ];
  it.each(cases)('%s: %s', (rule, before, after) => {
    const findings = runRule(performance, rule, 'fix.nix', before);
    expect(findings.length).toBe(1);
    const fixed = applyFixes(before, findings);
    expect(fixed).toBe(after);
    expect(nixParseError(fixed)).toBeUndefined();
    expect(runRule(performance, rule, 'fix.nix', fixed)).toEqual([]);
  });
});
