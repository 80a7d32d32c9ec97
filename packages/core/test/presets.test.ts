import { describe, expect, it } from 'vitest';
import { analyzeSource, definePlugin, presetLevel, presetsOf, resolveRules, RuleConfigError, SourceFile, type Rule, type SyntaxNode } from '../src/index.js';

function reporter(meta: Partial<Rule['meta']>): Rule {
  return {
    meta: { description: 'reports every integer', severity: 'warning', ...meta },
    create: (context) => ({ integer_expression: (node: SyntaxNode) => context.report({ node, message: 'an integer' }) }),
  };
}

const plugin = definePlugin({
  name: 'house',
  rules: {
    sure: reporter({ severity: 'error', presets: ['recommended'] }),
    often: reporter({ presets: ['strict'] }),
    taste: reporter({ severity: 'info', presets: ['style'] }),
    rare: reporter({ presets: [] }),
    legacy: reporter({ disabledByDefault: true }),
    undeclared: reporter({}),
    moved: reporter({ aliases: ['old/name'] }),
  },
});

const ids = (settings: Parameters<typeof resolveRules>[1], options?: Parameters<typeof resolveRules>[2]): string[] =>
  resolveRules([plugin], settings, options).map((r) => `${r.id}=${r.severity}`);

describe('presets', () => {
  it('derives membership: recommended implies strict, every rule is in all, undeclared means recommended', () => {
    expect(presetsOf(plugin.rules.sure!.meta)).toEqual(['recommended', 'strict', 'all']);
    expect(presetsOf(plugin.rules.often!.meta)).toEqual(['strict', 'all']);
    expect(presetsOf(plugin.rules.taste!.meta)).toEqual(['style', 'all']);
    expect(presetsOf(plugin.rules.rare!.meta)).toEqual(['all']);
    expect(presetsOf(plugin.rules.legacy!.meta)).toEqual(['all']);
    expect(presetsOf(plugin.rules.undeclared!.meta)).toEqual(['recommended', 'strict', 'all']);
    expect(presetLevel(plugin.rules.taste!.meta, ['recommended'])).toBe('off');
    expect(presetLevel(plugin.rules.taste!.meta, ['recommended', 'style'])).toBe('info');
  });

  it('resolves the default (recommended), other presets, lists, and overrides', () => {
    expect(ids({})).toEqual(['house/moved=warning', 'house/sure=error', 'house/undeclared=warning']);
    expect(ids({}, { extends: 'strict' })).toEqual(['house/moved=warning', 'house/often=warning', 'house/sure=error', 'house/undeclared=warning']);
    expect(ids({}, { extends: 'style' })).toEqual(['house/taste=info']);
    expect(ids({}, { extends: 'all' })).toHaveLength(7);
    expect(ids({}, { extends: ['style', 'recommended'] })).toEqual(ids({}, { extends: ['recommended', 'style'] }));
    // `rules` wins over presets; a rule id over its plugin name.
    expect(ids({ house: 'off', 'house/rare': 'info' })).toEqual(['house/rare=info']);
    expect(ids({ 'house/sure': 'off' }, { extends: 'style' })).toEqual(['house/taste=info']);
  });

  it('accepts former ids (aliases) in settings; the current id wins over a former one', () => {
    expect(ids({ 'old/name': 'off' })).toEqual(['house/sure=error', 'house/undeclared=warning']);
    expect(ids({ 'old/name': 'off', 'house/moved': 'error' })).toContain('house/moved=error');
  });

  it('names unknown keys, unknown presets and clashing aliases', () => {
    expect(() => resolveRules([plugin], { 'house/nope': 'off' })).toThrow(/rules\.house\/nope: no such rule or plugin/);
    expect(() => resolveRules([plugin], {}, { extends: 'eslint' as never })).toThrow(/extends: unknown preset "eslint"/);
    const clash = definePlugin({ name: 'other', rules: { x: reporter({ aliases: ['old/name'] }) } });
    expect(() => resolveRules([plugin, clash])).toThrow(RuleConfigError);
    const claimsLive = definePlugin({ name: 'third', rules: { y: reporter({ aliases: ['house/sure'] }) } });
    expect(() => resolveRules([plugin, claimsLive])).toThrow(/alias house\/sure/);
  });

  it('suppression comments may name a rule by a former id', () => {
    const rules = resolveRules([plugin]).filter((r) => r.id === 'house/moved');
    const source = new SourceFile('a.nix', '[\n  # nixforge-disable-next-line old/name\n  1\n  2\n]\n');
    try {
      expect(analyzeSource(source, rules).findings.map((f) => f.line)).toEqual([4]);
    } finally {
      source.dispose();
    }
  });
});
