import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { analyzeSource, resolveRules, RULE_ERROR_ID, SourceFile, type Finding } from '@nixforge/core';
import lint from '../src/lint/index.js';
import { caseCode, LINT_RULE_CASES } from './lint-cases.js';

/** Findings of every lint rule on `text`. */
function findingsOf(text: string): Finding[] {
  const rules = resolveRules([lint]);
  return analyzeSource(new SourceFile('case.nix', text), rules).findings;
}

describe('lint plugin', () => {
  // RuleTester runs each rule alone; this runs all of them together on every case.
  it('no rule fails on any RuleTester case', () => {
    const all = Object.values(LINT_RULE_CASES).flatMap((c) => [...c.valid, ...c.invalid].map(caseCode));
    for (const code of all) {
      expect(findingsOf(code).filter((f) => f.ruleId === RULE_ERROR_ID), code).toEqual([]);
    }
  });

  describe('fixture files', () => {
    const dir = fileURLToPath(new URL('../../../fixtures/rules/lint/', import.meta.url));
    const files = readdirSync(dir).filter((name) => name.endsWith('.nix'));

    it('cover every rule, with a clean file', () => {
      const reported = new Set<string>();
      for (const name of files) {
        const expected = JSON.parse(readFileSync(`${dir}${name.replace(/\.nix$/, '.expected.json')}`, 'utf8')) as string[];
        for (const entry of expected) reported.add(entry.split(' ')[1]!);
      }
      expect([...reported].sort()).toEqual(Object.keys(lint.rules).map((r) => `lint/${r}`).sort());
      expect(files).toContain('clean.nix');
    });

    it.each(files)('%s: findings are exactly those in its .expected.json', (name) => {
      const text = readFileSync(`${dir}${name}`, 'utf8');
      const expected = JSON.parse(readFileSync(`${dir}${name.replace(/\.nix$/, '.expected.json')}`, 'utf8')) as string[];
      expect(findingsOf(text).map((f) => `${f.line}:${f.column} ${f.ruleId}`)).toEqual(expected);
    });
  });

  it('does not fail on broken code: every fixture cut short at many places', () => {
    const dir = fileURLToPath(new URL('../../../fixtures/rules/lint/', import.meta.url));
    for (const name of readdirSync(dir).filter((n) => n.endsWith('.nix'))) {
      const text = readFileSync(`${dir}${name}`, 'utf8');
      for (let cut = 1; cut < text.length; cut += 23) {
        const broken = text.slice(0, cut);
        expect(findingsOf(broken).filter((f) => f.ruleId === RULE_ERROR_ID), `${name} cut at ${cut}`).toEqual([]);
      }
    }
  });

  it('handles 20,000 levels of nesting without overflowing the stack', () => {
    const depth = 20_000;
    const nested = '('.repeat(depth) + 'x: f x' + ')'.repeat(depth);
    const code = `{ f }: ${nested}`;
    const findings = findingsOf(code);
    expect(findings.filter((f) => f.ruleId === RULE_ERROR_ID)).toEqual([]);
    expect(findings.filter((f) => f.ruleId === 'lint/eta-reduction')).toHaveLength(1);
    // Each pair of parentheses directly around another one is reported once, the innermost around `x: f x` not.
    expect(findings.filter((f) => f.ruleId === 'lint/useless-parens')).toHaveLength(depth - 1);
  });
});
