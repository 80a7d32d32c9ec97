import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
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
  const settings = options ? { [id]: ['warning', options] as ['warning', Record<string, unknown>] } : {};
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

/** Every `*.nix` under `fixtures/rules/<plugin>/<rule>/` (recursively), grouped by rule directory. */
export function fixtureCases(plugin: string): FixtureCase[] {
  const root = join(FIXTURES, plugin);
  const cases: FixtureCase[] = [];
  for (const rule of readdirSync(root).sort()) {
    const dir = join(root, rule);
    if (!statSync(dir).isDirectory()) continue;
    const files = (readdirSync(dir, { recursive: true }) as string[]).filter((f) => f.endsWith('.nix')).sort();
    for (const file of files) {
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

/** Where docs examples run when a rule reads other files: a fixture directory copied to a temp dir. */
export interface ExampleSetup {
  /** Directory whose files are copied next to the example. */
  dir: string;
  /** The example's file name for a rule, e.g. `flake.nix`. */
  fileName(rule: string): string;
}

function runExample(plugin: Plugin, rule: string, text: string, setup: ExampleSetup | undefined): Finding[] {
  if (!setup) return runRule(plugin, rule, 'example.nix', text);
  const dir = mkdtempSync(join(tmpdir(), 'nixforge-example-'));
  try {
    cpSync(setup.dir, dir, { recursive: true });
    const path = join(dir, setup.fileName(rule));
    writeFileSync(path, text);
    return runRule(plugin, rule, path, text);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The table-driven tests every plugin gets: each rule has fixtures under `fixtures/rules/<plugin>/<rule>/`
 * (`bad*` and `good*` files or directories) whose `# expect:` markers match the rule's findings exactly,
 * and the docs' bad example triggers the rule while the good one does not.
 */
export function describePluginRules(plugin: Plugin, examples?: ExampleSetup): void {
  describe(`${plugin.name} plugin fixtures`, () => {
    const cases = fixtureCases(plugin.name).filter((c) => Object.hasOwn(plugin.rules, c.rule));

    it('has bad and good fixtures for every rule, and the bad ones expect findings', () => {
      for (const rule of Object.keys(plugin.rules)) {
        const ruleCases = cases.filter((c) => c.rule === rule);
        expect(ruleCases.some((c) => c.file.startsWith('good')), `${rule}: good fixture`).toBe(true);
        const bad = ruleCases.filter((c) => c.file.startsWith('bad'));
        const marked = bad.flatMap((c) => expectedLines(c.text, `${plugin.name}/${rule}`));
        expect(marked.length, `${rule}: bad fixture with # expect markers`).toBeGreaterThan(0);
      }
    });

    it.each(cases.map((c) => [`${c.rule}/${c.file}`, c] as const))('%s', (_name, c) => {
      const id = `${plugin.name}/${c.rule}`;
      const top = c.file.split('/')[0]!;
      const projectDir = join(FIXTURES, plugin.name, c.rule, c.file.includes('/') ? top : '');
      const findings = runRule(plugin, c.rule, c.path, c.text, undefined, projectDir);
      const expected = expectedLines(c.text, id);
      expect(findingLines(findings), findings.map((f) => `${f.line}: ${f.message}`).join('\n')).toEqual(expected);
      for (const finding of findings) expect(finding.ruleId).toBe(id);
    });
  });

  describe(`${plugin.name} rule docs`, () => {
    it.each(Object.entries(plugin.rules))('%s: bad triggers, good does not', (name, rule) => {
      const docs = rule.meta.docs!;
      expect(docs.explanation).toBeTruthy();
      expect(docs.url).toBe(`https://github.com/nixforge/nixforge/blob/main/docs/rules.md#${plugin.name}-${name}`);
      expect(runExample(plugin, name, docs.bad!, examples).length).toBeGreaterThan(0);
      expect(runExample(plugin, name, docs.good!, examples)).toEqual([]);
    });
  });
}
