import { describe, it } from 'vitest';
import { RuleTester } from '@nixforge/core';
import nix from '../src/nix/index.js';

RuleTester.describe = describe;
RuleTester.it = it;
const tester = new RuleTester();
const docs = (rule: string) => nix.rules[rule]!.meta.docs! as { bad: string; good: string };

const MISSING_SEMICOLON = '{\n a = 1\n}';
const MISSING_SEMICOLON_ERROR = { messageId: 'syntaxError', line: 3, column: 1, endLine: 3, endColumn: 2 };
/** Where files Nix rejects are rejected on purpose: parser test suites, formatter tests, docs, expected failures. */
const DELIBERATE_INPUTS = ['tests/functional/lang/parse-fail-dup.nix', 'test/diff/attr/in.nix', 'docs/tutorials/pkgs.nix', 'eval-fail-foo.nix', 'golden/out.nix'];

tester.run('nix/syntax-error', nix.rules['syntax-error']!, {
  valid: [
    docs('syntax-error').good,
    `{ lib, stdenv, }:
let
  empty = { inherit; };
  fromEmpty = { inherit (lib); };
in
{
  a = 1;
  b = ''
    text ''\${not interpolated}
  '';
}
`,
    // Empty inherit is fine.
    'let s = { }; in { inherit; inherit (s); }',
    '{ a, b, }: a',
    { code: 'x: f: x |> f', options: { allowPipeOperators: true } },
    // Deliberate inputs of test suites and documentation snippets, unless includeTests is set.
    ...DELIBERATE_INPUTS.map((filename) => ({ code: MISSING_SEMICOLON, filename })),
  ],
  invalid: [
    {
      code: docs('syntax-error').bad,
      errors: [
        { messageId: 'syntaxError', message: 'syntax error, missing identifier before the end of file', line: 1, column: 17, endLine: 1, endColumn: 18 },
      ],
    },
    {
      code: '{\n  a = 1\n}\n',
      errors: [
        { messageId: 'syntaxError', data: { message: "syntax error, missing ';' before '}'" }, line: 3, column: 1, endLine: 3, endColumn: 2 },
      ],
    },
    // A missing `;` is reported at the next token, like Nix.
    { code: MISSING_SEMICOLON, errors: [{ ...MISSING_SEMICOLON_ERROR, message: "syntax error, missing ';' before '}'" }] },
    {
      code: 'k: let\n ${k} = 1;\nin 1',
      errors: [
        { messageId: 'dynamicLetAttribute', message: 'dynamic attributes not allowed in let', line: 2, column: 2, endLine: 2, endColumn: 6 },
      ],
    },
    {
      code: 'x: f:\n x |> f',
      errors: [
        { messageId: 'pipeOperator', message: "syntax error, unexpected '|>': pipe operators are experimental (Nix 2.24+ with the pipe-operators feature)", line: 2, column: 4, endLine: 2, endColumn: 6 },
      ],
    },
    {
      code: '{ a = x.with; }',
      errors: [
        { messageId: 'keywordAsName', message: "syntax error, unexpected keyword 'with' (quote it to use it as an attribute name: \"with\")", line: 1, column: 9, endLine: 1, endColumn: 13 },
      ],
    },
    { code: '', errors: [{ messageId: 'syntaxError', line: 1, column: 1, endLine: 1, endColumn: 1 }] },
    { code: '# only a comment\n', errors: [{ messageId: 'syntaxError', line: 1, column: 17, endLine: 1, endColumn: 17 }] },
    { code: 'let a = 1 in a', errors: [{ messageId: 'syntaxError', line: 1, column: 1, endLine: 1, endColumn: 15 }] },
    { code: '{ a = 1; b = }', errors: [{ messageId: 'syntaxError', line: 1, column: 10, endLine: 1, endColumn: 13 }] },
    ...DELIBERATE_INPUTS.map((filename) => ({ code: MISSING_SEMICOLON, filename, options: { includeTests: true }, errors: [MISSING_SEMICOLON_ERROR] })),
    // Examples are meant to work.
    ...['examples/flake.nix', 'modules/audio.nix', 'contest.nix', 'latest/default.nix'].map((filename) => ({
      code: MISSING_SEMICOLON,
      filename,
      errors: [MISSING_SEMICOLON_ERROR],
    })),
  ],
});

tester.run('nix/undefined-variable', nix.rules['undefined-variable']!, {
  valid: [
    docs('undefined-variable').good,
    `{ lib, pkgs, ... }@args:
let
  inherit (lib) mkIf;
  inherit pkgs;
  helper = x: x + offset;
  offset = 1;
in
with pkgs;
{
  a = mkIf true { };
  b = hello;
  c = "\${args.name or "x"}";
  d = rec { e = 1; f = e; }.f;
  e = let { body = q; q = 2; };
  f = [ null true false builtins import derivation abort throw map toString baseNameOf dirOf isNull ];
  g = [ removeAttrs fetchTarball scopedImport placeholder __curPos __nixPath __storeDir __getEnv ];
  h = { a ? b, b ? 1 }: a;
  i = anything.under.the.scope;
  j = helper 1;
}
`,
    "# A comment ends at a lone carriage return for Nix (the next line starts after it).\nlet\n  x = # the value is y\ry;\n  y = 1;\nin\nx\n",
    `# Nix merges later bindings of a name into an earlier \`name = rec { ... }\` of the same set
# (NixOS/nix#9020): the merged names are in scope in the rec set, and their values are evaluated there.
{
  a = rec {
    total = extra + 1;
    base = 2;
  };
  a.extra = base * 3;
  b = rec { x = y; };
  b = { y = x; };
}
`,
    // Later paths of a name merge into its rec set (NixOS/nix#9020).
    '{\n a = rec { b = c; d = 1; };\n a.c = d;\n}',
    'let\n a = rec { b = c; };\n a = { c = b; };\nin a',
    // A comment ends at a lone carriage return.
    'let\n x = # y\ry;\n y = 1;\nin x',
    'let\n x = # y\r\n y;\n y = 1;\nin x',
    { code: '{ a = b; }', filename: 'tests/x.nix' },
    // A std cell block: no function, and only the names scopedImport { inherit inputs cell; } provides.
    { code: '# a block\nlet inherit (inputs) nixpkgs; in { x = cell.y; }', filename: 'nix/app/packages.nix' },
  ],
  invalid: [
    {
      code: docs('undefined-variable').bad,
      errors: [
        { messageId: 'undefinedVariable', message: "undefined variable 'enable'", line: 1, column: 19, endLine: 1, endColumn: 25 },
      ],
    },
    {
      code: `{ lib, pkgs }:
let
  inherit (lib) mkIf;
  helper = x: x + offset;
  inherit missing;
in
{
  a = mkIf enable { };
  b = { x = 1; }.x;
  c = "\${pkgs.hello}/bin/\${name}";
  d = rec { e = 1; f = e; }.f + e;
  g = { \${key} = 1; };
  h = builtins.map (y: y) [ ];
  i = let j = 1; in j + k;
  inherit l;
}
`,
      errors: [
        { messageId: 'undefinedVariable', line: 4, column: 19, endLine: 4, endColumn: 25, symbol: 'offset' },
        { messageId: 'undefinedVariable', line: 5, column: 11, endLine: 5, endColumn: 18, symbol: 'missing' },
        { messageId: 'undefinedVariable', line: 8, column: 12, endLine: 8, endColumn: 18, symbol: 'enable' },
        { messageId: 'undefinedVariable', line: 10, column: 28, endLine: 10, endColumn: 32, symbol: 'name' },
        { messageId: 'undefinedVariable', line: 11, column: 33, endLine: 11, endColumn: 34, symbol: 'e' },
        { messageId: 'undefinedVariable', line: 12, column: 11, endLine: 12, endColumn: 14, symbol: 'key' },
        { messageId: 'undefinedVariable', line: 14, column: 25, endLine: 14, endColumn: 26, symbol: 'k' },
        { messageId: 'undefinedVariable', line: 15, column: 11, endLine: 15, endColumn: 12, symbol: 'l' },
      ],
    },
    {
      code: `# Only a binding after the rec set is merged into it: here the rec set comes second.
{
  a.extra = base * 3;
  a = rec { total = extra + 1; base = 2; };
}
`,
      errors: [
        { messageId: 'undefinedVariable', line: 3, column: 13, endLine: 3, endColumn: 17 },
        { messageId: 'undefinedVariable', line: 4, column: 21, endLine: 4, endColumn: 26 },
      ],
    },
    // A rec set does not take earlier paths.
    {
      code: '{\n a.c = d;\n a = rec { b = c; d = 1; };\n}',
      errors: [
        { messageId: 'undefinedVariable', line: 2, column: 8, endLine: 2, endColumn: 9 },
        { messageId: 'undefinedVariable', line: 3, column: 16, endLine: 3, endColumn: 17 },
      ],
    },
    // An undefined `inherit x;` is reported at the name (Nix places it at the bindings).
    {
      code: '{\n x = 1;\n inherit missing;\n}',
      errors: [{ messageId: 'undefinedVariable', line: 3, column: 10, endLine: 3, endColumn: 17, symbol: 'missing' }],
    },
    { code: 'x: y', errors: [{ messageId: 'undefinedVariable', line: 1, column: 4, endLine: 1, endColumn: 5, symbol: 'y' }] },
    {
      code: '{ a = b; }',
      filename: 'tests/x.nix',
      options: { includeTests: true },
      errors: [{ messageId: 'undefinedVariable', line: 1, column: 7, endLine: 1, endColumn: 8 }],
    },
    {
      code: 'let inherit (inputs) nixpkgs; in { x = cell.y; z = missing; }',
      filename: 'src/data/configs/a.nix',
      errors: [
        { messageId: 'undefinedVariable', line: 1, column: 14, endLine: 1, endColumn: 20, symbol: 'inputs' },
        { messageId: 'undefinedVariable', line: 1, column: 40, endLine: 1, endColumn: 44, symbol: 'cell' },
        { messageId: 'undefinedVariable', line: 1, column: 52, endLine: 1, endColumn: 59, symbol: 'missing' },
      ],
    },
    {
      code: '# a block\nlet inherit (inputs) nixpkgs; in { x = cell.y; }',
      filename: 'nix/app/packages.nix',
      options: { scopedImportNames: [] },
      errors: [
        { messageId: 'undefinedVariable', line: 2, column: 14, endLine: 2, endColumn: 20, symbol: 'inputs' },
        { messageId: 'undefinedVariable', line: 2, column: 40, endLine: 2, endColumn: 44, symbol: 'cell' },
      ],
    },
    // A module that forgot its arguments is a function: still reported; so is a flake.
    {
      code: '{ config, ... }: { imports = [ inputs.x.nixosModules.y ]; }',
      filename: 'modules/a.nix',
      errors: [{ messageId: 'undefinedVariable', line: 1, column: 32, endLine: 1, endColumn: 38 }],
    },
    {
      code: '{ outputs = _: { x = inputs.y; }; }',
      filename: 'flake.nix',
      errors: [{ messageId: 'undefinedVariable', line: 1, column: 22, endLine: 1, endColumn: 28 }],
    },
    {
      code: 'let inherit (inputs) nixpkgs; in { x = cell.y; z = missing; }',
      filename: 'src/data/configs/a.nix',
      options: { globals: ['inputs', 'cell'] },
      errors: [{ messageId: 'undefinedVariable', line: 1, column: 52, endLine: 1, endColumn: 59, symbol: 'missing' }],
    },
  ],
});

tester.run('nix/duplicate-attribute', nix.rules['duplicate-attribute']!, {
  valid: [
    docs('duplicate-attribute').good,
    `{
  a.b = 1;
  a.c = 2;
  d = { e = 1; };
  d.f = 2;
  g.h = 1;
  g = { i = 2; };
  j = { k = 1; };
  j = { l = 2; };
  m = rec { n = 1; };
  m.o = 2;
  p = ({ q = 1; });
  p.r = 2;
  \${toString 1} = 1;
  \${toString 1} = 2;
  s = let t = 1; in { t = t; };
  u = [ { v = 1; } { v = 2; } ];
}
`,
    // Merged attrpaths are fine.
    '{\n a.b = 1;\n a.c = 2;\n}',
    // A set literal extended by a path.
    '{\n a = { b = 1; };\n a.c = 2;\n}',
    // A path extended by a set literal.
    '{\n a.c = 2;\n a = { b = 1; };\n}',
    // Two set literals merge.
    '{\n a = { b = 1; };\n a = { c = 1; };\n}',
    // Parenthesised set literals merge.
    '{\n a = ({ b = 1; });\n a.c = 2;\n}',
    // Dynamic keys never clash.
    'k: {\n ${k} = 1;\n ${k} = 2;\n}',
  ],
  invalid: [
    {
      code: docs('duplicate-attribute').bad,
      errors: [
        { messageId: 'duplicateAttribute', message: "attribute 'a' already defined at line 1", line: 1, column: 10, endLine: 1, endColumn: 11 },
      ],
    },
    {
      code: `{
  a = 1;
  a = 2;
  b.c = 1;
  b.c = 2;
  d = 1;
  d.e = 2;
  f = let
    g = 1;
    g = 2;
  in g;
  h.i.j = 1;
  h.i = { j = 2; };
  inherit (builtins) map;
  map = 3;
  "k" = 1;
  k = 2;
  \${"l"} = 1;
  l = 2;
  m = { n = 1; };
  m = { n = 2; };
}
`,
      errors: [
        { messageId: 'duplicateAttribute', data: { name: 'a', line: 2 }, line: 3, column: 3, endLine: 3, endColumn: 4, symbol: 'a' },
        { messageId: 'duplicateAttribute', data: { name: 'b.c', line: 4 }, line: 5, column: 3, endLine: 5, endColumn: 6, symbol: 'b.c' },
        { messageId: 'duplicateAttribute', data: { name: 'd', line: 6 }, line: 7, column: 3, endLine: 7, endColumn: 6, symbol: 'd' },
        { messageId: 'duplicateAttribute', data: { name: 'g', line: 9 }, line: 10, column: 5, endLine: 10, endColumn: 6, symbol: 'g' },
        { messageId: 'duplicateAttribute', data: { name: 'j', line: 13 }, line: 12, column: 7, endLine: 12, endColumn: 8, symbol: 'j' },
        { messageId: 'duplicateAttribute', data: { name: 'map', line: 14 }, line: 15, column: 3, endLine: 15, endColumn: 6, symbol: 'map' },
        { messageId: 'duplicateAttribute', data: { name: 'k', line: 16 }, line: 17, column: 3, endLine: 17, endColumn: 4, symbol: 'k' },
        { messageId: 'duplicateAttribute', data: { name: 'l', line: 18 }, line: 19, column: 3, endLine: 19, endColumn: 4, symbol: 'l' },
        { messageId: 'duplicateAttribute', data: { name: 'n', line: 21 }, line: 20, column: 9, endLine: 20, endColumn: 10, symbol: 'n' },
      ],
    },
    // A non-set then a path clashes.
    { code: '{\n a = 1;\n a.b = 2;\n}', errors: [{ messageId: 'duplicateAttribute', line: 3, column: 2, endLine: 3, endColumn: 5 }] },
    // An inherited name then a path clashes.
    { code: 'x: {\n inherit x;\n x.b = 2;\n}', errors: [{ messageId: 'duplicateAttribute', line: 3, column: 2, endLine: 3, endColumn: 5 }] },
    // Merging two sets with the same member.
    { code: '{\n a = { b = 1; };\n a = { b = 2; };\n}', errors: [{ messageId: 'duplicateAttribute', line: 2, column: 8, endLine: 2, endColumn: 9 }] },
    // A nested member clash is reported where Nix does.
    { code: '{\n a.b.c = 1;\n a.b = { c = 2; };\n}', errors: [{ messageId: 'duplicateAttribute', line: 2, column: 6, endLine: 2, endColumn: 7 }] },
    // A legacy let is not a set literal.
    {
      code: '{\n a = let { body = { }; };\n a.b = 1;\n}',
      errors: [{ messageId: 'duplicateAttribute', line: 3, column: 2, endLine: 3, endColumn: 5 }],
    },
    // `${"a"}` is the static name a.
    { code: '{\n ${"a"} = 1;\n a = 2;\n}', errors: [{ messageId: 'duplicateAttribute', line: 3, column: 2, endLine: 3, endColumn: 3 }] },
    {
      code: '{ inherit a; inherit a; }',
      errors: [{ messageId: 'duplicateAttribute', data: { name: 'a', line: 1 }, line: 1, column: 22, endLine: 1, endColumn: 23 }],
    },
  ],
});

tester.run('nix/duplicate-formal', nix.rules['duplicate-formal']!, {
  valid: [
    docs('duplicate-formal').good,
    `{
  f = { a, b }: a;
  g = args@{ c, ... }: args.c;
  h = { a }: { a }: a;
  i = a: { a }: a;
}
`,
  ],
  invalid: [
    {
      code: docs('duplicate-formal').bad,
      errors: [
        { messageId: 'duplicateFormal', message: "duplicate formal function argument 'pkgs' (first at line 1)", line: 1, column: 14, endLine: 1, endColumn: 18 },
      ],
    },
    {
      code: `{
  f = { a, b, a }: a;
  g = args@{ args, c }: c;
  h = {
    d,
    e ? 1,
    d ? 2,
    ...
  }: d;
  i = { f, g }@g: f;
}
`,
      errors: [
        { messageId: 'duplicateFormal', data: { name: 'a', line: 2 }, line: 2, column: 15, endLine: 2, endColumn: 16, symbol: 'a' },
        { messageId: 'atNameRepeatsFormal', message: "duplicate formal function argument 'args': the @ name repeats a formal", line: 3, column: 7, endLine: 3, endColumn: 11, symbol: 'args' },
        { messageId: 'duplicateFormal', data: { name: 'd', line: 5 }, line: 7, column: 5, endLine: 7, endColumn: 6, symbol: 'd' },
        { messageId: 'atNameRepeatsFormal', data: { name: 'g' }, line: 10, column: 16, endLine: 10, endColumn: 17, symbol: 'g' },
      ],
    },
    { code: '{ a, b, a }: b', errors: [{ messageId: 'duplicateFormal', line: 1, column: 9, endLine: 1, endColumn: 10, symbol: 'a' }] },
    // Several duplicates: the name Nix interned first comes first.
    {
      code: '{ b, a, b, a }: b',
      errors: [
        { messageId: 'duplicateFormal', data: { name: 'b', line: 1 }, line: 1, column: 9, endLine: 1, endColumn: 10 },
        { messageId: 'duplicateFormal', data: { name: 'a', line: 1 }, line: 1, column: 12, endLine: 1, endColumn: 13 },
      ],
    },
  ],
});

tester.run('nix/dynamic-inherit', nix.rules['dynamic-inherit']!, {
  valid: [
    docs('dynamic-inherit').good,
    `let
  a = 1;
  name = "a";
  set = { a = 1; b = 2; };
in
{
  inherit (set) "b";
  inherit \${"a"};
  \${name} = set.\${name};
}
`,
  ],
  invalid: [
    {
      code: docs('dynamic-inherit').bad,
      errors: [
        { messageId: 'dynamicInherit', message: 'dynamic attributes not allowed in inherit: use `name = expr;` for a computed name', line: 1, column: 18, endLine: 1, endColumn: 30 },
      ],
    },
    {
      code: `let
  name = "a";
  set = { a = 1; };
in
{
  inherit (set) \${name};
  x = {
    inherit "\${name}";
  };
}
`,
      errors: [
        { messageId: 'dynamicInherit', line: 6, column: 17, endLine: 6, endColumn: 24 },
        { messageId: 'dynamicInherit', line: 8, column: 13, endLine: 8, endColumn: 22 },
      ],
    },
  ],
});

tester.run('nix/invalid-integer', nix.rules['invalid-integer']!, {
  valid: [
    docs('invalid-integer').good,
    `{
  max = 9223372036854775807;
  zeros = 0009223372036854775807;
  float = 99999999999999999999999.0;
  str = "9223372036854775808";
}
`,
  ],
  invalid: [
    {
      code: docs('invalid-integer').bad,
      errors: [
        { messageId: 'integerTooLarge', message: "invalid integer '9223372036854775808': integers must fit in 64 bits (at most 9223372036854775807)", line: 1, column: 9, endLine: 1, endColumn: 28 },
      ],
    },
    {
      code: `{
  tooBig = 9223372036854775808;
  negative = -9223372036854775809;
  huge = [ 1 99999999999999999999999 ];
}
`,
      errors: [
        { messageId: 'integerTooLarge', data: { literal: '9223372036854775808' }, line: 2, column: 12, endLine: 2, endColumn: 31, symbol: '9223372036854775808' },
        { messageId: 'integerTooLarge', data: { literal: '9223372036854775809' }, line: 3, column: 15, endLine: 3, endColumn: 34, symbol: '9223372036854775809' },
        { messageId: 'integerTooLarge', data: { literal: '99999999999999999999999' }, line: 4, column: 14, endLine: 4, endColumn: 37, symbol: '99999999999999999999999' },
      ],
    },
  ],
});
