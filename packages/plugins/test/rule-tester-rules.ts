/** Lint rules whose tests are written with `RuleTester` (test/lint-rule-tester.test.ts), not in the case tables. */
export const RULE_TESTER_RULES: ReadonlySet<string> = new Set(['empty-inherit', 'empty-let-in', 'legacy-let-syntax', 'unquoted-uri']);
