import type { SuiteResult } from './suite.js';
import { PIPELINE_FIELDS } from './suites/pipeline.js';

const WIDTH = 960;
const COLORS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd'];

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function text(x: number, y: number, content: string, attrs = ''): string {
  return `<text x="${x.toFixed(1)}" y="${y.toFixed(1)}" ${attrs}>${escape(content)}</text>`;
}

/** A rounded-up axis maximum (1, 2 or 5 times a power of ten). */
function niceMax(value: number): number {
  if (value <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) if (step * power >= value) return step * power;
  return 10 * power;
}

/** Grid lines that fall on round values: 5 for a maximum of 1, 5 or 10 (times a power of ten), 4 for 2. */
function tickCount(max: number): number {
  const leading = Math.round(max / 10 ** Math.floor(Math.log10(max)));
  return leading === 2 ? 4 : 5;
}

/** Line chart of throughput (MiB/s) against thread count, one series per pipeline column. */
function throughputPanel(pipeline: SuiteResult, top: number): { svg: string; height: number } {
  const series = [PIPELINE_FIELDS.full, PIPELINE_FIELDS.parseOnly, PIPELINE_FIELDS.parseWalk, PIPELINE_FIELDS.floor].filter((field) =>
    pipeline.rows.some((r) => typeof r[field] === 'number'),
  );
  const threads = pipeline.rows.map((r) => Number(r[PIPELINE_FIELDS.threads]));
  const height = 320;
  const left = 70;
  const right = WIDTH - 220;
  const plotTop = top + 40;
  const plotBottom = top + height - 40;
  const maxValue = niceMax(Math.max(...pipeline.rows.flatMap((r) => series.map((s) => Number(r[s] ?? 0)))));
  const x = (i: number): number => (threads.length === 1 ? (left + right) / 2 : left + (i * (right - left)) / (threads.length - 1));
  const y = (v: number): number => plotBottom - (v / maxValue) * (plotBottom - plotTop);
  const out: string[] = [text(left, top + 20, 'Throughput against threads (MiB/s, higher is better)', 'font-size="16" font-weight="bold"')];
  const ticks = tickCount(maxValue);
  for (let tick = 0; tick <= ticks; tick += 1) {
    const value = (maxValue * tick) / ticks;
    out.push(`<line x1="${left}" x2="${right}" y1="${y(value).toFixed(1)}" y2="${y(value).toFixed(1)}" stroke="#ddd"/>`);
    out.push(text(left - 8, y(value) + 4, String(Math.round(value * 10) / 10), 'text-anchor="end" font-size="12"'));
  }
  threads.forEach((t, i) => out.push(text(x(i), plotBottom + 18, `${t} thread${t === 1 ? '' : 's'}`, 'text-anchor="middle" font-size="12"')));
  series.forEach((field, s) => {
    const points = pipeline.rows
      .map((r, i) => (typeof r[field] === 'number' ? `${x(i).toFixed(1)},${y(r[field] as number).toFixed(1)}` : undefined))
      .filter((p): p is string => p !== undefined);
    out.push(`<polyline fill="none" stroke="${COLORS[s]}" stroke-width="2.5" points="${points.join(' ')}"/>`);
    for (const point of points) {
      const [px, py] = point.split(',');
      out.push(`<circle cx="${px}" cy="${py}" r="4" fill="${COLORS[s]}"/>`);
    }
    out.push(`<rect x="${right + 20}" y="${plotTop + s * 22}" width="14" height="14" fill="${COLORS[s]}"/>`);
    out.push(text(right + 40, plotTop + s * 22 + 12, field.replace(' MiB/s', ''), 'font-size="13"'));
  });
  return { svg: out.join('\n'), height };
}

/** Horizontal bars of each rule's cost (ms per MiB), ranked. */
function rulesPanel(rules: SuiteResult, top: number): { svg: string; height: number } {
  const bars = rules.rows.filter((r) => typeof r['ms/MiB'] === 'number' && r.rule !== '(all rules)');
  const barHeight = 18;
  const left = 300;
  const right = WIDTH - 90;
  const height = 60 + bars.length * barHeight;
  const maxValue = niceMax(Math.max(...bars.map((r) => r['ms/MiB'] as number)));
  const out: string[] = [text(20, top + 20, 'Cost per rule alone (ms per MiB of source, one thread, lower is better)', 'font-size="16" font-weight="bold"')];
  bars.forEach((row, i) => {
    const value = row['ms/MiB'] as number;
    const y = top + 40 + i * barHeight;
    const width = (value / maxValue) * (right - left);
    out.push(text(left - 8, y + 13, String(row.rule), 'text-anchor="end" font-size="12"'));
    out.push(`<rect x="${left}" y="${y + 2}" width="${Math.max(1, width).toFixed(1)}" height="${barHeight - 5}" fill="${String(row.rule).startsWith('(') ? '#999' : COLORS[0]}"/>`);
    out.push(text(left + width + 6, y + 13, String(value), 'font-size="12"'));
  });
  return { svg: out.join('\n'), height };
}

/**
 * The benchmark chart: throughput against threads from the pipeline suite and per-rule cost from the rules
 * suite (whichever of them ran). Hand-written SVG, no dependencies. Undefined when neither suite ran.
 */
export function renderChart(results: readonly SuiteResult[], caption: string): string | undefined {
  const pipeline = results.find((r) => r.name === 'pipeline' && r.rows.length > 0);
  const rules = results.find((r) => r.name === 'rules' && r.rows.length > 0);
  if (!pipeline && !rules) return undefined;
  const panels: string[] = [];
  let top = 10;
  if (pipeline) {
    const panel = throughputPanel(pipeline, top);
    panels.push(panel.svg);
    top += panel.height + 10;
  }
  if (rules) {
    const panel = rulesPanel(rules, top);
    panels.push(panel.svg);
    top += panel.height + 10;
  }
  const height = top + 30;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="sans-serif">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    ...panels,
    text(20, height - 10, caption, 'font-size="11" fill="#555"'),
    '</svg>',
    '',
  ].join('\n');
}
