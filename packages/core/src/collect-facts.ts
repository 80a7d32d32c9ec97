import type { CollectContext, Facts } from './plugin-api.js';
import type { ResolvedRule } from './rule-set.js';

/** Facts of one file, keyed by the rules' `factsKey` (default: the rule id). Plain JSON data. */
export type CollectedFacts = Record<string, Facts>;

/** The key a rule's facts are stored under. */
export function factsKeyOf(rule: ResolvedRule): string {
  return rule.rule.factsKey ?? rule.id;
}

/**
 * Runs the `collect` of every rule that has one, once per facts key, after the file's walk. A rule that
 * throws is recorded in `failed` (reported as `internal/rule-error`) like a failing visitor. Undefined
 * results are left out; nothing is returned when no rule collects anything.
 */
export function collectFacts(
  rules: readonly ResolvedRule[],
  contextOf: (rule: ResolvedRule) => CollectContext,
  failed: Map<ResolvedRule, unknown>,
): CollectedFacts | undefined {
  let facts: CollectedFacts | undefined;
  const done = new Set<string>();
  for (const rule of rules) {
    const collect = rule.rule.collect;
    if (!collect || failed.has(rule)) continue;
    const key = factsKeyOf(rule);
    if (done.has(key)) continue;
    done.add(key);
    try {
      const value = collect.call(rule.rule, contextOf(rule)) as Facts | undefined;
      if (value !== undefined) (facts ??= {})[key] = value;
    } catch (error) {
      failed.set(rule, error);
    }
  }
  return facts;
}
