import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeSource, applyFixes, resolveRules, SourceFile, toFix } from '@nixforge/core';
import deadCode from '../src/dead-code/index.js';

const rules = resolveRules([deadCode]);
const workDir = mkdtempSync(join(tmpdir(), 'nixforge-dead-code-fix-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

/** Applies dead-code fixes until none apply, like `scan --fix` does. */
function fixAll(text: string): string {
  let current = text;
  for (let round = 0; round < 10; round += 1) {
    const source = new SourceFile('t.nix', current);
    const fixes = analyzeSource(source, rules).findings.flatMap((f) => (f.fix ? [toFix(f.fix)] : []));
    source.dispose();
    const result = applyFixes(current, fixes);
    if (result.applied.length === 0) break;
    current = result.text;
  }
  return current;
}

function findingsOf(text: string): string[] {
  const source = new SourceFile('t.nix', text);
  return analyzeSource(source, rules).findings.map((f) => `${f.ruleId}:${f.symbol}`);
}

/** Nix's own parser on the file (exit status 0 when it parses). */
function nixParses(text: string): string | true {
  const path = join(workDir, 'fixed.nix');
  writeFileSync(path, text);
  const result = spawnSync('nix-instantiate', ['--parse', path], { encoding: 'utf8' });
  return result.status === 0 ? true : result.stderr;
}

describe('dead-code fixes', () => {
  const cases: Array<[string, string, string]> = [
    ['removes an unused binding line', 'let\n  a = 1;\n  b = 2;\nin\nb\n', 'let\n  b = 2;\nin\nb\n'],
    ['removes the whole let when all bindings are dead', 'let\n  a = 1;\nin\n{ }\n', '{ }\n'],
    ['removes chains of dead bindings', 'let a = 1; b = a; c = b; d = 4; in d', 'let d = 4; in d'],
    ['removes one inherited name', 'x: let inherit (x) a b; in a', 'x: let inherit (x) a; in a'],
    ['removes a whole dead inherit statement', 'x: let\n  inherit (x) a b;\n  c = x;\nin c', 'x: let\n  c = x;\nin c'],
    ['removes an unused formal and its comma', '{ lib, other, ... }: lib', '{ lib, ... }: lib'],
    ['removes a formal with a default', '{ lib, other ? null, ... }: lib', '{ lib, ... }: lib'],
    ['removes an RFC-style formal line', '{\n  lib,\n  other,\n  ...\n}:\nlib\n', '{\n  lib,\n  ...\n}:\nlib\n'],
    ['removes a prefix @ name', 'args@{ lib, ... }: lib', '{ lib, ... }: lib'],
    ['removes a suffix @ name', '{ lib, ... } @ args: lib', '{ lib, ... }: lib'],
    ['prefixes an unused lambda argument', 'let f = x: 1; in f 2', 'let f = _x: 1; in f 2'],
    ['does not rename into a captured name', '_x: x: _x', '_x: x: _x'],
    ['keeps formals without ellipsis (callers may pass them)', '{ lib, stdenv }: lib', '{ lib, stdenv }: lib'],
    ['keeps a binding marked deadnix: skip', 'let\n  # deadnix: skip\n  a = 1;\n  b = 2;\nin\n3\n', 'let\n  # deadnix: skip\n  a = 1;\nin\n3\n'],
    // Found by --fix on devenv and nix-darwin: no orphaned comment, no blank line left after `let` or doubled.
    ['removes the comment describing a binding', 'let\n  a = 1;\n\n  # supported via rosetta\n  b = x: x;\nin\na\n', 'let\n  a = 1;\n\nin\na\n'],
    ['keeps a comment that belongs to the binding above', 'let\n  a = 1;\n  # about a\n  b = 2;\nin\na\n', 'let\n  a = 1;\n  # about a\nin\na\n'],
    ['leaves no blank line after let', 'let\n  cfg = 1;\n\n  profile = 2;\nin\nprofile\n', 'let\n  profile = 2;\nin\nprofile\n'],
    ['leaves no double blank line', 'let\n  a = 1;\n\n  b = 2;\n\n  c = 3;\nin\na + c\n', 'let\n  a = 1;\n\n  c = 3;\nin\na + c\n'],
    ['removes legacy let members', 'let { a = 1; body = 2; }', 'let { body = 2; }'],
    ['removes one inherited name of a legacy let', 'x: let { inherit (x) a b; body = a; }', 'x: let { inherit (x) a; body = a; }'],
  ];
  for (const [title, input, expected] of cases) {
    it(title, () => {
      const output = fixAll(input);
      expect(output).toBe(expected);
      expect(nixParses(output)).toBe(true);
    });
  }

  it('leaves no fixable finding behind', () => {
    const input = 'let\n  a = 1;\n  b = a;\n  inherit (builtins) map filter;\nin\n{ lib, pkgs, ... }@args: x: map (y: lib) [ ]\n';
    const output = fixAll(input);
    expect(nixParses(output)).toBe(true);
    expect(findingsOf(output)).toEqual([]);
  });
});
