import { describe, expect, it } from 'vitest';
import deadCode from '../src/dead-code/index.js';
import { describePluginRules, runRule } from './rule-harness.js';

describePluginRules(deadCode);

describe('dead-code options and semantics', () => {
  const symbols = (rule: string, text: string, options?: Record<string, unknown>): string[] =>
    runRule(deadCode, rule, 't.nix', text, options).map((f) => f.symbol!);

  it('reports each unused name as symbol', () => {
    expect(symbols('unused-let', 'let a = 1; b = 2; in b')).toEqual(['a']);
    expect(symbols('unused-lambda-arg', 'x: y: y')).toEqual(['x']);
    expect(symbols('unused-formal', '{ a, b, ... }: a')).toEqual(['b']);
    expect(symbols('unused-pattern-name', 'args@{ a }: a')).toEqual(['args']);
  });

  it('noLambdaArg skips lambda arguments and @ names', () => {
    expect(symbols('unused-lambda-arg', 'x: 1', { noLambdaArg: true })).toEqual([]);
    expect(symbols('unused-pattern-name', 'args@{ a }: a', { noLambdaArg: true })).toEqual([]);
    expect(symbols('unused-formal', '{ a, b }: a', { noLambdaArg: true })).toEqual(['b']);
  });

  it('noLambdaPatternNames skips formals only', () => {
    expect(symbols('unused-formal', '{ a, b }: a', { noLambdaPatternNames: true })).toEqual([]);
    expect(symbols('unused-lambda-arg', 'x: 1', { noLambdaPatternNames: true })).toEqual(['x']);
  });

  it('noUnderscore skips _-prefixed let names, which are reported by default', () => {
    expect(symbols('unused-let', 'let _a = 1; in 2')).toEqual(['_a']);
    expect(symbols('unused-let', 'let _a = 1; in 2', { noUnderscore: true })).toEqual([]);
    expect(symbols('unused-formal', '{ _a }: 1', { noUnderscore: true })).toEqual([]);
  });

  it('inherit (e) keeps e alive only while an inherited name is', () => {
    expect(symbols('unused-let', 'let s = { }; inherit (s) a b; in a')).toEqual(['b']);
    expect(symbols('unused-let', 'let s = { }; inherit (s) a b; in 1')).toEqual(['s', 'a', 'b']);
  });

  it('does not report what sits inside a dead binding (it goes with it)', () => {
    expect(symbols('unused-let', 'let f = let g = 1; in x: 2; in 3')).toEqual(['f']);
    expect(symbols('unused-lambda-arg', 'let f = x: 2; in 3')).toEqual([]);
  });

  it('respects shadowing and never reports rec members', () => {
    expect(symbols('unused-let', 'let a = 1; in let a = 2; in a')).toEqual(['a']);
    expect(runRule(deadCode, 'unused-let', 't.nix', 'let a = 1; in let a = 2; in a')[0]!.column).toBe(5);
    expect(symbols('unused-let', 'rec { a = 1; b = 2; }')).toEqual([]);
  });

  it('honours # deadnix: skip and nixforge suppressions', () => {
    expect(symbols('unused-let', 'let\n  # deadnix: skip\n  a = 1;\n  b = 2;\nin 3')).toEqual(['b']);
    expect(symbols('unused-let', 'let\n  a = 1; # nixforge-disable-line dead-code/unused-let\nin 3')).toEqual([]);
  });
});
