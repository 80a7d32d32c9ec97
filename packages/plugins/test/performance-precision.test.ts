import { describe, expect, it } from 'vitest';
import performance from '../src/performance/index.js';
import { applyFixes, nixParseError, runRule } from './rule-harness.js';

/**
 * False-positive classes found on real repositories (issue 12), each as code a rule must leave alone, next to
 * the true positives it must keep reporting. `path` matters where the file name decides (shell.nix, tests).
 */
interface PrecisionCases {
  bad: Array<[path: string, code: string, count: number]>;
  good: Array<[path: string, code: string]>;
}

const CASES: Record<string, PrecisionCases> = {
  'nixpkgs-reimport': {
    bad: [
      ['m.nix', '{ config, ... }: let pkgs = import <nixpkgs> { }; in { environment.systemPackages = [ pkgs.hello ]; }', 1],
      ['x.nix', '{ pkgs }: let other = import <nixpkgs> { }; in [ pkgs.hello other.git ]', 1],
      ['x.nix', '{ pkgs ? import <nixpkgs> { } }: let cross = import <nixpkgs> { crossSystem = "x"; }; in cross', 1],
      ['x.nix', 'let a = import <nixpkgs> { }; b = import <nixpkgs> { system = "x"; }; in [ a b ]', 1],
    ],
    good: [
      // The default of an argument is the entry point's one nixpkgs, overridable by the caller.
      ['shell.nix', '{ pkgs ? import <nixpkgs> { } }: pkgs.mkShell { }'],
      ['default.nix', '{\n  pkgs ? import <nixpkgs> { },\n  vendorHash ? "sha256-x",\n}:\npkgs.callPackage ./p.nix { }'],
      ['tests/default.nix', '{ pkgs ? (import <nixpkgs> { }), lib ? pkgs.lib }: lib.id pkgs'],
      ['default.nix', '{ nurpkgs ? import <nixpkgs> { }, pkgs ? import <nixpkgs> { overlays = [ ]; } }: pkgs'],
      // A file without `pkgs` that imports nixpkgs once.
      ['release.nix', 'let pkgs = import <nixpkgs> { }; in pkgs.hello'],
      ['update.nix', '{ machines }: with import <nixpkgs> { }; lib.id machines'],
      ['shell.nix', '(import <nixpkgs> { crossSystem = { config = "wasm32-wasi"; }; }).mkShell { }'],
      // The module system's `pkgs` itself.
      ['config.nix', '{ config, lib, ... }: { config._module.args.pkgs = import <nixpkgs> config.nixpkgs; }'],
    ],
  },
  'flatten-map': {
    bad: [
      ['x.nix', '{ lib, xs }: lib.flatten (map (x: [ "-I" "${x}" ]) xs)', 1],
      ['x.nix', '{ xs }: builtins.concatLists (map (x: x.deps) xs)', 1],
    ],
    good: [
      // `flatten` flattens at any depth, `concatMap` one level: not equivalent when `f` may return nested lists.
      ['x.nix', '{ lib, xs }: lib.flatten (map (x: [ x ]) xs)'],
      ['x.nix', '{ lib, xs }: lib.flatten (map (x: x.outputs) xs)'],
      ['x.nix', '{ lib, xs }: lib.flatten (map (x: [ [ x ] [ x ] ]) xs)'],
      ['x.nix', '{ lib, f, xs }: lib.flatten (map f xs)'],
    ],
  },
};

describe('performance rules on false-positive classes', () => {
  for (const [rule, cases] of Object.entries(CASES)) {
    describe(rule, () => {
      it.each(cases.bad)('reports %s: %j', (path, code, count) => {
        expect(runRule(performance, rule, path, code)).toHaveLength(count);
      });
      it.each(cases.good)('accepts %s: %j', (path, code) => {
        expect(runRule(performance, rule, path, code)).toEqual([]);
      });
    });
  }
});

describe('performance fixes keep the layout', () => {
  const cases: Array<[rule: string, before: string, after: string]> = [
    [
      'flatten-map',
      'lib.concatLists (\n  map (x: [\n    x\n  ])\n    xs\n)',
      'lib.concatMap (x: [\n    x\n  ])\n    xs',
    ],
    [
      'flatten-map',
      'builtins.concatLists (map\n  # each one\n  (x: [ x ]) xs)',
      'builtins.concatLists (map\n  # each one\n  (x: [ x ]) xs)',
    ],
    ['length-zero', 'builtins.length (\n  f x\n) == 0', '(\n  f x\n) == [ ]'],
    ['length-zero', 'builtins.length xs /* n */ == 0', 'builtins.length xs /* n */ == 0'],
  ];
  it.each(cases)('%s: %j', (rule, before, after) => {
    const findings = runRule(performance, rule, 'fix.nix', before);
    expect(findings.length).toBe(1);
    const fixed = applyFixes(before, findings);
    expect(fixed).toBe(after);
    expect(nixParseError(fixed)).toBeUndefined();
  });
});
