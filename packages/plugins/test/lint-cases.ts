import type { RuleTesterRun } from '@nixforge/core';
import { BINDING_RULE_CASES } from './lint-cases-bindings.js';
import { EXPRESSION_RULE_CASES } from './lint-cases-expressions.js';
import { FUNCTION_RULE_CASES } from './lint-cases-functions.js';

/** Every lint rule's RuleTester cases, by rule name (run by lint-rule-tester.test.ts). */
export const LINT_RULE_CASES: Record<string, RuleTesterRun> = { ...BINDING_RULE_CASES, ...FUNCTION_RULE_CASES, ...EXPRESSION_RULE_CASES };

/** The code of a valid or invalid case. */
export function caseCode(test: string | { code: string }): string {
  return typeof test === 'string' ? test : test.code;
}
