import { describe, expect, it } from 'vitest';
import { SourceFile } from '@nixforge/core';
import nix, { computeNixDiagnostics, firstNixError } from '../src/nix/index.js';
import { describePluginRules, runRule } from './rule-harness.js';

describePluginRules(nix);

function kindsAndLines(text: string): string[] {
  const source = new SourceFile('t.nix', text);
  return computeNixDiagnostics(source).map((d) => `${d.kind}@${source.positionAt(d.range.start).line}`);
}

describe('nix diagnostics', () => {
  const cases: Array<[string, string, string[]]> = [
    ['merged attrpaths are fine', '{\n a.b = 1;\n a.c = 2;\n}', []],
    ['a set literal extended by a path is fine', '{\n a = { b = 1; };\n a.c = 2;\n}', []],
    ['a path extended by a set literal is fine', '{\n a.c = 2;\n a = { b = 1; };\n}', []],
    ['two set literals merge', '{\n a = { b = 1; };\n a = { c = 1; };\n}', []],
    ['parenthesised set literals merge', '{\n a = ({ b = 1; });\n a.c = 2;\n}', []],
    ['a non-set then a path clashes', '{\n a = 1;\n a.b = 2;\n}', ['duplicate-attribute@3']],
    ['an inherited name then a path clashes', 'x: {\n inherit x;\n x.b = 2;\n}', ['duplicate-attribute@3']],
    ['merging two sets with the same member', '{\n a = { b = 1; };\n a = { b = 2; };\n}', ['duplicate-attribute@2']],
    ['nested member clash is reported where Nix does', '{\n a.b.c = 1;\n a.b = { c = 2; };\n}', ['duplicate-attribute@2']],
    ['legacy let is not a set literal', '{\n a = let { body = { }; };\n a.b = 1;\n}', ['duplicate-attribute@3']],
    ['dynamic keys never clash', 'k: {\n ${k} = 1;\n ${k} = 2;\n}', []],
    ['`${"a"}` is the static name a', '{\n ${"a"} = 1;\n a = 2;\n}', ['duplicate-attribute@3']],
    ['dynamic key in let', 'k: let\n ${k} = 1;\nin 1', ['syntax-error@2']],
    ['pipe operator is rejected like Nix 2.8 does', 'x: f:\n x |> f', ['syntax-error@2']],
    ['empty inherit is fine', 'let s = { }; in { inherit; inherit (s); }', []],
    ['trailing comma in formals is fine', '{ a, b, }: a', []],
    ['later paths of a name merge into its rec set (NixOS/nix#9020)', '{\n a = rec { b = c; d = 1; };\n a.c = d;\n}', []],
    ['a later set literal merges into a rec set too', 'let\n a = rec { b = c; };\n a = { c = b; };\nin a', []],
    ['a rec set does not take earlier paths', '{\n a.c = d;\n a = rec { b = c; d = 1; };\n}', ['undefined-variable@2', 'undefined-variable@3']],
    ['a comment ends at a lone carriage return', 'let\n x = # y\ry;\n y = 1;\nin x', []],
    ['a comment runs past CR LF as past LF', 'let\n x = # y\r\n y;\n y = 1;\nin x', []],
  ];
  for (const [title, text, expected] of cases) {
    it(title, () => {
      expect(kindsAndLines(text)).toEqual(expected);
    });
  }

  it('orders parse errors before undefined variables, as Nix does', () => {
    const source = new SourceFile('t.nix', '{\n a = y;\n b = 1;\n b = 2;\n}');
    const first = firstNixError(source)!;
    expect(first.kind).toBe('duplicate-attribute');
    expect(source.positionAt(first.nixOffset).line).toBe(4);
  });

  it('reports errors in a function body before its duplicate formals', () => {
    const source = new SourceFile('t.nix', '{ a, a }: {\n b = 1;\n b = 2;\n}');
    expect(firstNixError(source)!.kind).toBe('duplicate-attribute');
  });

  it('places an undefined `inherit x;` where Nix does but reports the name', () => {
    const text = '{\n x = 1;\n inherit missing;\n}';
    const source = new SourceFile('t.nix', text);
    const first = firstNixError(source)!;
    expect(source.positionAt(first.nixOffset).line).toBe(1);
    expect(source.positionAt(first.range.start).line).toBe(3);
    const findings = runRule(nix, 'undefined-variable', 't.nix', text);
    expect(findings.map((f) => [f.line, f.symbol])).toEqual([[3, 'missing']]);
  });

  it('reports a missing `;` at the next token, like Nix', () => {
    const findings = runRule(nix, 'syntax-error', 't.nix', '{\n a = 1\n}');
    expect(findings.map((f) => [f.line, f.column, f.message])).toEqual([[3, 1, "syntax error, missing ';' before '}'"]]);
  });

  it('leaves the deliberate inputs of test suites and documentation snippets alone unless includeTests is set', () => {
    const broken = '{\n a = 1\n}';
    for (const path of ['tests/functional/lang/parse-fail-dup.nix', 'test/diff/attr/in.nix', 'docs/tutorials/pkgs.nix', 'eval-fail-foo.nix', 'golden/out.nix']) {
      expect(runRule(nix, 'syntax-error', path, broken), path).toEqual([]);
      expect(runRule(nix, 'syntax-error', path, broken, { includeTests: true }), path).toHaveLength(1);
    }
    expect(runRule(nix, 'undefined-variable', 'tests/x.nix', '{ a = b; }')).toEqual([]);
    // Examples are meant to work.
    for (const path of ['examples/flake.nix', 'modules/audio.nix', 'contest.nix', 'latest/default.nix']) {
      expect(runRule(nix, 'syntax-error', path, broken), path).toHaveLength(1);
    }
  });

  it('undefined-variable leaves the names listed in globals (scopedImport loaders such as divnix/std)', () => {
    const text = 'let inherit (inputs) nixpkgs; in { x = cell.y; z = missing; }';
    expect(runRule(nix, 'undefined-variable', 'src/data/configs/a.nix', text).map((f) => f.symbol)).toEqual(['inputs', 'cell', 'missing']);
    // A std cell block: no function, and only the names scopedImport { inherit inputs cell; } provides.
    const cellBlock = '# a block\nlet inherit (inputs) nixpkgs; in { x = cell.y; }';
    expect(runRule(nix, 'undefined-variable', 'nix/app/packages.nix', cellBlock)).toEqual([]);
    expect(runRule(nix, 'undefined-variable', 'nix/app/packages.nix', cellBlock, { scopedImportNames: [] })).toHaveLength(2);
    // A module that forgot its arguments is a function: still reported; so is a flake.
    expect(runRule(nix, 'undefined-variable', 'modules/a.nix', '{ config, ... }: { imports = [ inputs.x.nixosModules.y ]; }')).toHaveLength(1);
    expect(runRule(nix, 'undefined-variable', 'flake.nix', '{ outputs = _: { x = inputs.y; }; }')).toHaveLength(1);
    expect(runRule(nix, 'undefined-variable', 'src/data/configs/a.nix', text, { globals: ['inputs', 'cell'] }).map((f) => f.symbol)).toEqual(['missing']);
  });

  it('accepts pipe operators only when allowPipeOperators is set', () => {
    const text = 'x: f: x |> f';
    expect(runRule(nix, 'syntax-error', 't.nix', text)).toHaveLength(1);
    expect(runRule(nix, 'syntax-error', 't.nix', text, { allowPipeOperators: true })).toEqual([]);
  });

  it('carries the name as symbol', () => {
    const findings = runRule(nix, 'duplicate-formal', 't.nix', '{ a, b, a }: b');
    expect(findings.map((f) => f.symbol)).toEqual(['a']);
    expect(runRule(nix, 'undefined-variable', 't.nix', 'x: y').map((f) => f.symbol)).toEqual(['y']);
  });

  it('handles 20,000 levels of nesting', () => {
    const depth = 20_000;
    const text = '{ a = '.repeat(depth) + 'b' + '; }'.repeat(depth);
    const diagnostics = computeNixDiagnostics(new SourceFile('deep.nix', text));
    expect(diagnostics.map((d) => d.kind)).toEqual(['undefined-variable']);
  });
});
