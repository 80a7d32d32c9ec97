import { readdirSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { analyzeSource, resolveRules, runProjectChecks, SourceFile, type Finding, type Plugin, type ProjectInput, type ResolvedRule } from '@nixforge/core';

/** Root of the rule fixtures: `fixtures/rules/<plugin>/<rule>/*.nix`. */
export const FIXTURES = new URL('../../../fixtures/rules/', import.meta.url).pathname;

/** Runs one rule of a plugin on a text and returns its findings. */
export function runRule(
  plugin: Plugin,
  rule: string,
  path: string,
  text: string,
  options?: Record<string, unknown>,
  projectDir?: string,
): Finding[] {
  const id = `${plugin.name}/${rule}`;
  // Enabled explicitly: rules outside the default preset run too.
  const settings = { [id]: options ? (['warning', options] as ['warning', Record<string, unknown>]) : ('warning' as const) };
  const resolved = resolveRules([plugin], settings).filter((r) => r.id === id);
  if (resolved.length === 0) throw new Error(`no rule ${id}`);
  const source = new SourceFile(path, text);
  let findings: Finding[];
  let own: ProjectInput;
  try {
    const result = analyzeSource(source, resolved);
    findings = result.findings;
    own = { path, absolutePath: source.absolutePath, fileType: result.fileType, ...(result.facts ? { facts: result.facts } : {}) };
  } finally {
    source.dispose();
  }
  if (!resolved.some((r) => r.rule.check)) return findings;
  // A project rule sees the file plus every other .nix file of its fixture directory.
  const dir = projectDir ?? (isAbsolute(path) ? dirname(path) : undefined);
  const inputs = [own, ...(dir ? siblingInputs(dir, path, resolved) : [])];
  const project = runProjectChecks(inputs, resolved, { cwd: dir ?? dirname(source.absolutePath) });
  return [...findings, ...project.filter((p) => p.path === path).map((p) => p.finding)];
}

function siblingInputs(dir: string, except: string, rules: ResolvedRule[]): ProjectInput[] {
  const inputs: ProjectInput[] = [];
  for (const file of (readdirSync(dir, { recursive: true }) as string[]).filter((f) => f.endsWith('.nix')).sort()) {
    const path = join(dir, file);
    if (path === except) continue;
    const source = new SourceFile(path, readFileSync(path, 'utf8'));
    try {
      const result = analyzeSource(source, rules, { factsOnly: true });
      inputs.push({ path, absolutePath: path, fileType: result.fileType, ...(result.facts ? { facts: result.facts } : {}) });
    } finally {
      source.dispose();
    }
  }
  return inputs;
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
