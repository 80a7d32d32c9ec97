import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { analyzeSource, resolveRules, SourceFile, type Finding, type RuleLevel } from '@nixforge/core';
import lint from '../src/lint/index.js';
import { RULE_TESTER_RULES } from './rule-tester-rules.js';

const workDir = mkdtempSync(join(tmpdir(), 'nixforge-lint-fix-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

let fileCounter = 0;

/** Nix's own verdict on `text`: one `nix-instantiate --parse` per file, since it stops at the first bad one. */
function nixParse(text: string): { ok: boolean; message: string } {
  const file = join(workDir, `case-${fileCounter++}.nix`);
  writeFileSync(file, text);
  const result = spawnSync('nix-instantiate', ['--parse', file], { encoding: 'utf8' });
  return { ok: result.status === 0, message: result.stderr };
}

function findingsOf(text: string, rule?: string, options?: Record<string, unknown>): Finding[] {
  const settings = rule && options ? { [`lint/${rule}`]: ['warning', options] as [RuleLevel, Record<string, unknown>] } : {};
  const rules = resolveRules([lint], settings).filter((r) => rule === undefined || r.id === `lint/${rule}`);
  return analyzeSource(new SourceFile('case.nix', text), rules).findings;
}

/**
 * Applies the fixes of `findings` to `text`, the way `--fix` does in one pass: fixes are taken in order and a
 * fix whose edits overlap an already accepted edit waits for the next pass.
 */
function applyFixes(text: string, findings: readonly Finding[]): { text: string; applied: number } {
  const accepted: Array<{ start: number; end: number; text: string }> = [];
  let applied = 0;
  for (const finding of findings) {
    const edits = finding.fix?.edits ?? [];
    if (edits.length === 0) continue;
    const overlaps = edits.some((e) => accepted.some((a) => e.start < a.end && a.start < e.end));
    if (overlaps) continue;
    accepted.push(...edits);
    applied += 1;
  }
  accepted.sort((a, b) => b.start - a.start || b.end - a.end);
  let result = text;
  for (const edit of accepted) result = result.slice(0, edit.start) + edit.text + result.slice(edit.end);
  return { text: result, applied };
}

const ASSUME_BOOLEANS = { assumeBooleans: true };

/**
 * [rule, code, code after one pass of that rule's fixes, rule options]. Every case is valid, closed Nix before
 * and after.
 */
const FIXES: Array<[rule: string, code: string, fixed: string, options?: Record<string, unknown>]> = [
  ['bool-comparison', '{ a }: a ? x == true', '{ a }: a ? x'],
  ['bool-comparison', '{ a, b }: a < b == false', '{ a, b }: !(a < b)'],
  ['bool-comparison', '{ a, b }: true != (a && b)', '{ a, b }: !(a && b)'],
  ['bool-comparison', '{ a }: (!a) != false', '{ a }: (!a)'],
  ['bool-comparison', '{ lib, a }: lib.isString a == false', '{ lib, a }: !lib.isString a'],
  ['bool-comparison', '{ a, b }: builtins.elem a b == true', '{ a, b }: builtins.elem a b'],
  ['bool-comparison', '{ a }: { x = (a ? b) == true; }', '{ a }: { x = (a ? b); }'],
  ['bool-comparison', '{ a }: a == true', '{ a }: a', ASSUME_BOOLEANS],
  ['bool-comparison', '{ a }: a == false', '{ a }: !a', ASSUME_BOOLEANS],
  ['bool-comparison', '{ a }: true != a', '{ a }: !a', ASSUME_BOOLEANS],
  ['bool-comparison', '{ a }: a != false', '{ a }: a', ASSUME_BOOLEANS],
  ['bool-comparison', '{ a, b }: a + b == false', '{ a, b }: !(a + b)', ASSUME_BOOLEANS],
  ['bool-comparison', '{ a, b }: a == false || b', '{ a, b }: !a || b', ASSUME_BOOLEANS],
  ['bool-comparison', '{ a }: [ (a.b == false) ]', '{ a }: [ (!a.b) ]', ASSUME_BOOLEANS],
  ['bool-comparison', '{ a }: { x = a.b == true; }', '{ a }: { x = a.b; }', ASSUME_BOOLEANS],
  ['manual-inherit', '{ a }: { a = a; b = 1; }', '{ a }: { inherit a; b = 1; }'],
  ['manual-inherit-from', '{ pkgs }: { hello = pkgs.hello; }', '{ pkgs }: { inherit (pkgs) hello; }'],
  ['manual-inherit-from', '{ a }: { c = a.b.c; }', '{ a }: { inherit (a.b) c; }'],
  ['manual-inherit-from', '{ a }: { c = (a.b).c; }', '{ a }: { inherit (a.b) c; }'],
  ['manual-inherit-from', '{ pkgs }: let lib = pkgs.lib; in lib', '{ pkgs }: let inherit (pkgs) lib; in lib'],
  ['collapsible-let-in', 'let a = 1; in let b = a; in b', 'let a = 1; b = a; in b'],
  [
    'collapsible-let-in',
    'let\n  a = 1;\nin\nlet\n  b = 2;\nin\na + b',
    'let\n  a = 1;\n  b = 2;\nin\na + b',
  ],
  ['collapsible-let-in', 'let a = 1; in let b = 2; in let c = 3; in a + b + c', 'let a = 1; b = 2; c = 3; in a + b + c'],
  // Only the first pair may merge: merging the second as well would bind `a` twice.
  ['collapsible-let-in', 'let a = 1; in let b = 2; in let a = 3; in a + b', 'let a = 1; b = 2; in let a = 3; in a + b'],
  ['eta-reduction', '{ f }: x: f x', '{ f }: f'],
  ['eta-reduction', '{ lib }: map (x: lib.toUpper x) [ ]', '{ lib }: map lib.toUpper [ ]'],
  ['eta-reduction', '{ g }: y: g 1 y', '{ g }: g 1'],
  ['eta-reduction', '{ f }: [ (x: f x) ]', '{ f }: [ f ]'],
  ['useless-parens', '{ a = (1 + 2); }', '{ a = 1 + 2; }'],
  ['useless-parens', 'let a = 1; in (a)', 'let a = 1; in a'],
  ['useless-parens', '{ f, x }: f(x)', '{ f, x }: f x'],
  ['useless-parens', 'x:(x)', 'x: x'],
  ['useless-parens', '{ x }: ((x))', '{ x }: x'],
  ['useless-parens', '{ f, x }: [ (x)(f) ]', '{ f, x }: [ x  f ]'],
  ['useless-parens', '{ x }: (x.y).z', '{ x }: x.y.z'],
  ['empty-pattern', 'map ({ ... }: 1) [ ]', 'map (_: 1) [ ]'],
  ['redundant-pattern-bind', '{ ... }@args: args', 'args: args'],
  ['redundant-pattern-bind', 'args @ { ... }: args', 'args: args'],
  ['bool-simplification', '{ a, b }: !(a == b)', '{ a, b }: a != b'],
  ['bool-simplification', '{ a, b, c }: !(a != b) && c', '{ a, b, c }: a == b && c'],
  ['bool-simplification', '{ a, b }: (!(a == b)) == false', '{ a, b }: (a != b) == false'],
  ['useless-has-attr', '{ x }: if x ? a then x.a else 1', '{ x }: x.a or 1'],
  ['useless-has-attr', '{ x, y }: if x ? a then x.a else y + 1', '{ x, y }: x.a or (y + 1)'],
  ['useless-has-attr', '{ x, f }: f (if x ? a then x.a else 1)', '{ x, f }: f (x.a or 1)'],
  ['useless-has-attr', '{ x }: (if x ? "a b" then x."a b" else { }).c', '{ x }: (x."a b" or { }).c'],
  ['empty-list-concat', '{ xs }: [ ] ++ xs', '{ xs }: xs'],
  ['empty-list-concat', '{ xs }: xs ++ []', '{ xs }: xs'],
  ['empty-list-concat', '{ a, b }: a ++ [ ] ++ b', '{ a, b }: a ++ b'],
  ['deprecated-is-null', '{ x }: isNull x', '{ x }: x == null'],
  ['deprecated-is-null', '{ x }: !isNull x', '{ x }: x != null'],
  ['deprecated-is-null', '{ x, y }: y && !isNull x.a', '{ x, y }: y && x.a != null'],
  ['deprecated-is-null', '{ x }: [ (!isNull x) ]', '{ x }: [ (x != null) ]'],
  ['deprecated-is-null', '{ x }: [ (builtins.isNull x) ]', '{ x }: [ (x == null) ]'],
  ['deprecated-is-null', '{ x, y }: isNull x || y', '{ x, y }: x == null || y'],
  // The parentheses around the reduced function go with it.
  ['eta-reduction', '{ isString, xs }: builtins.all (value: isString value) xs', '{ isString, xs }: builtins.all isString xs'],
  ['eta-reduction', '{ lib, xs }: map (x: lib.toUpper x) xs', '{ lib, xs }: map lib.toUpper xs'],
];

/** [rule, code]: reported, but no fix is offered because one would change the meaning or drop a comment. */
const UNFIXABLE: Array<[rule: string, code: string]> = [
  // Without `assumeBooleans`, a value that may be null or a string is not rewritten: `x == true` is not `x`.
  ['bool-comparison', '{ a }: if a.enable == true then 1 else 2'],
  ['bool-comparison', '{ a }: a.b.enable != false'],
  ['collapsible-let-in', 'let a = 1; in let a = 2; in a'],
  ['collapsible-let-in', '{ b }: let a = b; in let b = 2; in a + b'],
  ['collapsible-let-in', 'let a = 1; in # keep me\nlet b = 2; in a + b'],
  ['bool-comparison', '{ a }: a.enable /* keep me */ == true'],
  ['useless-parens', '{ x }: ( # keep me\n x)'],
  // Multi-line parentheses: removing them would join the lines.
  ['useless-parens', '{ a, b }: { assertion = (\n  a != "xe" || b\n); }'],
];

describe('lint fixes', () => {
  it('covers every fixable rule', () => {
    const fixable = Object.entries(lint.rules)
      .filter(([name, rule]) => rule.meta.fixable && !RULE_TESTER_RULES.has(name))
      .map(([name]) => name);
    expect(new Set(FIXES.map(([rule]) => rule))).toEqual(new Set(fixable));
  });

  it.each(FIXES)('%s: %j', (rule, code, fixed, options) => {
    expect(nixParse(code)).toMatchObject({ ok: true });
    const findings = findingsOf(code, rule, options);
    expect(findings.length).toBeGreaterThan(0);
    const result = applyFixes(code, findings);
    expect(result.text).toBe(fixed);
    expect(nixParse(result.text)).toEqual({ ok: true, message: '' });
    // Fixes that had to wait for a pass (nested or overlapping findings) are applied until stable.
    let text = result.text;
    for (let pass = 0; pass < 5; pass++) {
      const again = applyFixes(text, findingsOf(text, rule, options));
      if (again.applied === 0) break;
      text = again.text;
      expect(nixParse(text).ok).toBe(true);
    }
    expect(findingsOf(text, rule, options).filter((f) => f.fix)).toEqual([]);
  });

  it.each(UNFIXABLE)('%s reports %j without a fix', (rule, code) => {
    const findings = findingsOf(code, rule);
    expect(findings.length).toBeGreaterThan(0);
    expect(findings.filter((f) => f.fix)).toEqual([]);
  });

  describe('fixture files', () => {
    const dir = fileURLToPath(new URL('../../../fixtures/rules/lint/', import.meta.url));
    const files = readdirSync(dir).filter((name) => name.endsWith('.nix'));

    it('exist', () => {
      expect(files.length).toBeGreaterThan(0);
    });

    it.each(files)('%s: all lint fixes together, repeated until stable, keep the file valid Nix', (name) => {
      let text = readFileSync(join(dir, name), 'utf8');
      expect(nixParse(text)).toMatchObject({ ok: true });
      const fixable = findingsOf(text).filter((f) => f.fix).length;
      let passes = 0;
      for (;;) {
        const result = applyFixes(text, findingsOf(text));
        if (result.applied === 0) break;
        text = result.text;
        passes += 1;
        expect(nixParse(text), `after pass ${passes}:\n${text}`).toEqual({ ok: true, message: '' });
        expect(passes).toBeLessThan(10);
      }
      expect(passes > 0).toBe(fixable > 0);
      expect(findingsOf(text).filter((f) => f.fix)).toEqual([]);
    });
  });
});
