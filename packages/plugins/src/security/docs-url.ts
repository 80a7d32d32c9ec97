/** Where the generated rule reference lives; `docs/rules.md` has one anchor per rule, `<plugin>-<rule>`. */
export const RULES_DOC_URL = 'https://github.com/nixforge/nixforge/blob/main/docs/rules.md';

/** The documentation link of a built-in rule. */
export function ruleDocsUrl(plugin: string, rule: string): string {
  return `${RULES_DOC_URL}#${plugin}-${rule}`;
}
