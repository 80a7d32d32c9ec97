import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { analyzeSource, resolveRules, SourceFile, type Finding, type Plugin } from '@nixforge/core';

/** Root of the rule fixtures: `fixtures/rules/<plugin>/<rule>/*.nix`. */
export const FIXTURES = new URL('../../../fixtures/rules/', import.meta.url).pathname;

/** Runs one rule of a plugin on a text and returns its findings. */
export function runRule(
  plugin: Plugin,
  rule: string,
  path: string,
  text: string,
  options?: Record<string, unknown>,
): Finding[] {
  const id = `${plugin.name}/${rule}`;
  const settings = options ? { [id]: ['warning', options] as ['warning', Record<string, unknown>] } : {};
  const resolved = resolveRules([plugin], settings).filter((r) => r.id === id);
  if (resolved.length === 0) throw new Error(`no rule ${id}`);
  const source = new SourceFile(path, text);
  try {
    return analyzeSource(source, resolved).findings;
  } finally {
    source.dispose();
  }
}

/**
 * Lines marked `# expect: <rule id>[, <rule id>...]`: one id per expected finding, on the line where the
 * finding starts (an id given twice means two findings on that line).
 */
export function expectedLines(text: string, id: string): number[] {
  const lines: number[] = [];
  text.split('\n').forEach((line, index) => {
    const marker = /# expect: (.*)$/.exec(line);
    for (const expected of marker?.[1]!.split(',') ?? []) if (expected.trim() === id) lines.push(index + 1);
  });
  return lines;
}

/** One fixture file of a rule. */
export interface FixtureCase {
  rule: string;
  file: string;
  path: string;
  text: string;
}

/** Every `*.nix` under `fixtures/rules/<plugin>/<rule>/` (not deeper), grouped by rule directory. */
export function fixtureCases(plugin: string): FixtureCase[] {
  const root = join(FIXTURES, plugin);
  const cases: FixtureCase[] = [];
  for (const rule of readdirSync(root).sort()) {
    const dir = join(root, rule);
    for (const file of readdirSync(dir).sort()) {
      if (!file.endsWith('.nix')) continue;
      const path = join(dir, file);
      cases.push({ rule, file, path, text: readFileSync(path, 'utf8') });
    }
  }
  return cases;
}

/** The start lines of findings, sorted. */
export function findingLines(findings: readonly Finding[]): number[] {
  return findings.map((f) => f.line).sort((a, b) => a - b);
}

/** Applies the fixes of findings to a text (edits of different findings must not overlap). */
export function applyFixes(text: string, findings: readonly Finding[]): string {
  const edits = findings.flatMap((f) => f.fix?.edits ?? []).sort((a, b) => b.start - a.start);
  let result = text;
  for (const edit of edits) result = result.slice(0, edit.start) + edit.text + result.slice(edit.end);
  return result;
}

/**
 * Runs `nix-instantiate --parse` on an expression; returns Nix's error message, or undefined when it parses.
 * The snippet is wrapped in `with { };` so free names (snippets have no arguments) are not undefined variables.
 */
export function nixParseError(text: string): string | undefined {
  const result = spawnSync('nix-instantiate', ['--parse', '-E', `with { }; (\n${text}\n)`], { encoding: 'utf8' });
  return result.status === 0 ? undefined : result.stderr.trim();
}
