import type { RuleTesterRun } from '@nixforge/core';

/** Lint rules about `let`, `inherit` and bindings: RuleTester cases by rule name (merged in lint-cases.ts). */
export const BINDING_RULE_CASES: Record<string, RuleTesterRun> = {
  'empty-let-in': {
    valid: [
      'let a = 1; in a',
      'let inherit ({ a = 1; }) a; in a',
      'let { body = 1; }',
      '42',
    ],
    invalid: [
      {
        code: 'let in 1',
        errors: [{ messageId: 'emptyLetIn', line: 1, column: 1, endLine: 1, endColumn: 7 }],
        output: '1',
      },
      {
        code: '{ x = let\n  in x: x; }',
        errors: [{ messageId: 'emptyLetIn', line: 1, column: 7, endLine: 2, endColumn: 5 }],
        output: '{ x = x: x; }',
      },
      {
        code: '{ a }: [ (let in a) ]',
        errors: [{ messageId: 'emptyLetIn', line: 1, column: 11, endLine: 1, endColumn: 17 }],
        output: '{ a }: [ (a) ]',
      },
      {
        code: '{ answer = let in 42; }',
        errors: [{ messageId: 'emptyLetIn', line: 1, column: 12, endLine: 1, endColumn: 18 }],
        output: '{ answer = 42; }',
      },
      {
        code: 'let in 42',
        errors: [{ messageId: 'emptyLetIn', line: 1, column: 1, endLine: 1, endColumn: 7 }],
        output: '42',
      },
    ],
  },
  'collapsible-let-in': {
    valid: [
      'let a = 1; in a',
      'let a = 1; in (x: let b = x; in b) a',
      'let a = 1; in [ (let b = 2; in b) ]',
      'let\n  a = 1;\n  b = a + 1;\nin\nb',
    ],
    invalid: [
      {
        code: 'let a = 1; in let b = a; in b',
        errors: [{ messageId: 'collapsibleLetIn', line: 1, column: 12, endLine: 1, endColumn: 18 }],
        output: 'let a = 1; b = a; in b',
      },
      {
        code: 'let\n  a = 1;\nin\nlet\n  b = 2;\nin\nlet c = 3; in a + b + c',
        errors: [
          { messageId: 'collapsibleLetIn', line: 3, column: 1, endLine: 4, endColumn: 4 },
          { messageId: 'collapsibleLetIn', line: 6, column: 1, endLine: 7, endColumn: 4 },
        ],
        output: 'let\n  a = 1;\n  b = 2; c = 3; in a + b + c',
      },
      {
        code: 'let\n  a = 1;\nin\nlet\n  b = 2;\nin\na + b',
        errors: [{ messageId: 'collapsibleLetIn', line: 3, column: 1, endLine: 4, endColumn: 4 }],
        output: 'let\n  a = 1;\n  b = 2;\nin\na + b',
      },
      {
        code: 'let a = 1; in let b = 2; in let c = 3; in a + b + c',
        errors: [
          { messageId: 'collapsibleLetIn', line: 1, column: 12, endLine: 1, endColumn: 18 },
          { messageId: 'collapsibleLetIn', line: 1, column: 26, endLine: 1, endColumn: 32 },
        ],
        output: 'let a = 1; b = 2; c = 3; in a + b + c',
      },
      // Only the first pair may merge: merging the second as well would bind `a` twice.
      {
        code: 'let a = 1; in let b = 2; in let a = 3; in a + b',
        errors: [
          { messageId: 'collapsibleLetIn', line: 1, column: 12, endLine: 1, endColumn: 18 },
          { messageId: 'collapsibleLetIn', line: 1, column: 26, endLine: 1, endColumn: 32 },
        ],
        output: 'let a = 1; b = 2; in let a = 3; in a + b',
      },
      {
        code: 'let a = 1; in let a = 2; in a',
        errors: [{ messageId: 'collapsibleLetIn', line: 1, column: 12, endLine: 1, endColumn: 18 }],
        output: null,
      },
      {
        code: '{ b }: let a = b; in let b = 2; in a + b',
        errors: [{ messageId: 'collapsibleLetIn', line: 1, column: 19, endLine: 1, endColumn: 25 }],
        output: null,
      },
      {
        code: 'let a = 1; in # keep me\nlet b = 2; in a + b',
        errors: [{ messageId: 'collapsibleLetIn', line: 1, column: 12, endLine: 2, endColumn: 4 }],
        output: null,
      },
      {
        code: 'let\n  version = "1.2.3";\nin\nlet\n  pname = "hello";\nin\n{ inherit pname version; }',
        errors: [{ messageId: 'collapsibleLetIn', line: 3, column: 1, endLine: 4, endColumn: 4 }],
        output: 'let\n  version = "1.2.3";\n  pname = "hello";\nin\n{ inherit pname version; }',
      },
      {
        code: 'let\n  a = 1;\nin\nlet\n  b = a + 1;\nin\nb',
        errors: [{ messageId: 'collapsibleLetIn', line: 3, column: 1, endLine: 4, endColumn: 4 }],
        output: 'let\n  a = 1;\n  b = a + 1;\nin\nb',
      },
    ],
  },
  'legacy-let-syntax': {
    valid: [
      'let a = 1; in a',
      'rec { a = 1; body = a; }.body',
      // Nix's own language tests keep deprecated syntax on purpose: eval-okay-* and parse-fail-* are left alone.
      { code: 'let { a = 1; body = a; }', filename: 'tests/functional/lang/eval-okay-let.nix' },
      { code: 'let { a = 1; body = a; }', filename: 'tests/functional/lang/parse-fail-url.nix' },
      '(rec { a = 1; body = a; }).body',
    ],
    invalid: [
      {
        code: 'let { a = 1; body = a; }',
        errors: [{ messageId: 'legacyLet', line: 1, column: 1, endLine: 1, endColumn: 6 }],
        output: '(rec { a = 1; body = a; }).body',
      },
      {
        code: '[ (let { body = 1; }) ]',
        errors: [{ messageId: 'legacyLet', line: 1, column: 4, endLine: 1, endColumn: 9 }],
        output: '[ ((rec { body = 1; }).body) ]',
      },
      {
        code: '[ let { body = 1; } ]',
        errors: [{ messageId: 'legacyLet', line: 1, column: 3, endLine: 1, endColumn: 8 }],
        output: '[ (rec { body = 1; }).body ]',
      },
      {
        code: 'let { body = { x = 1; }; }.x',
        errors: [{ messageId: 'legacyLet', line: 1, column: 1, endLine: 1, endColumn: 6 }],
        output: '((rec { body = { x = 1; }; }).body).x',
      },
      // No `body`: there is nothing to select, so no fix.
      {
        code: 'let { a = 1; }',
        errors: [{ messageId: 'legacyLet', line: 1, column: 1, endLine: 1, endColumn: 6 }],
        output: null,
      },
      // Other files of that suite, and `okay-eval` names elsewhere, are reported.
      {
        code: 'let { a = 1; body = a; }',
        filename: 'tests/functional/lang/let.nix',
        errors: [{ messageId: 'legacyLet', line: 1, column: 1, endLine: 1, endColumn: 6 }],
        output: '(rec { a = 1; body = a; }).body',
      },
      {
        code: 'let { a = 1; body = a; }',
        filename: 'lib/okay-eval.nix',
        errors: [{ messageId: 'legacyLet', line: 1, column: 1, endLine: 1, endColumn: 6 }],
        output: '(rec { a = 1; body = a; }).body',
      },
      {
        code: '{ version }: { legacy = let { body = version; }; }',
        errors: [{ messageId: 'legacyLet', line: 1, column: 25, endLine: 1, endColumn: 30 }],
        output: '{ version }: { legacy = (rec { body = version; }).body; }',
      },
    ],
  },
  'empty-inherit': {
    valid: [
      '{ a }: { inherit a; }',
      '{ a }: { inherit (a) b; }',
      '{ a = 1; }',
    ],
    invalid: [
      {
        code: '{ inherit; a = 1; }',
        errors: [{ messageId: 'emptyInherit', line: 1, column: 3, endLine: 1, endColumn: 11 }],
        output: '{ a = 1; }',
      },
      {
        code: 'let inherit ({ }); in 1',
        errors: [{ messageId: 'emptyInherit', line: 1, column: 5, endLine: 1, endColumn: 19 }],
        output: 'let in 1',
      },
      {
        code: '{ a = 1; inherit ({ }); }',
        errors: [{ messageId: 'emptyInherit', line: 1, column: 10, endLine: 1, endColumn: 24 }],
        output: '{ a = 1; }',
      },
      {
        code: '{\n  inherit;\n  a = 1;\n}',
        errors: [{ messageId: 'emptyInherit', line: 2, column: 3, endLine: 2, endColumn: 11 }],
        output: '{\n  a = 1;\n}',
      },
    ],
  },
  'manual-inherit': {
    valid: [
      '{ a }: { inherit a; }',
      '{ a }: { b = a; }',
      '{ a }: { a.b = a; }',
      '{ a }: { a = a.a; }',
      // Inside `let` and `rec` the value refers to the binding itself; `inherit` would change the meaning.
      'let a = a; in a',
      'rec { a = a; }',
      '{ pkgs }: { inherit pkgs; }',
    ],
    invalid: [
      {
        code: '{ a }: { a = a; }',
        errors: [{ messageId: 'manualInherit', data: { name: 'a' }, line: 1, column: 10, endLine: 1, endColumn: 16 }],
        output: '{ a }: { inherit a; }',
      },
      {
        code: '{ a, b }: { a = a; c = 1; b = b; }',
        errors: [
          { messageId: 'manualInherit', data: { name: 'a' }, line: 1, column: 13, endLine: 1, endColumn: 19 },
          { messageId: 'manualInherit', data: { name: 'b' }, line: 1, column: 27, endLine: 1, endColumn: 33 },
        ],
        output: '{ a, b }: { inherit a; c = 1; inherit b; }',
      },
      {
        code: '{ a }: { a = a; b = 1; }',
        errors: [{ messageId: 'manualInherit', data: { name: 'a' }, line: 1, column: 10, endLine: 1, endColumn: 16 }],
        output: '{ a }: { inherit a; b = 1; }',
      },
      {
        code: '{ stdenv }: let version = "1"; in stdenv.mkDerivation { version = version; }',
        errors: [{ messageId: 'manualInherit', data: { name: 'version' }, line: 1, column: 57, endLine: 1, endColumn: 75 }],
        output: '{ stdenv }: let version = "1"; in stdenv.mkDerivation { inherit version; }',
      },
      {
        code: '{ pkgs }: { pkgs = pkgs; }',
        errors: [{ messageId: 'manualInherit', data: { name: 'pkgs' }, line: 1, column: 13, endLine: 1, endColumn: 25 }],
        output: '{ pkgs }: { inherit pkgs; }',
      },
    ],
  },
  'manual-inherit-from': {
    valid: [
      '{ eval }: { docs = (eval {\n  modules = [ ];\n}).config.docs; }',
      '{ pkgs }: { hello = pkgs.hello or null; }',
      '{ pkgs }: { hello = pkgs.world; }',
      '{ p }: { a.b = p.b; }',
      '{ lib }: { lib = lib.lib or lib; }',
      '{ pkgs }: { inherit (pkgs) hello; }',
    ],
    invalid: [
      {
        code: '{ pkgs }: { hello = pkgs.hello; }',
        errors: [{ messageId: 'manualInheritFrom', data: { inherit: 'inherit (pkgs) hello;' }, line: 1, column: 13, endLine: 1, endColumn: 32 }],
        output: '{ pkgs }: { inherit (pkgs) hello; }',
      },
      {
        code: '{ pkgs }: let lib = pkgs.lib; in lib',
        errors: [{ messageId: 'manualInheritFrom', data: { inherit: 'inherit (pkgs) lib;' }, line: 1, column: 15, endLine: 1, endColumn: 30 }],
        output: '{ pkgs }: let inherit (pkgs) lib; in lib',
      },
      {
        code: '{ a }: { c = a.b.c; }',
        errors: [{ messageId: 'manualInheritFrom', data: { inherit: 'inherit (a.b) c;' }, line: 1, column: 10, endLine: 1, endColumn: 20 }],
        output: '{ a }: { inherit (a.b) c; }',
      },
      {
        code: '{ a }: { c = (a.b).c; }',
        errors: [{ messageId: 'manualInheritFrom', data: { inherit: 'inherit (a.b) c;' }, line: 1, column: 10, endLine: 1, endColumn: 22 }],
        output: '{ a }: { inherit (a.b) c; }',
      },
      {
        code: '{ lib }: { platforms = lib.platforms; }',
        errors: [{ messageId: 'manualInheritFrom', data: { inherit: 'inherit (lib) platforms;' }, line: 1, column: 12, endLine: 1, endColumn: 38 }],
        output: '{ lib }: { inherit (lib) platforms; }',
      },
    ],
  },
  'repeated-keys': {
    valid: [
      '{ foo.a = 1; foo.b = 2; }',
      '{ foo = { }; foo.a = 1; foo.b = 2; }',
      '{ a.x = 1; b.x = 2; c.x = 3; }',
      'let foo.a = 1; foo.b = 2; foo.c = 3; in foo',
      // Dotted option paths are the style of modules.
      '{ config, ... }: { foo.a = 1; foo.b = 2; foo.c = 3; }',
      '{ ... }: { boot.loader.grub.enable = true; boot.kernelParams = [ ]; boot.initrd.enable = true; }',
      '{ x = { services.a.enable = true; services.b.enable = true; services.c.enable = true; }; }',
      '{ config.a = 1; config.b = 2; config.c = 3; }',
      '{ _module.args.a = 1; _module.args.b = 2; _module.check = false; }',
      '{ home-manager.useGlobalPkgs = true; home-manager.useUserPackages = true; home-manager.users.a = { }; }',
      '{ foo = { a = 1; b = 2; c = 3; }; }',
    ],
    invalid: [
      {
        code: '{ foo.a = 1; foo.b = 2; foo.c = 3; }',
        errors: [{ messageId: 'repeatedKeys', data: { key: 'foo', count: 3, otherLines: 'lines 1, 1' }, line: 1, column: 3, endLine: 1, endColumn: 8 }],
        output: null,
      },
      {
        code: 'rec { x = 0; s.a = 1; s.b = 2; t = 1; s.c = 3; s.d = 4; }',
        errors: [{ messageId: 'repeatedKeys', data: { key: 's', count: 4, otherLines: 'lines 1, 1, 1' }, line: 1, column: 14, endLine: 1, endColumn: 17 }],
        output: null,
      },
      {
        code: '{ stdenv, lib }:\nstdenv.mkDerivation {\n  meta.description = "x";\n  meta.license = lib.licenses.mit;\n  meta.platforms = lib.platforms.all;\n}',
        errors: [{ messageId: 'repeatedKeys', data: { key: 'meta', count: 3, otherLines: 'lines 4, 5' }, line: 3, column: 3, endLine: 3, endColumn: 19 }],
        output: null,
      },
    ],
  },
};
