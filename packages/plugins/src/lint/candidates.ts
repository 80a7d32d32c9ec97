import { Query, type Analysis, type QueryMatch, type RuleContext } from '@nixforge/core';

/**
 * Lint rules find their candidate nodes with tree-sitter query patterns. Every query costs a pass over the
 * tree, so instead of one query per rule (18 passes), all lint patterns are compiled into one query that
 * runs once per file; each rule then reads the matches of its own patterns.
 */

interface Registration {
  rule: string;
  source: string;
}

const registrations: Registration[] = [];
let compiled: { query: Query; ruleOfPattern: string[]; firstPatternOf: Map<string, number> } | undefined;

/** Declares the query patterns of `rule` (called once, when the rule's module loads). Returns `source`. */
export function candidatePatterns(rule: string, source: string): string {
  if (compiled) throw new Error(`lint: patterns for ${rule} registered after the candidate query was compiled`);
  registrations.push({ rule, source });
  return source;
}

function compile(): NonNullable<typeof compiled> {
  const ruleOfPattern: string[] = [];
  const firstPatternOf = new Map<string, number>();
  for (const { rule, source } of registrations) {
    // Compiling a rule's patterns alone tells how many patterns it has (and names the rule on a query error).
    let count: number;
    try {
      count = new Query(source).patternCount;
    } catch (error) {
      throw new Error(`lint/${rule}: invalid query: ${error instanceof Error ? error.message : String(error)}`);
    }
    firstPatternOf.set(rule, ruleOfPattern.length);
    for (let i = 0; i < count; i++) ruleOfPattern.push(rule);
  }
  const query = new Query(registrations.map((r) => r.source).join('\n'));
  return { query, ruleOfPattern, firstPatternOf };
}

/** The matches of every lint pattern in one file, grouped by rule; `pattern` counts within the rule. */
const lintCandidates: Analysis<Map<string, QueryMatch[]>> = {
  name: 'lint/candidates',
  compute(source) {
    compiled ??= compile();
    const byRule = new Map<string, QueryMatch[]>();
    for (const match of compiled.query.matches(source.tree.rootNode)) {
      const rule = compiled.ruleOfPattern[match.pattern]!;
      const local = { ...match, pattern: match.pattern - compiled.firstPatternOf.get(rule)! };
      const list = byRule.get(rule);
      if (list) list.push(local);
      else byRule.set(rule, [local]);
    }
    return byRule;
  },
};

/** The matches of `rule`'s patterns in the file being checked, in document order. */
export function candidatesOf(context: RuleContext, rule: string): readonly QueryMatch[] {
  return context.getAnalysis(lintCandidates).get(rule) ?? [];
}
