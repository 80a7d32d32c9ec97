import { Query } from './tree-sitter.js';
import type { ResolvedRule } from './rule-set.js';

/**
 * The `query` of every rule of a rule set compiled into one query, so each file is searched once for all of
 * them. Patterns keep their order, so a rule's matches come in the order its own query would give; the engine
 * hands each match to the owning rule with `pattern` counted within that rule's query.
 */
export interface RuleSetQuery {
  /** Undefined when no rule of the set has a (valid) query. */
  query: Query | undefined;
  /** The rules with a valid query, in the order of their patterns in `query`. */
  rules: ResolvedRule[];
  /** A rule's position in `rules`. */
  slotOf: Map<ResolvedRule, number>;
  /** For each pattern of `query`, the position of its rule in `rules`. */
  slotOfPattern: number[];
  /** For each rule in `rules`, the index of its first pattern in `query`. */
  firstPattern: number[];
  /** Rules whose query does not compile, with the error naming the rule. */
  invalid: Map<ResolvedRule, Error>;
}

const bySet = new WeakMap<readonly ResolvedRule[], RuleSetQuery>();
const bySource = new Map<string, Query>();
const patternCounts = new Map<string, number | Error>();

/** The combined query of `rules`, compiled on first use for this array and shared by every file. */
export function ruleSetQuery(rules: readonly ResolvedRule[]): RuleSetQuery {
  let combined = bySet.get(rules);
  if (combined === undefined) {
    combined = compile(rules);
    bySet.set(rules, combined);
  }
  return combined;
}

function patternCount(source: string): number | Error {
  let count = patternCounts.get(source);
  if (count === undefined) {
    try {
      count = new Query(source).patternCount;
    } catch (error) {
      count = error instanceof Error ? error : new Error(String(error));
    }
    patternCounts.set(source, count);
  }
  return count;
}

function compile(rules: readonly ResolvedRule[]): RuleSetQuery {
  const result: RuleSetQuery = { query: undefined, rules: [], slotOf: new Map(), slotOfPattern: [], firstPattern: [], invalid: new Map() };
  const sources: string[] = [];
  for (const rule of rules) {
    const source = rule.rule.query;
    if (!rule.rule.create || typeof source !== 'string') continue;
    const count = patternCount(source);
    if (count instanceof Error) {
      result.invalid.set(rule, new Error(`invalid query: ${count.message}`));
      continue;
    }
    const slot = result.rules.length;
    result.rules.push(rule);
    result.slotOf.set(rule, slot);
    result.firstPattern.push(result.slotOfPattern.length);
    for (let i = 0; i < count; i += 1) result.slotOfPattern.push(slot);
    sources.push(source);
  }
  if (sources.length > 0) {
    const source = sources.join('\n');
    let query = bySource.get(source);
    if (query === undefined) {
      query = new Query(source);
      bySource.set(source, query);
    }
    result.query = query;
  }
  return result;
}
