import type { SuiteResult } from './suite.js';

/** A target checked against a measured ratio. */
export interface TargetCheck {
  suite: string;
  ratio: string;
  value: number;
  max?: number;
  min?: number;
  met: boolean;
}

/** Compares each suite's ratios with its targets. Ratios without a target are not listed. */
export function checkTargets(results: readonly SuiteResult[]): TargetCheck[] {
  const checks: TargetCheck[] = [];
  for (const result of results) {
    for (const [ratio, target] of Object.entries(result.targets ?? {})) {
      const value = result.ratios[ratio];
      if (value === undefined) continue;
      const met = (target.max === undefined || value <= target.max) && (target.min === undefined || value >= target.min);
      checks.push({ suite: result.name, ratio, value, ...target, met });
    }
  }
  return checks;
}

/** Rows as an aligned text table; columns are the union of the rows' keys, in first-seen order. */
export function formatTable(rows: ReadonlyArray<Record<string, string | number>>): string {
  if (rows.length === 0) return '(no rows)\n';
  const columns: string[] = [];
  for (const row of rows) for (const key of Object.keys(row)) if (!columns.includes(key)) columns.push(key);
  const cells = rows.map((row) => columns.map((c) => (row[c] === undefined ? '' : String(row[c]))));
  const widths = columns.map((c, i) => Math.max(c.length, ...cells.map((r) => r[i]!.length)));
  const line = (values: string[]): string =>
    values.map((v, i) => (/^-?[\d.]+$/.test(v) ? v.padStart(widths[i]!) : v.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(columns), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(line)].join('\n') + '\n';
}

/** A suite's table, ratios and notes, as printed by `npm run bench`. */
export function formatSuite(result: SuiteResult, seconds: number): string {
  const parts = [`\n== ${result.name} (${seconds.toFixed(1)} s)\n`, formatTable(result.rows)];
  for (const [name, value] of Object.entries(result.ratios)) {
    const target = result.targets?.[name];
    const goal = target ? ` (target ${target.max !== undefined ? `<= ${target.max}` : `>= ${target.min}`})` : '';
    parts.push(`  ${name}: ${value}${goal}\n`);
  }
  for (const note of result.notes ?? []) parts.push(`  note: ${note}\n`);
  return parts.join('');
}

export function formatTargets(checks: readonly TargetCheck[]): string {
  if (checks.length === 0) return '';
  const rows = checks.map((c) => ({
    target: c.ratio,
    measured: c.value,
    goal: c.max !== undefined ? `<= ${c.max}` : `>= ${c.min}`,
    status: c.met ? 'met' : 'MISSED',
  }));
  return `\n== targets (reported, not asserted)\n${formatTable(rows)}`;
}
