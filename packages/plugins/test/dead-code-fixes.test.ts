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

// The fixed output of each rule is tested with RuleTester (dead-code-rule-tester.test.ts), one pass, parsed by the
// grammar. Here every rule fixes until stable, as `scan --fix` does, and Nix's own parser must accept the result.
describe('dead-code fixes, applied until stable, parse with Nix', () => {
  const inputs: Array<[string, string]> = [
    ['an unused binding line', 'let\n  a = 1;\n  b = 2;\nin\nb\n'],
    ['a let whose bindings are all dead', 'let\n  a = 1;\nin\n{ }\n'],
    ['chains of dead bindings', 'let a = 1; b = a; c = b; d = 4; in d'],
    ['one inherited name', 'x: let inherit (x) a b; in a'],
    ['a whole dead inherit statement', 'x: let\n  inherit (x) a b;\n  c = x;\nin c'],
    ['a formal and its comma', '{ lib, other, ... }: lib'],
    ['an RFC-style formal line', '{\n  lib,\n  other,\n  ...\n}:\nlib\n'],
    ['a prefix @ name', 'args@{ lib, ... }: lib'],
    ['a suffix @ name', '{ lib, ... } @ args: lib'],
    ['a lambda argument', 'let f = x: 1; in f 2'],
    ['a binding after deadnix: skip', 'let\n  # deadnix: skip\n  a = 1;\n  b = 2;\nin\n3\n'],
    ['a binding with its comment', 'let\n  a = 1;\n\n  # supported via rosetta\n  b = x: x;\nin\na\n'],
    ['legacy let members', 'x: let { inherit (x) a b; c = 1; body = a; }'],
  ];
  for (const [title, input] of inputs) {
    it(title, () => {
      expect(nixParses(fixAll(input))).toBe(true);
    });
  }

  it('leaves no fixable finding behind', () => {
    const input = 'let\n  a = 1;\n  b = a;\n  inherit (builtins) map filter;\nin\n{ lib, pkgs, ... }@args: x: map (y: lib) [ ]\n';
    const output = fixAll(input);
    expect(nixParses(output)).toBe(true);
    expect(findingsOf(output)).toEqual([]);
  });
});
