import { describe, expect, it } from 'vitest';
import { RuleTester, type RuleTesterRun } from '@nixforge/core';
import performance from '../src/performance/index.js';
import { nixParseError } from './rule-harness.js';

RuleTester.describe = describe;
RuleTester.it = it;
const tester = new RuleTester();
const tested = new Set<string>();

/**
 * Runs a rule's table, where what its fixes leave is valid too (nothing more to report there), and checks that
 * Nix itself parses the fixed outputs (RuleTester checks them with tree-sitter).
 */
function run(rule: string, tests: RuleTesterRun): void {
  tested.add(rule);
  const fixed = tests.invalid.flatMap((test) =>
    typeof test.output === 'string' ? [{ name: `after the fix: ${test.output}`, code: test.output, filename: test.filename }] : [],
  );
  tester.run(`performance/${rule}`, performance.rules[rule]!, { valid: [...tests.valid, ...fixed], invalid: tests.invalid });
  if (fixed.length === 0) return;
  it(`performance/${rule}: Nix parses the fixed outputs`, () => {
    for (const { code } of fixed) expect(nixParseError(code), code).toBeUndefined();
  });
}

/** The documentation of a rule: its bad example must be reported, its good one not. */
const docs = (rule: string) => performance.rules[rule]!.meta.docs!;

/** `depth` levels of `open ... close` around `inner`. */
const nested = (open: string, inner: string, close: string, depth: number): string => open.repeat(depth) + inner + close.repeat(depth);

/** A module with `with lib;` over 17 lines and `with pkgs.python3Packages;` over a list that is not only names. */
const WITH_LIB = [
  '{ lib, pkgs, ... }:',
  'with lib;',
  '{',
  '  options.a = mkOption { type = types.str; };',
  '  options.b = mkOption { type = types.str; };',
  '  config = {',
  '    environment.systemPackages = with pkgs.python3Packages; [',
  '      requests',
  '      (flask.override { })',
  '      numpy',
  '      scipy',
  '      pandas',
  '      pytest',
  '      black',
  '      mypy',
  '      ruff',
  '    ];',
  '  };',
  '}',
].join('\n');

run('with-large-scope', {
  valid: [
    '{ pkgs }: with pkgs; [ git curl ]',
    '{ lib }: with lib; { maintainers = [ maintainers.alice ]; license = licenses.mit; }',
    // Not a known large set.
    '{ config }:\nwith config.services.foo; {\n  a = 1;\n  b = 2;\n  c = 3;\n  d = 4;\n  e = 5;\n  f = 6;\n  g = 7;\n  h = 8;\n  i = 9;\n}',
    // A list of plain names is the accepted `with pkgs; [ ... ]` idiom, however long.
    '{ pkgs }:\nwith pkgs; [\n  git\n  curl\n  wget\n  htop\n  jq\n  ripgrep\n  fd\n  python3Packages.requests\n  # editors\n  vim\n  emacs\n]',
    { options: { maxBodyLines: 20 }, code: WITH_LIB },
    { name: 'docs: good example', code: docs('with-large-scope').good! },
  ],
  invalid: [
    {
      code: WITH_LIB,
      errors: [
        { messageId: 'largeWith', message: '`with lib;` spans 17 lines: inherit the names you use instead', line: 2, column: 1, endLine: 2, endColumn: 10 },
        { messageId: 'largeWith', message: '`with pkgs.python3Packages;` spans 11 lines: inherit the names you use instead', line: 7, column: 34, endLine: 7, endColumn: 60 },
      ],
    },
    {
      code: 'with import ./x.nix { }; {\n  a = 1;\n  b = 2;\n  c = 3;\n  d = 4;\n  e = 5;\n  f = 6;\n  g = 7;\n  h = 8;\n  i = 9;\n  j = 10;\n}',
      errors: [
        { messageId: 'largeWith', message: '`with import ...;` spans 12 lines: inherit the names you use instead', line: 1, column: 1, endLine: 1, endColumn: 25 },
      ],
    },
    {
      options: { maxBodyLines: 2 },
      code: '{ lib }: with lib; {\n  a = mkIf;\n  b = mkForce;\n}',
      errors: [
        { messageId: 'largeWith', message: '`with lib;` spans 4 lines: inherit the names you use instead', line: 1, column: 10, endLine: 1, endColumn: 19 },
      ],
    },
    {
      name: 'docs: bad example',
      code: docs('with-large-scope').bad!,
      errors: [{ messageId: 'largeWith', line: 2, column: 1, endLine: 2, endColumn: 10 }],
    },
  ],
});

run('nested-with', {
  valid: [
    '{ pkgs }: { a = with pkgs; [ hello ]; }',
    '{ lib }: { b = with lib; optional true 1; }',
    // A `with` in the environment of another is not in its body.
    '{ pkgs }: { c = with (with pkgs; lib); id; }',
    { name: 'docs: good example', code: docs('nested-with').good! },
  ],
  invalid: [
    {
      code: '{ pkgs, lib }:\nwith pkgs;\n{\n  a = with lib; optional true hello;\n  b = [ (with pkgs.xorg; [ libX11 (with lib; id 1) ]) ];\n}',
      errors: [
        { messageId: 'nestedWith', message: '`with lib;` is nested inside another `with`', line: 4, column: 7, endLine: 4, endColumn: 16 },
        { messageId: 'nestedWith', message: '`with pkgs.xorg;` is nested inside another `with`', line: 5, column: 10, endLine: 5, endColumn: 25 },
        { messageId: 'nestedWith', message: '`with lib;` is nested inside another `with`', line: 5, column: 36, endLine: 5, endColumn: 45 },
      ],
    },
    {
      name: 'docs: bad example',
      code: docs('nested-with').bad!,
      errors: [{ messageId: 'nestedWith', line: 1, column: 12, endLine: 1, endColumn: 21 }],
    },
  ],
});

run('unneeded-rec', {
  valid: [
    '{ a = rec { pname = "hello"; version = "1.0"; name = "${pname}-${version}"; }; }',
    '{ b = rec { x = 1; y = { z = x; }; }; }',
    // An `inherit (lib)` reads the member `lib`.
    '{ c = rec { inherit (lib) id; lib = { id = x: x; }; }; }',
    '{ pname = "x"; }',
    // What the fixes leave.
    '{ a = { x = 1; y = 2; }; }',
    { name: 'docs: good example', code: docs('unneeded-rec').good! },
  ],
  invalid: [
    {
      code: '{ a = rec { pname = "hello"; version = "1.0"; }; }',
      errors: [
        { messageId: 'unneededRec', message: 'no member of this `rec` set refers to another: `rec` is not needed', line: 1, column: 7, endLine: 1, endColumn: 10 },
      ],
      output: '{ a = { pname = "hello"; version = "1.0"; }; }',
    },
    // A lambda parameter `x` is not the member `x`.
    {
      code: '{\n  b = rec {\n    x = 1;\n    y = x: x + 1;\n  };\n}',
      errors: [{ messageId: 'unneededRec', line: 2, column: 7, endLine: 2, endColumn: 10 }],
      output: '{\n  b = {\n    x = 1;\n    y = x: x + 1;\n  };\n}',
    },
    {
      code: 'rec { }',
      errors: [{ messageId: 'unneededRec', line: 1, column: 1, endLine: 1, endColumn: 4 }],
      output: '{ }',
    },
    {
      code: '{ a = rec { x = 1; y = 2; }; }',
      errors: [{ messageId: 'unneededRec', line: 1, column: 7, endLine: 1, endColumn: 10 }],
      output: '{ a = { x = 1; y = 2; }; }',
    },
    {
      code: 'f rec{ x = 1; }',
      errors: [{ messageId: 'unneededRec', line: 1, column: 3, endLine: 1, endColumn: 6 }],
      output: 'f { x = 1; }',
    },
    {
      name: 'docs: bad example',
      code: docs('unneeded-rec').bad!,
      errors: [{ messageId: 'unneededRec', line: 1, column: 1, endLine: 1, endColumn: 4 }],
      output: '{ pname = "hello"; version = "1.0"; }',
    },
  ],
});

run('nixpkgs-reimport', {
  valid: [
    { filename: 'modules/desktop.nix', code: '{ config, pkgs, ... }:\nlet\n  nixos = import <nixpkgs/nixos> { };\n  helper = import ./helper.nix { inherit pkgs; };\n  path = import <nixpkgs>;\nin\n{\n  environment.systemPackages = [ pkgs.hello ];\n}' },
    // The default of an argument is the entry point's one nixpkgs, overridable by the caller.
    { filename: 'shell.nix', code: '{ pkgs ? import <nixpkgs> { } }: pkgs.mkShell { }' },
    { filename: 'default.nix', code: '{\n  pkgs ? import <nixpkgs> { },\n  vendorHash ? "sha256-x",\n}:\npkgs.callPackage ./p.nix { }' },
    { filename: 'tests/default.nix', code: '{ pkgs ? (import <nixpkgs> { }), lib ? pkgs.lib }: lib.id pkgs' },
    { filename: 'default.nix', code: '{ nurpkgs ? import <nixpkgs> { }, pkgs ? import <nixpkgs> { overlays = [ ]; } }: pkgs' },
    // A file without `pkgs` that imports nixpkgs once.
    { filename: 'release.nix', code: 'let pkgs = import <nixpkgs> { }; in pkgs.hello' },
    { filename: 'update.nix', code: '{ machines }: with import <nixpkgs> { }; lib.id machines' },
    { filename: 'shell.nix', code: '(import <nixpkgs> { crossSystem = { config = "wasm32-wasi"; }; }).mkShell { }' },
    // The module system's `pkgs` itself.
    { filename: 'config.nix', code: '{ config, lib, ... }: { config._module.args.pkgs = import <nixpkgs> config.nixpkgs; }' },
    { name: 'docs: good example', code: docs('nixpkgs-reimport').good! },
  ],
  invalid: [
    {
      filename: 'modules/desktop.nix',
      code: '{ config, inputs, ... }:\nlet\n  pkgs = import <nixpkgs> { };\n  unstable = import inputs.nixpkgs-unstable { system = "x86_64-linux"; };\nin\n{\n  environment.systemPackages = [ pkgs.hello unstable.git ];\n}',
      errors: [
        { messageId: 'lookupReimported', message: '`import <nixpkgs> { ... }` instantiates another nixpkgs: use `pkgs`', line: 3, column: 10, endLine: 3, endColumn: 30 },
        { messageId: 'reimportedInModule', message: 'a second nixpkgs is instantiated inside a module: use `pkgs`', line: 4, column: 14, endLine: 4, endColumn: 73 },
      ],
    },
    {
      filename: 'm.nix',
      code: '{ config, ... }: let pkgs = import <nixpkgs> { }; in { environment.systemPackages = [ pkgs.hello ]; }',
      errors: [{ messageId: 'lookupReimported', line: 1, column: 29, endLine: 1, endColumn: 49 }],
    },
    {
      filename: 'x.nix',
      code: '{ pkgs }: let other = import <nixpkgs> { }; in [ pkgs.hello other.git ]',
      errors: [{ messageId: 'lookupReimported', line: 1, column: 23, endLine: 1, endColumn: 43 }],
    },
    {
      filename: 'x.nix',
      code: '{ pkgs ? import <nixpkgs> { } }: let cross = import <nixpkgs> { crossSystem = "x"; }; in cross',
      errors: [{ messageId: 'lookupReimported', line: 1, column: 46, endLine: 1, endColumn: 85 }],
    },
    // The second import of a file.
    {
      filename: 'x.nix',
      code: 'let a = import <nixpkgs> { }; b = import <nixpkgs> { system = "x"; }; in [ a b ]',
      errors: [{ messageId: 'lookupReimported', line: 1, column: 35, endLine: 1, endColumn: 69 }],
    },
    {
      name: 'docs: bad example',
      code: docs('nixpkgs-reimport').bad!,
      errors: [{ messageId: 'lookupReimported', line: 2, column: 12, endLine: 2, endColumn: 32 }],
    },
  ],
});

run('import-from-derivation', {
  valid: [
    '{ pkgs }: { a = builtins.readFile ./version; }',
    '{ pkgs }: { b = pkgs.callPackage ./gen.nix { }; }',
    '{ pkgs }: { c = import ./x.nix { inherit pkgs; }; }',
    'import ./generated.nix',
    'builtins.readFile ./file.txt',
    // Builtin fetchers run at evaluation time, without a build.
    'import "${builtins.fetchTarball { url = "https://example.org/x.tar.gz"; sha256 = "x"; }}/default.nix"',
    '{ pkgs }: import "${pkgs.path}/nixos" { }',
    '{ pkgs }: pkgs.runCommand "gen" { } "echo 1 > $out"',
    { name: 'docs: good example', code: docs('import-from-derivation').good! },
  ],
  invalid: [
    {
      code: '{ pkgs }: { a = builtins.readFile (pkgs.runCommand "v" { } "echo 1 > $out"); }',
      errors: [
        { messageId: 'blocksOnBuild', message: '`builtins.readFile` of a derivation output blocks evaluation on a build', line: 1, column: 17, endLine: 1, endColumn: 34 },
      ],
    },
    {
      code: '{ pkgs }: { b = import (pkgs.callPackage ./gen.nix { }); }',
      errors: [
        { messageId: 'blocksOnBuild', message: '`import` of a derivation output blocks evaluation on a build', line: 1, column: 17, endLine: 1, endColumn: 23 },
      ],
    },
    {
      code: '{ pkgs }: import (pkgs.runCommand "gen" { } "echo 1 > $out")',
      errors: [{ messageId: 'blocksOnBuild', line: 1, column: 11, endLine: 1, endColumn: 17 }],
    },
    {
      code: '{ pkgs }: builtins.readFile (pkgs.writeText "x" "y")',
      errors: [{ messageId: 'blocksOnBuild', line: 1, column: 11, endLine: 1, endColumn: 28 }],
    },
    // A nixpkgs fetcher is a derivation.
    {
      code: '{ pkgs }: import "${pkgs.fetchFromGitHub { owner = "a"; repo = "b"; rev = "c"; hash = "x"; }}/default.nix" { }',
      errors: [{ messageId: 'blocksOnBuild', line: 1, column: 11, endLine: 1, endColumn: 17 }],
    },
    {
      code: '{ pkgs, lib }: lib.importJSON (pkgs.runCommand "j" { } "echo {} > $out")',
      errors: [
        { messageId: 'blocksOnBuild', message: '`lib.importJSON` of a derivation output blocks evaluation on a build', line: 1, column: 16, endLine: 1, endColumn: 30 },
      ],
    },
    {
      name: 'docs: bad example',
      code: docs('import-from-derivation').bad!,
      errors: [{ messageId: 'blocksOnBuild', line: 1, column: 1, endLine: 1, endColumn: 18 }],
    },
  ],
});

run('quadratic-accumulation', {
  valid: [
    "{ xs }: builtins.foldl' (acc: x: acc + x) 0 xs",
    "{ lib, xs }: lib.foldl' (acc: x: [ x ]) [ ] xs",
    '{ lib, xs }: lib.concatMap (x: [ x ]) xs',
    // The copied list is the element, not the accumulator.
    "{ lib, xs }: lib.foldl' (acc: x: x ++ [ 1 ]) [ ] xs",
    "{ lib, xs }: builtins.foldl' lib.recursiveUpdate { } xs",
    { name: 'docs: good example', code: docs('quadratic-accumulation').good! },
  ],
  invalid: [
    {
      code: "{ xs }: builtins.foldl' (acc: x: acc ++ [ x ]) [ ] xs",
      errors: [
        { messageId: 'copiesAccumulator', message: "`++` copies the accumulator `acc` on every step of `foldl'`", line: 1, column: 34, endLine: 1, endColumn: 46 },
      ],
    },
    {
      code: "{ lib, xs }: lib.foldl' (acc: name: acc // { ${name} = 1; }) { } xs",
      errors: [
        { messageId: 'copiesAccumulator', message: "`//` copies the accumulator `acc` on every step of `foldl'`", line: 1, column: 37, endLine: 1, endColumn: 60 },
      ],
    },
    // The accumulator of `foldr` is the second parameter.
    {
      code: '{ lib, xs }: lib.foldr (x: acc: [ x ] ++ acc) [ ] xs',
      errors: [
        { messageId: 'copiesAccumulator', message: '`++` copies the accumulator `acc` on every step of `foldr`', line: 1, column: 33, endLine: 1, endColumn: 45 },
      ],
    },
    {
      code: '{ lib, xs }: lib.foldl (acc: x: if x > 1 then acc ++ [ x ] else acc) [ ] xs',
      errors: [{ messageId: 'copiesAccumulator', line: 1, column: 47, endLine: 1, endColumn: 59 }],
    },
    // One finding per fold, at its first copying branch.
    {
      code: '{ lib, xs }:\nlib.foldl\' (\n  result: key:\n  if key == "a" then\n    result // { a = 1; }\n  else\n    result // { ${key} = 2; }\n) { } xs',
      errors: [{ messageId: 'copiesAccumulator', line: 5, column: 5, endLine: 5, endColumn: 25 }],
    },
    {
      name: 'docs: bad example',
      code: docs('quadratic-accumulation').bad!,
      errors: [{ messageId: 'copiesAccumulator', line: 1, column: 26, endLine: 1, endColumn: 44 }],
    },
  ],
});

run('flatten-map', {
  valid: [
    '{ lib, xs }: lib.concatMap (x: [ x ]) xs',
    '{ lib, xs }: lib.flatten xs',
    '{ lib, xs }: lib.flatten (lib.mapAttrsToList (n: v: v) xs)',
    // `map` with one argument is no list.
    '{ f }: builtins.concatLists (map f)',
    // `flatten` flattens at any depth, `concatMap` one level: not equivalent when `f` may return nested lists.
    '{ lib, xs }: lib.flatten (map (x: [ x ]) xs)',
    '{ lib, xs }: lib.flatten (map (x: x.outputs) xs)',
    '{ lib, xs }: lib.flatten (map (x: [ [ x ] [ x ] ]) xs)',
    '{ lib, f, xs }: lib.flatten (map f xs)',
    // What the fixes leave.
    '{ f, xs }: builtins.concatMap (x: [ x ]) xs',
    '{ lib, f, xs }: lib.concatMap f xs',
    { name: 'docs: good example', code: docs('flatten-map').good! },
  ],
  invalid: [
    {
      code: '{ lib, xs }: lib.flatten (map (x: [ "-I" "${x}/include" ]) xs)',
      errors: [
        { messageId: 'flattenedMap', message: '`lib.flatten (map ...)`: use `lib.concatMap`', line: 1, column: 14, endLine: 1, endColumn: 63 },
      ],
      output: '{ lib, xs }: lib.concatMap (x: [ "-I" "${x}/include" ]) xs',
    },
    {
      code: '{ xs }: builtins.concatLists (builtins.map (x: [ x x ]) xs)',
      errors: [
        { messageId: 'flattenedMap', message: '`builtins.concatLists (map ...)`: use `builtins.concatMap`', line: 1, column: 9, endLine: 1, endColumn: 60 },
      ],
      output: '{ xs }: builtins.concatMap (x: [ x x ]) xs',
    },
    {
      code: '{ lib, xs }: lib.concatLists ((map lib.toList) xs)',
      errors: [{ messageId: 'flattenedMap', line: 1, column: 14, endLine: 1, endColumn: 51 }],
      output: '{ lib, xs }: lib.concatMap lib.toList xs',
    },
    {
      code: '{ lib, xs }: lib.flatten (map (x: [ "-I" "${x}" ]) xs)',
      errors: [{ messageId: 'flattenedMap', line: 1, column: 14, endLine: 1, endColumn: 55 }],
      output: '{ lib, xs }: lib.concatMap (x: [ "-I" "${x}" ]) xs',
    },
    {
      code: '{ xs }: builtins.concatLists (map (x: x.deps) xs)',
      errors: [
        { messageId: 'flattenedMap', message: '`builtins.concatLists (map ...)`: use `builtins.concatMap`', line: 1, column: 9, endLine: 1, endColumn: 50 },
      ],
      output: '{ xs }: builtins.concatMap (x: x.deps) xs',
    },
    {
      code: '{ xs }: builtins.concatLists (builtins.map (x: [ x ]) xs)',
      errors: [{ messageId: 'flattenedMap', line: 1, column: 9, endLine: 1, endColumn: 58 }],
      output: '{ xs }: builtins.concatMap (x: [ x ]) xs',
    },
    {
      code: '{ lib, f, xs }: lib.concatLists ((map f) xs)',
      errors: [{ messageId: 'flattenedMap', line: 1, column: 17, endLine: 1, endColumn: 45 }],
      output: '{ lib, f, xs }: lib.concatMap f xs',
    },
    // The fix keeps the layout of the arguments.
    {
      code: '{ lib, xs }:\nlib.concatLists (\n  map (x: [\n    x\n  ])\n    xs\n)',
      errors: [{ messageId: 'flattenedMap', line: 2, column: 1, endLine: 7, endColumn: 2 }],
      output: '{ lib, xs }:\nlib.concatMap (x: [\n    x\n  ])\n    xs',
    },
    // A rewrite of the whole call would drop the comment: no fix.
    {
      code: '{ xs }:\nbuiltins.concatLists (map\n  # each one\n  (x: [ x ]) xs)',
      errors: [{ messageId: 'flattenedMap', line: 2, column: 1, endLine: 4, endColumn: 17 }],
      output: null,
    },
    {
      name: 'docs: bad example',
      code: docs('flatten-map').bad!,
      errors: [{ messageId: 'flattenedMap', line: 1, column: 1, endLine: 1, endColumn: 43 }],
      output: 'builtins.concatMap (x: [ x x ]) xs',
    },
  ],
});

run('length-zero', {
  valid: [
    '{ xs }: xs == [ ]',
    '{ xs }: builtins.length xs == 1',
    '{ xs }: builtins.length xs < 0',
    'builtins.stringLength "a" == 0',
    { name: 'docs: good example', code: docs('length-zero').good! },
  ],
  invalid: [
    {
      code: '{ xs }: builtins.length xs == 0',
      errors: [
        { messageId: 'lengthComparedToZero', message: 'style: test for emptiness with `[ ]`: `xs == [ ]`', line: 1, column: 9, endLine: 1, endColumn: 32 },
      ],
      output: '{ xs }: xs == [ ]',
    },
    {
      code: '{ lib, xs }: if lib.length xs != 0 then 1 else 2',
      errors: [
        { messageId: 'lengthComparedToZero', message: 'style: test for emptiness with `[ ]`: `xs != [ ]`', line: 1, column: 17, endLine: 1, endColumn: 35 },
      ],
      output: '{ lib, xs }: if xs != [ ] then 1 else 2',
    },
    {
      code: '{ lib, xs }: 0 == builtins.length (lib.attrNames xs)',
      errors: [
        { messageId: 'lengthComparedToZero', message: 'style: test for emptiness with `[ ]`: `(lib.attrNames xs) == [ ]`', line: 1, column: 14, endLine: 1, endColumn: 53 },
      ],
      output: '{ lib, xs }: (lib.attrNames xs) == [ ]',
    },
    {
      code: '{ xs }: builtins.length xs > 0',
      errors: [
        { messageId: 'lengthComparedToZero', message: 'style: test for emptiness with `[ ]`: `xs != [ ]`', line: 1, column: 9, endLine: 1, endColumn: 31 },
      ],
      output: '{ xs }: xs != [ ]',
    },
    {
      code: '{ a, xs }: a && builtins.length xs == 0',
      errors: [{ messageId: 'lengthComparedToZero', line: 1, column: 17, endLine: 1, endColumn: 40 }],
      output: '{ a, xs }: a && xs == [ ]',
    },
    {
      code: '{ lib, f, x }: 0 != lib.length (f x)',
      errors: [
        { messageId: 'lengthComparedToZero', message: 'style: test for emptiness with `[ ]`: `(f x) != [ ]`', line: 1, column: 16, endLine: 1, endColumn: 37 },
      ],
      output: '{ lib, f, x }: (f x) != [ ]',
    },
    // Only the text around the list goes, so a multi-line list keeps its layout.
    {
      code: '{ f, x }:\nbuiltins.length (\n  f x\n) == 0',
      errors: [{ messageId: 'lengthComparedToZero', line: 2, column: 1, endLine: 4, endColumn: 7 }],
      output: '{ f, x }:\n(\n  f x\n) == [ ]',
    },
    // The fix would drop the comment.
    {
      code: '{ xs }: builtins.length xs /* n */ == 0',
      errors: [{ messageId: 'lengthComparedToZero', line: 1, column: 9, endLine: 1, endColumn: 40 }],
      output: null,
    },
    {
      name: 'docs: bad example',
      code: docs('length-zero').bad!,
      errors: [{ messageId: 'lengthComparedToZero', line: 1, column: 4, endLine: 1, endColumn: 27 }],
      output: 'if xs == [ ] then "none" else "some"',
    },
  ],
});

run('lib-over-builtin', {
  valid: [
    '{ xs }: builtins.groupBy (x: x.type) xs',
    // Another function, a lookup with a default, another set.
    "{ lib, xs }: lib.groupBy' (a: b: a + b) 0 (x: x.type) xs",
    '{ lib }: lib.zipAttrsWith or null',
    '{ mylib }: mylib.groupBy',
    { name: 'docs: good example', code: docs('lib-over-builtin').good! },
  ],
  invalid: [
    {
      code: '{ lib, xs }: lib.groupBy (x: x.type) xs',
      errors: [
        { messageId: 'libWrapper', message: 'use `builtins.groupBy` instead of `lib.groupBy`', line: 1, column: 14, endLine: 1, endColumn: 25 },
      ],
      output: '{ lib, xs }: builtins.groupBy (x: x.type) xs',
    },
    {
      code: '{ lib, xs }: lib.attrsets.zipAttrsWith (n: vs: vs) xs',
      errors: [
        { messageId: 'libWrapper', message: 'use `builtins.zipAttrsWith` instead of `lib.attrsets.zipAttrsWith`', line: 1, column: 14, endLine: 1, endColumn: 39 },
      ],
      output: '{ lib, xs }: builtins.zipAttrsWith (n: vs: vs) xs',
    },
    {
      code: '{ lib, f, xs }: lib.lists.groupBy f xs',
      errors: [{ messageId: 'libWrapper', line: 1, column: 17, endLine: 1, endColumn: 34 }],
      output: '{ lib, f, xs }: builtins.groupBy f xs',
    },
    {
      name: 'docs: bad example',
      code: docs('lib-over-builtin').bad!,
      errors: [{ messageId: 'libWrapper', line: 1, column: 1, endLine: 1, endColumn: 12 }],
      output: 'builtins.groupBy (x: x.type) items',
    },
  ],
});

run('deep-nesting', {
  valid: [
    { name: '25 levels', code: nested('[ ', '1', ' ]', 25) },
    '{ shallow = [ [ [ [ [ [ [ [ [ [ 1 ] ] ] ] ] ] ] ] ] ]; }',
    // Curried lambdas count once.
    '{ curried = a: b: c: d: e: f: g: h: i: j: k: l: m: n: o: p: q: r: s: t: u: v: w: x: y: z: aa: bb: [ a ]; }',
    { name: 'docs: good example', code: docs('deep-nesting').good! },
  ],
  invalid: [
    {
      name: '26 levels',
      code: nested('[ ', '1', ' ]', 26),
      errors: [
        { messageId: 'tooDeep', message: 'nesting depth exceeds 25: split this expression into named parts', line: 1, column: 51, endLine: 1, endColumn: 52 },
      ],
    },
    {
      name: 'one finding per subtree',
      code: `{\n  deep = ${nested('[ ', '1', ' ]', 30)};\n  other = ${nested('{ a = ', '1', '; }', 27)};\n}`,
      errors: [
        { messageId: 'tooDeep', line: 2, column: 58, endLine: 2, endColumn: 59 },
        { messageId: 'tooDeep', line: 3, column: 155, endLine: 3, endColumn: 156 },
      ],
    },
    {
      options: { maxDepth: 3 },
      code: 'x: [ { a = [ 1 ]; } ]',
      errors: [
        { messageId: 'tooDeep', message: 'nesting depth exceeds 3: split this expression into named parts', line: 1, column: 12, endLine: 1, endColumn: 13 },
      ],
    },
    {
      name: 'docs: bad example',
      code: docs('deep-nesting').bad!,
      errors: [{ messageId: 'tooDeep', line: 1, column: 26, endLine: 1, endColumn: 27 }],
    },
  ],
});

it('has a RuleTester table, an explanation and its docs/rules.md section for every performance rule', () => {
  expect([...tested].sort()).toEqual(Object.keys(performance.rules).sort());
  for (const [name, rule] of Object.entries(performance.rules)) {
    expect(rule.meta.docs?.explanation, name).toBeTruthy();
    expect(rule.meta.docs?.url, name).toBe(`https://github.com/nixforge/nixforge/blob/main/docs/rules.md#performance-${name}`);
  }
});
