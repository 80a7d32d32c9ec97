import { describe, expect, it } from 'vitest';
import { RuleTester } from '@nixforge/core';
import lint from '../src/lint/index.js';
import { caseCode, LINT_RULE_CASES } from './lint-cases.js';

RuleTester.describe = describe;
RuleTester.it = it;
const tester = new RuleTester();

describe('lint rules with RuleTester', () => {
  it('every lint rule has a table, and every table a rule', () => {
    expect(Object.keys(LINT_RULE_CASES).sort()).toEqual(Object.keys(lint.rules).sort());
  });

  it('every fixable rule has a case with its fixed output', () => {
    for (const [name, rule] of Object.entries(lint.rules)) {
      if (!rule.meta.fixable) continue;
      expect(LINT_RULE_CASES[name]?.invalid.some((test) => typeof test.output === 'string'), name).toBe(true);
    }
  });

  it("documentation examples: explanation given, the bad example is an invalid case, the good one a valid case", () => {
    for (const [name, rule] of Object.entries(lint.rules)) {
      const docs = rule.meta.docs;
      const tests = LINT_RULE_CASES[name];
      expect(docs?.explanation?.length, name).toBeGreaterThan(20);
      expect(tests?.invalid.map(caseCode), name).toContain(docs?.bad);
      expect(tests?.valid.map(caseCode), name).toContain(docs?.good);
    }
  });

  for (const [name, tests] of Object.entries(LINT_RULE_CASES)) {
    const rule = lint.rules[name];
    if (rule) tester.run(`lint/${name}`, rule, tests);
  }
});
