import { describe, expect, it } from 'vitest';
import performance from '../src/performance/index.js';
import security from '../src/security/index.js';
import deps from '../src/deps/index.js';
import { analyzeSource, resolveRules, SourceFile } from '@nixforge/core';
import { applyFixes, describePluginRules, nixParseError, runRule } from './rule-harness.js';

describePluginRules(performance);

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

describe('20,000 levels of nesting', () => {
  const depth = 20_000;
  const cases: Array<[name: string, text: string]> = [
    ['lists', `${'[ '.repeat(depth)}1${' ]'.repeat(depth)}`],
    ['attribute sets', `${'{ a = '.repeat(depth)}{ networking.firewall.enable = false; url = "http://x.org"; }${'; }'.repeat(depth)}`],
    ['lambdas and lets', `${'x: let y = x; in '.repeat(depth)}builtins.currentSystem`],
  ];
  it.each(cases)('%s: every security, performance and deps rule runs without a stack overflow', (_name, text) => {
    const source = new SourceFile('deep.nix', text);
    try {
      const { findings } = analyzeSource(source, resolveRules([security, performance, deps]));
      expect(findings.filter((f) => f.ruleId === 'internal/rule-error')).toEqual([]);
      expect(findings.filter((f) => f.ruleId === 'performance/deep-nesting')).toHaveLength(1);
    } finally {
      source.dispose();
    }
  });
});
