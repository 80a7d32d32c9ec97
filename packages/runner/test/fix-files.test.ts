import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { defineRule, resolveRules, type ResolvedRule, type SyntaxNode } from '@nixforge/core';
import { builtinPlugins } from '@nixforge/plugins';
import { fixFile, fixText } from '../src/fix/fix-files.js';

const rules = resolveRules(builtinPlugins).filter((r) => r.id.startsWith('dead-code/'));
const dirs: string[] = [];

function workDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'nixforge-fix-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function nixParses(path: string): boolean {
  return spawnSync('nix-instantiate', ['--parse', path], { encoding: 'utf8' }).status === 0;
}

const DEAD = 'let\n  a = 1;\n  b = a;\n  c = 3;\nin\nc\n';

/** `fixFile` over files of `dir`, as the scan's workers call it (text decoded, BOM noted), summed up. */
async function fixFiles(names: string[], options: { rules: readonly ResolvedRule[]; dryRun: boolean; cwd: string }) {
  const result = { filesChanged: 0, fixesApplied: 0, diff: '' };
  for (const name of names) {
    const raw = readFileSync(join(options.cwd, name), 'utf8');
    const hasBom = raw.startsWith('\uFEFF');
    const text = hasBom ? raw.slice(1) : raw;
    const fixed = await fixFile({ absolutePath: join(options.cwd, name), shownPath: name, text, hasBom }, options.rules, options.dryRun);
    if (fixed.diff === '') continue;
    result.filesChanged += 1;
    result.fixesApplied += fixed.applied;
    result.diff += fixed.diff;
  }
  return result;
}

describe('fixFile', () => {
  it('fixes until stable and writes the file in place', async () => {
    const dir = workDir({ 'x.nix': DEAD, 'clean.nix': 'let c = 3; in c\n' });
    const result = await fixFiles(['x.nix', 'clean.nix'], { rules, dryRun: false, cwd: dir });
    expect(result.filesChanged).toBe(1);
    expect(result.fixesApplied).toBe(2);
    expect(readFileSync(join(dir, 'x.nix'), 'utf8')).toBe('let\n  c = 3;\nin\nc\n');
    expect(nixParses(join(dir, 'x.nix'))).toBe(true);
    expect(readdirSync(dir).sort()).toEqual(['clean.nix', 'x.nix']);
  });

  it('prints a unified diff and changes nothing on a dry run', async () => {
    const dir = workDir({ 'x.nix': DEAD });
    const result = await fixFiles(['x.nix'], { rules, dryRun: true, cwd: dir });
    expect(readFileSync(join(dir, 'x.nix'), 'utf8')).toBe(DEAD);
    expect(result.filesChanged).toBe(1);
    expect(result.diff).toContain('--- a/x.nix\n+++ b/x.nix\n');
    expect(result.diff).toContain('-  a = 1;\n-  b = a;\n');
    expect(result.diff).not.toContain('-  c = 3;');
  });

  it('keeps a BOM, CRLF line ends and the file mode', async () => {
    const text = '\uFEFFlet\r\n  a = 1;\r\n  c = 3;\r\nin\r\nc\r\n';
    const dir = workDir({ 'bom.nix': text });
    chmodSync(join(dir, 'bom.nix'), 0o640);
    await fixFiles(['bom.nix'], { rules, dryRun: false, cwd: dir });
    expect(readFileSync(join(dir, 'bom.nix'), 'utf8')).toBe('\uFEFFlet\r\n  c = 3;\r\nin\r\nc\r\n');
    expect(statSync(join(dir, 'bom.nix')).mode & 0o777).toBe(0o640);
  });

  it('leaves a file with syntax errors untouched', async () => {
    const broken = '{ a = let x = 1; in 2 }\n';
    const dir = workDir({ 'broken.nix': broken });
    const result = await fixFiles(['broken.nix'], { rules, dryRun: false, cwd: dir });
    expect(result).toEqual({ filesChanged: 0, fixesApplied: 0, diff: '' });
    expect(readFileSync(join(dir, 'broken.nix'), 'utf8')).toBe(broken);
  });

  it('does not apply a fix that Nix would reject (an undefined variable), applying the others', async () => {
    const renameUses = defineRule({
      meta: { description: 'test: renames uses', severity: 'warning', fixable: true },
      create(context) {
        return {
          variable_expression(node: SyntaxNode) {
            const name = context.getText(node);
            const to = name === 'a' ? 'missing' : `${name}`;
            context.report({
              node,
              message: `rename ${name}`,
              fix: { description: `${name} -> ${to}`, edits: [{ range: { start: node.startIndex, end: node.endIndex }, text: `(${to})` }] },
            });
          },
        };
      },
    });
    const rule: ResolvedRule = { id: 'test/rename', rule: renameUses, severity: 'warning', options: {} };
    const dir = workDir({ 'r.nix': 'let a = 1; b = 2; in [ a b ]\n' });
    const result = await fixFiles(['r.nix'], { rules: [rule], dryRun: false, cwd: dir });
    expect(readFileSync(join(dir, 'r.nix'), 'utf8')).toMatch(/^let a = 1; b = 2; in \[ a \(+b\)+ \]\n$/);
    expect(result.fixesApplied).toBeGreaterThan(0);
    expect(nixParses(join(dir, 'r.nix'))).toBe(true);
  });
});

describe('fixText applies only fixes of reported findings (issue 12)', () => {
  // deadnix's behaviour (`config` of a module reported), so that removing it can leave `{ ... }:`.
  const all = resolveRules(builtinPlugins, { 'dead-code/unused-formal': ['warning', { reportInterfaceArgs: true }] }, { extends: 'all' });
  /** [what, file name, before, after]: `--fix` with every built-in rule. */
  const cases: Array<[what: string, path: string, before: string, after: string]> = [
    [
      // Removing `b` leaves `{ ... }:`; no finding asked for `_:`, so it stays.
      'no empty-pattern fix after removing the last formal',
      'x.nix',
      '{ config, ... }: 1\n',
      '{ ... }: 1\n',
    ],
    [
      'no chained fix in a multi-line let either',
      'x.nix',
      'let\n  f =\n    {\n      config,\n      ...\n    }:\n    1;\nin\nf { }\n',
      'let\n  f =\n    {\n      ...\n    }:\n    1;\nin\nf { }\n',
    ],
    [
      // Only the outer parentheses were reported; the inner ones become a binding's value by the fix.
      'a finding that a fix creates is left for the next run',
      'x.nix',
      '{ a = ((1 + 2)); }\n',
      '{ a = (1 + 2); }\n',
    ],
    ['nested reported fixes all apply', 'x.nix', '{ x }: [ ((x)) ]\n', '{ x }: [ x ]\n'],
    [
      'a multi-line concatLists (map ...) keeps its lines',
      'x.nix',
      '{ lib, xs }:\nlib.concatLists (\n  map (x: [\n    x\n  ]) xs\n)\n',
      '{ lib, xs }:\nlib.concatMap (x: [\n    x\n  ]) xs\n',
    ],
  ];
  it.each(cases)('%s', (_what, path, before, after) => {
    const fixed = fixText(path, before, all);
    expect(fixed.text).toBe(after);
  });
});
