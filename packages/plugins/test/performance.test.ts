import { describe, expect, it } from 'vitest';
import performance from '../src/performance/index.js';
import security from '../src/security/index.js';
import deps from '../src/deps/index.js';
import { analyzeSource, resolveRules, SourceFile } from '@nixforge/core';

// The rule tables are in performance-rule-tester.test.ts; this is what a table cannot hold.
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
