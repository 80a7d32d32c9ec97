import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { analyzeSource, resolveRules, SourceFile, type Finding, type RuleLevel } from '@nixforge/core';
import lint from '../src/lint/index.js';
import { LINT_RULE_CASES } from './lint-cases.js';

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

function findingsOf(text: string, rule?: string, options?: Record<string, unknown>, path = 'case.nix'): Finding[] {
  const settings = rule && options ? { [`lint/${rule}`]: ['warning', options] as [RuleLevel, Record<string, unknown>] } : {};
  const rules = resolveRules([lint], settings).filter((r) => rule === undefined || r.id === `lint/${rule}`);
  return analyzeSource(new SourceFile(path, text), rules).findings;
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

/** Every invalid RuleTester case with a fixed output: [rule, code, case]. */
const FIXED_CASES = Object.entries(LINT_RULE_CASES).flatMap(([rule, tests]) =>
  tests.invalid.filter((test) => typeof test.output === 'string').map((test) => [rule, test.code, test] as const),
);

describe('lint fixes', () => {
  // RuleTester checks one pass with tree-sitter; this asks Nix itself, and repeats the fixes until stable.
  it.each(FIXED_CASES)('%s: %j parses with Nix before and after its fixes, repeated until stable', (rule, _code, test) => {
    expect(nixParse(test.code)).toMatchObject({ ok: true });
    let text = test.code;
    for (let pass = 0; pass < 5; pass++) {
      const result = applyFixes(text, findingsOf(text, rule, test.options, test.filename));
      if (result.applied === 0) break;
      text = result.text;
      expect(nixParse(text), `after pass ${pass + 1}:\n${text}`).toEqual({ ok: true, message: '' });
    }
    expect(findingsOf(text, rule, test.options, test.filename).filter((f) => f.fix)).toEqual([]);
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
