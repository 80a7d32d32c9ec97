import { SEVERITY_RANK, type FileReport, type Severity } from '@nixforge/core';
import { PLAIN, type Styles } from './colors.js';

/** How many rules the end-of-report ranking shows. */
export const TOP_RULES = 10;

export interface RuleCount {
  ruleId: string;
  count: number;
  /** The highest severity the rule reported at in this run. */
  severity: Severity;
}

/** Counts findings per rule as reports stream past (the text report's ranking and `--stats`). */
export class RuleTally {
  private readonly counts = new Map<string, RuleCount>();

  add(report: FileReport): void {
    for (const finding of report.findings) {
      const entry = this.counts.get(finding.ruleId);
      if (entry === undefined) this.counts.set(finding.ruleId, { ruleId: finding.ruleId, count: 1, severity: finding.severity });
      else {
        entry.count += 1;
        if (SEVERITY_RANK[finding.severity] > SEVERITY_RANK[entry.severity]) entry.severity = finding.severity;
      }
    }
  }

  /** How many rules reported anything. */
  get size(): number {
    return this.counts.size;
  }

  /** The `limit` rules with the most findings; ties by rule id, so the order is deterministic. */
  top(limit = TOP_RULES): RuleCount[] {
    return [...this.counts.values()]
      .sort((a, b) => b.count - a.count || (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0))
      .slice(0, limit);
  }
}

/**
 * The ranking block: a heading, one line per rule (count, level, id), and a hint how to turn a rule off or read
 * why it matters. Empty when there are no findings. Ends with a blank line.
 */
export function formatTopRules(top: readonly RuleCount[], total: number, styles: Styles = PLAIN): string {
  if (top.length === 0) return '';
  const width = String(top[0]!.count).length;
  let out = total > top.length ? `Rules with the most findings (${top.length} of ${total} rules):\n` : 'Findings by rule:\n';
  for (const entry of top) {
    const level = entry.severity;
    const styled = level === 'error' ? styles.red(level) : level === 'warning' ? styles.yellow(level) : styles.cyan(level);
    out += `  ${String(entry.count).padStart(width)}  ${styled}${' '.repeat(7 - level.length)}  ${entry.ruleId}\n`;
  }
  const example = top[0]!.ruleId;
  out += styles.dim(`Turn a rule off: --rule ${example}=off (or "rules" in nixforge.config.json)`) + '\n';
  out += styles.dim(`See what a rule checks and why: nixforge explain ${example}`) + '\n';
  return `${out}\n`;
}
