import { readFileSync } from 'node:fs';
import { SourceFile, analyzeSource, indexRules, resolveRules, type ResolvedRule, type RuleSetting } from '@nixforge/core';
import { builtinPlugins } from '@nixforge/plugins';
import type { Suite, SuiteResult } from '../suite.js';
import { benchCorpus, spreadSample } from '../corpus.js';
import { measureTimings, round } from '../measure.js';

/** Every built-in rule, including those off by default, each at its own default severity. */
export function everyBuiltinRule(): { rules: ResolvedRule[]; defaultOn: Set<string> } {
  const settings: Record<string, RuleSetting> = {};
  for (const [id, rule] of indexRules(builtinPlugins)) settings[id] = rule.meta.severity;
  const defaultOn = new Set(resolveRules(builtinPlugins).map((r) => r.id));
  return { rules: resolveRules(builtinPlugins, settings), defaultOn };
}

/**
 * Cost of each built-in rule alone, ranked: the same parsed sample is analysed by the engine with no rules
 * (its fixed cost: comment query, suppressions) and with one rule at a time; a rule's cost is the difference,
 * reported in ms per MiB and as a share of the parse time of the same files.
 */
const rulesSuite: Suite = {
  name: 'rules',
  description: 'cost of each built-in rule alone (ranked), against parse time of the same files',
  async run({ quick, workDir }): Promise<SuiteResult> {
    const corpus = benchCorpus(workDir, quick);
    // Everything but the huge generated sets, so every kind of file is represented; trees stay alive for the suite.
    const sample = spreadSample(corpus.files.filter((f) => f.size < 1024 * 1024), quick ? 64 * 1024 : 1024 * 1024);
    const bytes = sample.reduce((sum, f) => sum + f.size, 0);
    const mib = bytes / 1048576;
    const texts = sample.map((f) => ({ path: f.path, text: readFileSync(f.path, 'utf8') }));
    const sources = texts.map(({ path, text }) => new SourceFile(path, text));
    for (const source of sources) void source.tree;

    const { rules, defaultOn } = everyBuiltinRule();
    const failures = new Map<string, number>();
    const analyse = (selected: ResolvedRule[]): number => {
      let findings = 0;
      for (const source of sources) {
        for (const finding of analyzeSource(source, selected).findings) {
          if (finding.ruleId === 'internal/rule-error') failures.set(finding.symbol ?? '?', (failures.get(finding.symbol ?? '?') ?? 0) + 1);
          findings += 1;
        }
      }
      return findings;
    };
    const findingCounts = new Map<string, number>();
    const tasks: Array<[string, () => unknown]> = [
      ['parse', () => texts.forEach(({ path, text }) => void new SourceFile(path, text).tree)],
      ['engine only', () => analyse([])],
      ['all rules', () => analyse(rules)],
      ...rules.map((rule): [string, () => unknown] => [rule.id, () => findingCounts.set(rule.id, analyse([rule]))]),
    ];
    // One thread, in process: CPU time is the measure, so load from other processes does not skew the ranking.
    const timings = await measureTimings(tasks, { quick, samples: 1 });
    const means = new Map([...timings].map(([name, t]) => [name, t.cpuMs]));
    for (const source of sources) source.dispose();

    const parseMs = means.get('parse')!;
    const engineMs = means.get('engine only')!;
    const ranked = rules
      .map((rule) => ({ rule, cost: Math.max(0, means.get(rule.id)! - engineMs) }))
      .sort((a, b) => b.cost - a.cost);
    const rows: SuiteResult['rows'] = ranked.map(({ rule, cost }, index) => ({
      rank: index + 1,
      rule: rule.id,
      default: defaultOn.has(rule.id) ? 'on' : 'off',
      'ms/MiB': round(cost / mib),
      '% of parse': round((cost / parseMs) * 100, 1),
      findings: findingCounts.get(rule.id) ?? 0,
    }));
    rows.push({ rank: '', rule: '(engine, no rules)', default: '', 'ms/MiB': round(engineMs / mib), '% of parse': round((engineMs / parseMs) * 100, 1), findings: 0 });
    rows.push({ rank: '', rule: '(all rules)', default: '', 'ms/MiB': round(means.get('all rules')! / mib), '% of parse': round((means.get('all rules')! / parseMs) * 100, 1), findings: '' });

    const notes = [`sample: ${sample.length} files, ${round(mib)} MiB (files under 1 MiB, spread over the corpus), one thread, CPU time`];
    for (const [id, count] of failures) notes.push(`rule ${id} threw on ${count} file analyses (internal/rule-error)`);
    return {
      name: 'rules',
      rows,
      ratios: { '(parse + all rules)/parse, one thread': round((parseMs + means.get('all rules')!) / parseMs) },
      targets: { '(parse + all rules)/parse, one thread': { max: 2 } },
      notes,
    };
  },
};

export default rulesSuite;
