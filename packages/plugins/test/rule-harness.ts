import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
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

/** Lines marked `# expect: <rule id>` (one marker per expected finding, on the line where it starts). */
export function expectedLines(text: string, id: string): number[] {
  const lines: number[] = [];
  text.split('\n').forEach((line, index) => {
    const marker = /# expect: ([\w/-]+)/g;
    for (const match of line.matchAll(marker)) if (match[1] === id) lines.push(index + 1);
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
