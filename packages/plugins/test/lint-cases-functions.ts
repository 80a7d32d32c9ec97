import type { RuleTesterRun } from '@nixforge/core';

/** Lint rules about function heads and bodies: RuleTester cases by rule name (merged in lint-cases.ts). */
export const FUNCTION_RULE_CASES: Record<string, RuleTesterRun> = {
  'empty-pattern': {
    valid: [
      // `{ }:` accepts only an empty set: not the same as `_:`.
      '{ }: 1',
      '{ ... }: let a = 1; in { imports = [ ]; }',
      '{ ... }: { disabledModules = [ ]; }',
      '{ a, ... }: a',
      '{ ... }@args: args',
      'x: x',
      '{ ... }: { imports = [ ]; }',
      '{ ... }: { config.x = 1; }',
      '{ ... }: { options = { }; }',
      // Shorthand modules: NixOS, nix-darwin, devenv, treefmt, flake-parts... all use `{ ... }:` as header.
      '{ ... }: { boot.kernelParams = [ "quiet" ]; }',
      '{ ... }:\n{\n  system.activationScripts.x.text = "";\n}',
      '{ ... }: let a = 1; in { b = a; }',
      '{ perSystem = { ... }: { packages.x = 1; }; }',
      '{ module = { ... }: import ./m.nix; }',
      '{ imports = [ ({ ... }: import ./m.nix) ]; }',
      '{ nixosModules.x = { ... }: import ./m.nix; }',
      'f.overrideAttrs ({ ... }: { x = 1; })',
      'map (_: 42) [ { } ]',
    ],
    invalid: [
      {
        code: 'map ({ ... }: 1) [ ]',
        errors: [{ messageId: 'emptyPattern', line: 1, column: 6, endLine: 1, endColumn: 13 }],
        output: 'map (_: 1) [ ]',
      },
      {
        code: '{ ... }: builtins.nixVersion',
        errors: [{ messageId: 'emptyPattern', line: 1, column: 1, endLine: 1, endColumn: 8 }],
        output: '_: builtins.nixVersion',
      },
      {
        code: '{ x = { ... }: 42; }',
        errors: [{ messageId: 'emptyPattern', line: 1, column: 7, endLine: 1, endColumn: 14 }],
        output: '{ x = _: 42; }',
      },
      {
        code: '{ passthru = { empty = { ... }: null; }; }',
        errors: [{ messageId: 'emptyPattern', line: 1, column: 24, endLine: 1, endColumn: 31 }],
        output: '{ passthru = { empty = _: null; }; }',
      },
      {
        code: 'map ({ ... }: 42) [ { } ]',
        errors: [{ messageId: 'emptyPattern', line: 1, column: 6, endLine: 1, endColumn: 13 }],
        output: 'map (_: 42) [ { } ]',
      },
    ],
  },
  'redundant-pattern-bind': {
    valid: [
      '{ a, ... }@args: args',
      '{ }@args: args',
      'args: args',
      '{ ... }: 1',
      'map (args: args.name) [ { name = "a"; } ]',
    ],
    invalid: [
      {
        code: '{ ... }@args: args',
        errors: [{ messageId: 'redundantPatternBind', data: { name: 'args' }, line: 1, column: 1, endLine: 1, endColumn: 13 }],
        output: 'args: args',
      },
      {
        code: 'args @ { ... }: args',
        errors: [{ messageId: 'redundantPatternBind', data: { name: 'args' }, line: 1, column: 1, endLine: 1, endColumn: 15 }],
        output: 'args: args',
      },
      {
        code: 'map ({ ... }@args: args.name) [ { name = "a"; } ]',
        errors: [{ messageId: 'redundantPatternBind', data: { name: 'args' }, line: 1, column: 6, endLine: 1, endColumn: 18 }],
        output: 'map (args: args.name) [ { name = "a"; } ]',
      },
    ],
  },
  'eta-reduction': {
    valid: [
      '{ f }: x: f x x',
      '{ f }: x: x.f x',
      '{ f }: x: (f x) x',
      '{ f }: x: f (x)',
      '{ f }: { x }: f x',
      '{ f }: x: f y',
      '{ f }: x: { inherit x; }.f x',
      // Curried callbacks name every argument on purpose.
      '{ lib, xs }: lib.mapAttrs\' (name: file: lib.nameValuePair "d/${name}" file) xs',
      '{ f }: a: b: f a b',
      '{ lib }: map lib.toUpper [ "a" ]',
    ],
    invalid: [
      {
        code: '{ f }: x: f x',
        errors: [{ messageId: 'etaReduction', data: { reduced: 'f' }, line: 1, column: 8, endLine: 1, endColumn: 14 }],
        output: '{ f }: f',
      },
      {
        code: '{ lib }: map (x: lib.toUpper x) [ ]',
        errors: [{ messageId: 'etaReduction', data: { reduced: 'lib.toUpper' }, line: 1, column: 15, endLine: 1, endColumn: 31 }],
        output: '{ lib }: map lib.toUpper [ ]',
      },
      {
        code: '{ g }: y: g 1 y',
        errors: [{ messageId: 'etaReduction', data: { reduced: 'g 1' }, line: 1, column: 8, endLine: 1, endColumn: 16 }],
        output: '{ g }: g 1',
      },
      {
        code: '{ f }: x: (with f; g) x',
        errors: [{ messageId: 'etaReduction', data: { reduced: '(with f; g)' }, line: 1, column: 8, endLine: 1, endColumn: 24 }],
        output: '{ f }: (with f; g)',
      },
      // The inner `x` shadows the outer one, so the outer function does not use its argument in `(x: f x)`.
      {
        code: '{ f }: x: (x: f x) x',
        errors: [
          { messageId: 'etaReduction', data: { reduced: '(x: f x)' }, line: 1, column: 8, endLine: 1, endColumn: 21 },
          { messageId: 'etaReduction', data: { reduced: 'f' }, line: 1, column: 12, endLine: 1, endColumn: 18 },
        ],
        output: '{ f }: f',
      },
      {
        code: '{ f }: [ (x: f x) ]',
        errors: [{ messageId: 'etaReduction', data: { reduced: 'f' }, line: 1, column: 11, endLine: 1, endColumn: 17 }],
        output: '{ f }: [ f ]',
      },
      // The parentheses around the reduced function go with it.
      {
        code: '{ isString, xs }: builtins.all (value: isString value) xs',
        errors: [{ messageId: 'etaReduction', data: { reduced: 'isString' }, line: 1, column: 33, endLine: 1, endColumn: 54 }],
        output: '{ isString, xs }: builtins.all isString xs',
      },
      {
        code: '{ lib, xs }: map (x: lib.toUpper x) xs',
        errors: [{ messageId: 'etaReduction', data: { reduced: 'lib.toUpper' }, line: 1, column: 19, endLine: 1, endColumn: 35 }],
        output: '{ lib, xs }: map lib.toUpper xs',
      },
      {
        code: '{ lib, flags }: map (s: lib.toUpper s) flags',
        errors: [{ messageId: 'etaReduction', data: { reduced: 'lib.toUpper' }, line: 1, column: 22, endLine: 1, endColumn: 38 }],
        output: '{ lib, flags }: map lib.toUpper flags',
      },
      {
        code: '{ lib }: map (x: lib.toUpper x) [ "a" ]',
        errors: [{ messageId: 'etaReduction', data: { reduced: 'lib.toUpper' }, line: 1, column: 15, endLine: 1, endColumn: 31 }],
        output: '{ lib }: map lib.toUpper [ "a" ]',
      },
    ],
  },
};
