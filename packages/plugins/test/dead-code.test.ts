import { describe, expect, it } from 'vitest';
import deadCode from '../src/dead-code/index.js';
import { describePluginRules, runRule } from './rule-harness.js';

describePluginRules(deadCode);

describe('dead-code options and semantics', () => {
  const symbols = (rule: string, text: string, options?: Record<string, unknown>): string[] =>
    runRule(deadCode, rule, 't.nix', text, options).map((f) => f.symbol!);

  it('reports each unused name as symbol', () => {
    expect(symbols('unused-let', 'let a = 1; b = 2; in b')).toEqual(['a']);
    expect(symbols('unused-lambda-arg', 'let f = x: 1; in f')).toEqual(['x']);
    expect(symbols('unused-lambda-arg', 'x: y: y', { reportInterfaceArgs: true })).toEqual(['x']);
    expect(symbols('unused-formal', '{ a, b, ... }: a')).toEqual(['b']);
    expect(symbols('unused-pattern-name', 'args@{ a }: a')).toEqual(['args']);
  });

  it('noLambdaArg skips lambda arguments and @ names', () => {
    expect(symbols('unused-lambda-arg', 'let f = x: 1; in f', { noLambdaArg: true })).toEqual([]);
    expect(symbols('unused-pattern-name', 'args@{ a }: a', { noLambdaArg: true })).toEqual([]);
    expect(symbols('unused-formal', '{ a, b, ... }: a', { noLambdaArg: true })).toEqual(['b']);
  });

  it('noLambdaPatternNames skips formals only', () => {
    expect(symbols('unused-formal', '{ a, b, ... }: a', { noLambdaPatternNames: true })).toEqual([]);
    expect(symbols('unused-lambda-arg', 'let f = x: 1; in f', { noLambdaPatternNames: true })).toEqual(['x']);
  });

  it('noUnderscore skips _-prefixed let names, which are reported by default', () => {
    expect(symbols('unused-let', 'let _a = 1; in 2')).toEqual(['_a']);
    expect(symbols('unused-let', 'let _a = 1; in 2', { noUnderscore: true })).toEqual([]);
    expect(symbols('unused-formal', '{ _a }: 1', { noUnderscore: true })).toEqual([]);
  });

  it('inherit (e) keeps e alive only while an inherited name is', () => {
    expect(symbols('unused-let', 'let s = { }; inherit (s) a b; in a')).toEqual(['b']);
    expect(symbols('unused-let', 'let s = { }; inherit (s) a b; in 1')).toEqual(['s', 'a', 'b']);
  });

  it('does not report what sits inside a dead binding (it goes with it)', () => {
    expect(symbols('unused-let', 'let f = let g = 1; in x: 2; in 3')).toEqual(['f']);
    expect(symbols('unused-lambda-arg', 'let f = x: 2; in 3')).toEqual([]);
  });

  it('respects shadowing and never reports rec members', () => {
    expect(symbols('unused-let', 'let a = 1; in let a = 2; in a')).toEqual(['a']);
    expect(runRule(deadCode, 'unused-let', 't.nix', 'let a = 1; in let a = 2; in a')[0]!.column).toBe(5);
    expect(symbols('unused-let', 'rec { a = 1; b = 2; }')).toEqual([]);
  });

  it('honours # deadnix: skip and nixforge suppressions', () => {
    expect(symbols('unused-let', 'let\n  # deadnix: skip\n  a = 1;\n  b = 2;\nin 3')).toEqual(['b']);
    expect(symbols('unused-let', 'let\n  a = 1; # nixforge-disable-line dead-code/unused-let\nin 3')).toEqual([]);
  });
});

describe('dead-code: interface names are not reported (issue 12)', () => {
  const symbols = (rule: string, path: string, text: string, options?: Record<string, unknown>): string[] =>
    runRule(deadCode, rule, path, text, options).map((f) => f.symbol!);

  /** [rule, path, code, reported symbols by default]. */
  const cases: Array<[rule: string, path: string, code: string, expected: string[]]> = [
    // Formals forwarded through a used `@` name.
    ['unused-formal', 'x.nix', '{ stdenv, fetchurl, ... }@args: stdenv.mkDerivation args', []],
    ['unused-formal', 'x.nix', 'args@{ a, b, ... }: builtins.attrNames args', []],
    // Module headers, shorthand modules and module slots.
    ['unused-formal', 'm.nix', '{ config, lib, pkgs, ... }: { services.x.enable = true; }', []],
    ['unused-formal', 'base.nix', '{ lib, pkgs, inputs, ... }: { boot.kernelParams = [ ]; }', []],
    ['unused-formal', 'm.nix', '{ config, modulesPath, ... }: { imports = [ ]; }', []],
    ['unused-formal', 'x.nix', '{ modules = [ ({ pkgs, ... }: { }) ]; }', []],
    ['unused-formal', 'flake-module.nix', '{ perSystem = { pkgs, self\', system, ... }: { }; }', []],
    ['unused-formal', 'devenv.nix', '{ pkgs, lib, ... }: { languages.r.enable = true; }', []],
    // Flake outputs name the flake's inputs.
    ['unused-formal', 'flake.nix', '{ inputs = { }; outputs = { self, nixpkgs, ... }: { }; }', []],
    // Entry points: overridable defaults, and every argument of release/CI files.
    ['unused-formal', 'release.nix', '{ nixpkgs ? <nixpkgs>, supportedSystems ? [ "x86_64-linux" ] }: { }', []],
    ['unused-formal', 'default.nix', '{ pkgs ? import <nixpkgs> { }, system ? builtins.currentSystem }: pkgs.hello', []],
    ['unused-formal', 'ci.nix', '{ officialRelease, nixpkgs }: nixpkgs', []],
    // Closed patterns of inner functions: the caller passes exactly these names.
    ['unused-formal', 'x.nix', 'builtins.listToAttrs (map ({ name, value }: { inherit name; value = 1; }) [ ])', []],
    ['unused-formal', 'x.nix', 'let f = { a, b }: a; in f { a = 1; b = 2; }', []],
    // callPackage packages: callers and overrides may pass the formals by name (`reportPackageArgs` reports them).
    ['unused-formal', 'pkgs/hello/default.nix', '{ lib, stdenv, fetchurl }: stdenv.mkDerivation { pname = lib.id "x"; }', []],
    ['unused-formal', 'x.nix', '{ lib, fetchurl, ... }: lib.id', []],
    // Still reported: open inner patterns, non-entry-point files.
    ['unused-formal', 'x.nix', '{ lib, unused, ... }: lib.id', ['unused']],
    ['unused-formal', 'x.nix', 'let f = { a, b, ... }: a; in f', ['b']],
    ['unused-formal', 'lib.nix', '{ lib }: { f = { x, y ? 1, ... }: lib.id x; }', ['y']],
    // Lambda arguments fixed by arity.
    ['unused-lambda-arg', 'overlay.nix', 'final: prev: { hello = prev.hello; }', []],
    ['unused-lambda-arg', 'x.nix', '{ lib }: lib.mapAttrs (n: v: v) { }', []],
    ['unused-lambda-arg', 'x.nix', 'builtins.foldl\' (acc: x: acc) 0 [ ]', []],
    ['unused-lambda-arg', 'x.nix', '{ lib }: lib.genAttrs [ "a" ] (name: 1)', []],
    ['unused-lambda-arg', 'x.nix', '{ nixpkgs.overlays = [ (self: super: { }) ]; }', []],
    ['unused-lambda-arg', 'x.nix', 'let always = x: 1; in always', ['x']],
  ];
  it.each(cases)('%s in %s: %j', (rule, path, code, expected) => {
    expect(symbols(rule, path, code)).toEqual(expected);
  });

  it('reportInterfaceArgs reports them as deadnix does', () => {
    const opts = { reportInterfaceArgs: true };
    expect(symbols('unused-formal', 'm.nix', '{ config, lib, ... }: { services.x.enable = true; }', opts)).toEqual(['config', 'lib']);
    expect(symbols('unused-lambda-arg', 'o.nix', 'final: prev: { }', opts)).toEqual(['final', 'prev']);
    expect(symbols('unused-formal', 'x.nix', '{ a, ... }@args: args', opts)).toEqual(['a']);
    expect(symbols('unused-formal', 'x.nix', '{ lib, fetchurl, ... }: lib.id', opts)).toEqual(['fetchurl']);
  });

  it('reportPackageArgs reports the unused formals of callPackage packages (dead dependencies)', () => {
    const opts = { reportPackageArgs: true };
    expect(symbols('unused-formal', 'pkgs/hello/default.nix', '{ lib, stdenv, fetchurl }: stdenv.mkDerivation { pname = lib.id "x"; }', opts)).toEqual(['fetchurl']);
    expect(symbols('unused-formal', 'm.nix', '{ config, lib, ... }: { services.x.enable = true; }', opts)).toEqual([]);
  });
});

describe('dead-code: more interface shapes seen on real repositories', () => {
  const symbols = (rule: string, path: string, text: string): string[] =>
    runRule(deadCode, rule, path, text).map((f) => f.symbol!);
  const cases: Array<[rule: string, path: string, code: string, expected: string[]]> = [
    // Files called with exactly their closed pattern's names (`import ./doc { inherit pkgs config; }`).
    ['unused-formal', 'doc/manual/default.nix', '{ pkgs, options, config, version }: pkgs.x options version', []],
    ['unused-formal', 'lib/flakes.nix', '{ lib }: { f = x: x; }', []],
    // callPackage packages: formals are filled in by name, but callers may pass them (reportPackageArgs).
    ['unused-formal', 'pkgs/u-boot.nix', '{ buildUBoot, fetchurl, bison }: buildUBoot { src = fetchurl { }; }', []],
    ['unused-lambda-arg', 'graph/b.nix', 'args: { imports = [ ]; }', []],
    // Formal names read through functionArgs are the value, not dead code.
    ['unused-formal', 'tests/misc.nix', '{ lib }: lib.functionArgs ({ a, b ? false, ... }: null)', []],
    ['unused-formal', 'x.nix', '{ f = { a, b ? false, ... }: null; }', []],
    ['unused-lambda-arg', 'x.nix', '{ extraConfig ? cfg: { } }: extraConfig', []],
    ['unused-lambda-arg', 'x.nix', '{ lib }: let md = lib.literalMD or (x: lib.id "y"); in md', []],
  ];
  it.each(cases)('%s in %s: %j', (rule, path, code, expected) => {
    expect(symbols(rule, path, code)).toEqual(expected);
  });
});
