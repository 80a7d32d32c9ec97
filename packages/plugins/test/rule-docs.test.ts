// Every built-in rule's docs run as tests: each has an explanation (and, when it names one, its docs/rules.md link), and (for rules
// that read one file) the bad example is reported while the good one is not. Project rules' examples need other
// files and run in their RuleTester tables (deps-rule-tester.test.ts) instead.
import { describe, expect, it } from 'vitest';
import { builtinPlugins } from '../src/index.js';
import { runRule } from './rule-harness.js';

const rules = builtinPlugins.flatMap((plugin) => Object.entries(plugin.rules).map(([name, rule]) => ({ plugin, name, rule })));

describe('built-in rule docs', () => {
  it('cover every plugin', () => {
    expect(new Set(rules.map((r) => r.plugin.name))).toEqual(new Set(['nix', 'dead-code', 'security', 'performance', 'lint', 'deps']));
  });

  it.each(rules.map((r) => [`${r.plugin.name}/${r.name}`, r] as const))('%s: explained, linked, bad triggers and good does not', (_id, { plugin, name, rule }) => {
    const docs = rule.meta.docs!;
    expect(docs.explanation).toBeTruthy();
    // Without a url the reporters link the same section of docs/rules.md.
    if (docs.url !== undefined) expect(docs.url).toBe(`https://github.com/nixforge/nixforge/blob/main/docs/rules.md#${plugin.name}-${name}`);
    expect(docs.bad).toBeTruthy();
    expect(docs.good).toBeTruthy();
    if (rule.check) return;
    expect(runRule(plugin, name, 'example.nix', docs.bad!).length).toBeGreaterThan(0);
    expect(runRule(plugin, name, 'example.nix', docs.good!)).toEqual([]);
  });
});
