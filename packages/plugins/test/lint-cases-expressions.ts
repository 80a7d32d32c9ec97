import type { RuleTesterRun } from '@nixforge/core';

/** Lint rules about expressions: RuleTester cases by rule name (merged in lint-cases.ts). */
export const EXPRESSION_RULE_CASES: Record<string, RuleTesterRun> = {
  'bool-comparison': {
    valid: [
      '{ a }: a == 1',
      '{ a }: a',
      '{ a }: a == "true"',
      '{ a }: a.true == 1',
      'true && false',
      // A local `true` is not the boolean.
      '{ a }: let true = 1; in a == true',
      // Type dispatch: `v` may be a string, a number or null, so `v == true` is the right test.
      'v: if true == v then "yes" else if builtins.isString v then v else "no"',
      'v: if v == true then "on" else if v == false then "off" else toString v',
      '{ lib }: v: if v == true then "1" else if lib.isInt v then toString v else ""',
      // Nullable options: `x == true` is false for null, where `x` alone would fail.
      '{ config }: { executable = config.executable == true; }',
      '{ cfg }: (cfg.extra or false) == false',
      'x: x == false || x == null || x == { }',
      // Other `enable*` names and freeform settings may be nullable.
      '{ enableUpdateCheck }: if enableUpdateCheck == false then 1 else 2',
      '{ cfg }: cfg.settings.debugger.enable == true',
      // A type test on an `enable` in the same chain.
      '{ cfg }: if cfg.enable == true then 1 else if builtins.isString cfg.enable then 2 else 3',
      '{ config }: !(config.users.mutableUsers == false)',
      '{ enable }: if enable then "on" else "off"',
    ],
    invalid: [
      {
        code: '{ enable }: enable == true',
        errors: [{ messageId: 'booleanComparison', data: { operand: 'enable', literal: 'true' }, line: 1, column: 13, endLine: 1, endColumn: 27 }],
        output: null,
      },
      {
        code: '{ a }: false != (a > 1)',
        errors: [{ messageId: 'booleanComparison', data: { operand: '(a > 1)', literal: 'false' }, line: 1, column: 8, endLine: 1, endColumn: 24 }],
        output: '{ a }: (a > 1)',
      },
      {
        code: '{ a, b }: if a.enable == false && !b != true then 1 else 2',
        errors: [
          { messageId: 'booleanComparison', data: { operand: 'a.enable', literal: 'false' }, line: 1, column: 14, endLine: 1, endColumn: 31 },
          { messageId: 'booleanComparison', data: { operand: '!b', literal: 'true' }, line: 1, column: 35, endLine: 1, endColumn: 45 },
        ],
        output: '{ a, b }: if a.enable == false && !!b then 1 else 2',
      },
      {
        code: '{ x, y }: (builtins.elem x y) == false',
        errors: [{ messageId: 'booleanComparison', data: { operand: '(builtins.elem x y)', literal: 'false' }, line: 1, column: 11, endLine: 1, endColumn: 39 }],
        output: '{ x, y }: !(builtins.elem x y)',
      },
      {
        code: '{ withDocs ? false }: if withDocs == true then 1 else 2',
        errors: [{ messageId: 'booleanComparison', data: { operand: 'withDocs', literal: 'true' }, line: 1, column: 26, endLine: 1, endColumn: 42 }],
        output: '{ withDocs ? false }: if withDocs then 1 else 2',
      },
      {
        code: '{ a }: [ (a.enable == true) ]',
        errors: [{ messageId: 'booleanComparison', data: { operand: 'a.enable', literal: 'true' }, line: 1, column: 11, endLine: 1, endColumn: 27 }],
        output: null,
      },
      {
        code: '{ a, b }: (a == b) == true',
        errors: [{ messageId: 'booleanComparison', data: { operand: '(a == b)', literal: 'true' }, line: 1, column: 11, endLine: 1, endColumn: 27 }],
        output: '{ a, b }: (a == b)',
      },
      {
        code: '{ vaults }: builtins.filter (vault: vault.enable == true) vaults',
        errors: [{ messageId: 'booleanComparison', data: { operand: 'vault.enable', literal: 'true' }, line: 1, column: 37, endLine: 1, endColumn: 57 }],
        output: null,
      },
      {
        code: '{ a }: a ? x == true',
        errors: [{ messageId: 'booleanComparison', data: { operand: 'a ? x', literal: 'true' }, line: 1, column: 8, endLine: 1, endColumn: 21 }],
        output: '{ a }: a ? x',
      },
      {
        code: '{ a, b }: a < b == false',
        errors: [{ messageId: 'booleanComparison', data: { operand: 'a < b', literal: 'false' }, line: 1, column: 11, endLine: 1, endColumn: 25 }],
        output: '{ a, b }: !(a < b)',
      },
      {
        code: '{ a, b }: true != (a && b)',
        errors: [{ messageId: 'booleanComparison', data: { operand: '(a && b)', literal: 'true' }, line: 1, column: 11, endLine: 1, endColumn: 27 }],
        output: '{ a, b }: !(a && b)',
      },
      {
        code: '{ a }: (!a) != false',
        errors: [{ messageId: 'booleanComparison', data: { operand: '(!a)', literal: 'false' }, line: 1, column: 8, endLine: 1, endColumn: 21 }],
        output: '{ a }: (!a)',
      },
      {
        code: '{ lib, a }: lib.isString a == false',
        errors: [{ messageId: 'booleanComparison', data: { operand: 'lib.isString a', literal: 'false' }, line: 1, column: 13, endLine: 1, endColumn: 36 }],
        output: '{ lib, a }: !lib.isString a',
      },
      {
        code: '{ a, b }: builtins.elem a b == true',
        errors: [{ messageId: 'booleanComparison', data: { operand: 'builtins.elem a b', literal: 'true' }, line: 1, column: 11, endLine: 1, endColumn: 36 }],
        output: '{ a, b }: builtins.elem a b',
      },
      {
        code: '{ a }: { x = (a ? b) == true; }',
        errors: [{ messageId: 'booleanComparison', data: { operand: '(a ? b)', literal: 'true' }, line: 1, column: 14, endLine: 1, endColumn: 29 }],
        output: '{ a }: { x = (a ? b); }',
      },
      {
        code: '{ a }: a == true',
        options: { assumeBooleans: true },
        errors: [{ messageId: 'booleanComparison', data: { operand: 'a', literal: 'true' }, line: 1, column: 8, endLine: 1, endColumn: 17 }],
        output: '{ a }: a',
      },
      {
        code: '{ a }: a == false',
        options: { assumeBooleans: true },
        errors: [{ messageId: 'booleanComparison', data: { operand: 'a', literal: 'false' }, line: 1, column: 8, endLine: 1, endColumn: 18 }],
        output: '{ a }: !a',
      },
      {
        code: '{ a }: true != a',
        options: { assumeBooleans: true },
        errors: [{ messageId: 'booleanComparison', data: { operand: 'a', literal: 'true' }, line: 1, column: 8, endLine: 1, endColumn: 17 }],
        output: '{ a }: !a',
      },
      {
        code: '{ a }: a != false',
        options: { assumeBooleans: true },
        errors: [{ messageId: 'booleanComparison', data: { operand: 'a', literal: 'false' }, line: 1, column: 8, endLine: 1, endColumn: 18 }],
        output: '{ a }: a',
      },
      {
        code: '{ a, b }: a + b == false',
        options: { assumeBooleans: true },
        errors: [{ messageId: 'booleanComparison', data: { operand: 'a + b', literal: 'false' }, line: 1, column: 11, endLine: 1, endColumn: 25 }],
        output: '{ a, b }: !(a + b)',
      },
      {
        code: '{ a, b }: a == false || b',
        options: { assumeBooleans: true },
        errors: [{ messageId: 'booleanComparison', data: { operand: 'a', literal: 'false' }, line: 1, column: 11, endLine: 1, endColumn: 21 }],
        output: '{ a, b }: !a || b',
      },
      {
        code: '{ a }: [ (a.b == false) ]',
        options: { assumeBooleans: true },
        errors: [{ messageId: 'booleanComparison', data: { operand: 'a.b', literal: 'false' }, line: 1, column: 11, endLine: 1, endColumn: 23 }],
        output: '{ a }: [ (!a.b) ]',
      },
      {
        code: '{ a }: { x = a.b == true; }',
        options: { assumeBooleans: true },
        errors: [{ messageId: 'booleanComparison', data: { operand: 'a.b', literal: 'true' }, line: 1, column: 14, endLine: 1, endColumn: 25 }],
        output: '{ a }: { x = a.b; }',
      },
      // Without `assumeBooleans`, a value that may be null or a string is not rewritten: `x == true` is not `x`.
      {
        code: '{ a }: if a.enable == true then 1 else 2',
        errors: [{ messageId: 'booleanComparison', data: { operand: 'a.enable', literal: 'true' }, line: 1, column: 11, endLine: 1, endColumn: 27 }],
        output: null,
      },
      {
        code: '{ a }: a.b.enable != false',
        errors: [{ messageId: 'booleanComparison', data: { operand: 'a.b.enable', literal: 'false' }, line: 1, column: 8, endLine: 1, endColumn: 27 }],
        output: null,
      },
      {
        code: '{ a }: a.enable /* keep me */ == true',
        errors: [{ messageId: 'booleanComparison', data: { operand: 'a.enable', literal: 'true' }, line: 1, column: 8, endLine: 1, endColumn: 38 }],
        output: null,
      },
      {
        code: '{ cfg, mkIf }: mkIf (cfg.enable == true) { }',
        errors: [{ messageId: 'booleanComparison', data: { operand: 'cfg.enable', literal: 'true' }, line: 1, column: 22, endLine: 1, endColumn: 40 }],
        output: null,
      },
      {
        code: '{ lib, enableDocs ? false }: lib.optional (enableDocs == true) "--enable-docs"',
        errors: [{ messageId: 'booleanComparison', data: { operand: 'enableDocs', literal: 'true' }, line: 1, column: 44, endLine: 1, endColumn: 62 }],
        output: '{ lib, enableDocs ? false }: lib.optional (enableDocs) "--enable-docs"',
      },
      {
        code: '{ stdenv }: !(stdenv.hostPlatform == stdenv.buildPlatform) == false',
        errors: [{ messageId: 'booleanComparison', data: { operand: '!(stdenv.hostPlatform == stdenv.buildPla…', literal: 'false' }, line: 1, column: 13, endLine: 1, endColumn: 68 }],
        output: '{ stdenv }: !!(stdenv.hostPlatform == stdenv.buildPlatform)',
      },
      {
        code: '{ enable }: if enable == true then "on" else "off"',
        errors: [{ messageId: 'booleanComparison', data: { operand: 'enable', literal: 'true' }, line: 1, column: 16, endLine: 1, endColumn: 30 }],
        output: null,
      },
    ],
  },
  'bool-simplification': {
    valid: [
      '{ a, b }: a != b',
      '{ a, b }: !(a < b)',
      '{ a }: !a',
      '{ a, b }: !(a && b)',
    ],
    invalid: [
      {
        code: '{ a, b }: !(a == b)',
        errors: [{ messageId: 'negatedEquality', data: { simpler: 'a != b', operator: '==' }, line: 1, column: 11, endLine: 1, endColumn: 20 }],
        output: '{ a, b }: a != b',
      },
      {
        code: '{ a, b }: !(a != b)',
        errors: [{ messageId: 'negatedEquality', data: { simpler: 'a == b', operator: '!=' }, line: 1, column: 11, endLine: 1, endColumn: 20 }],
        output: '{ a, b }: a == b',
      },
      {
        code: '{ a, b, c }: !(a != b) && c',
        errors: [{ messageId: 'negatedEquality', data: { simpler: 'a == b', operator: '!=' }, line: 1, column: 14, endLine: 1, endColumn: 23 }],
        output: '{ a, b, c }: a == b && c',
      },
      {
        code: '{ a, b }: (!(a == b)) == false',
        errors: [{ messageId: 'negatedEquality', data: { simpler: 'a != b', operator: '==' }, line: 1, column: 12, endLine: 1, endColumn: 21 }],
        output: '{ a, b }: (a != b) == false',
      },
      {
        code: '{ config }: !(config.users.mutableUsers == false)',
        errors: [{ messageId: 'negatedEquality', data: { simpler: 'config.users.mutableUsers != false', operator: '==' }, line: 1, column: 13, endLine: 1, endColumn: 50 }],
        output: '{ config }: config.users.mutableUsers != false',
      },
      {
        code: '{ stdenv }: !(stdenv.hostPlatform == stdenv.buildPlatform) == false',
        errors: [{ messageId: 'negatedEquality', data: { simpler: 'stdenv.hostPlatform != stdenv.buildPlatform', operator: '==' }, line: 1, column: 13, endLine: 1, endColumn: 59 }],
        output: '{ stdenv }: (stdenv.hostPlatform != stdenv.buildPlatform) == false',
      },
    ],
  },
  'useless-has-attr': {
    valid: [
      '{ x }: if x ? a then x.b else 1',
      '{ x, y }: if x ? a then y.a else 1',
      '{ x }: if x ? a then x.a or 2 else 1',
      '{ x }: if x ? a then x.a.b else 1',
      // A case of an if-else chain: `x.a or (if ...)` would fold the rest of the chain into a default.
      '{ m }: if builtins.isString m then m else if m ? key then m.key else if builtins.isAttrs m then 1 else 2',
      '{ m }: if m ? key then m.key else if builtins.isAttrs m then 1 else 2',
      '{ x }: x.port or 80',
    ],
    invalid: [
      {
        code: '{ x }: if x ? a then x.a else 1',
        errors: [{ messageId: 'uselessHasAttr', data: { simpler: 'x.a or 1' }, line: 1, column: 8, endLine: 1, endColumn: 32 }],
        output: '{ x }: x.a or 1',
      },
      {
        code: '{ x }: if x.a ? b.c then x.a.b.c else { }',
        errors: [{ messageId: 'uselessHasAttr', data: { simpler: 'x.a.b.c or { }' }, line: 1, column: 8, endLine: 1, endColumn: 42 }],
        output: '{ x }: x.a.b.c or { }',
      },
      {
        code: '{ x }: if x ? "a b" then x."a b" else null',
        errors: [{ messageId: 'uselessHasAttr', data: { simpler: 'x."a b" or null' }, line: 1, column: 8, endLine: 1, endColumn: 43 }],
        output: '{ x }: x."a b" or null',
      },
      {
        code: '{ x, y }: if x ? a then x.a else y + 1',
        errors: [{ messageId: 'uselessHasAttr', data: { simpler: 'x.a or (y + 1)' }, line: 1, column: 11, endLine: 1, endColumn: 39 }],
        output: '{ x, y }: x.a or (y + 1)',
      },
      {
        code: '{ x, f }: f (if x ? a then x.a else 1)',
        errors: [{ messageId: 'uselessHasAttr', data: { simpler: 'x.a or 1' }, line: 1, column: 14, endLine: 1, endColumn: 38 }],
        output: '{ x, f }: f (x.a or 1)',
      },
      {
        code: '{ x }: (if x ? "a b" then x."a b" else { }).c',
        errors: [{ messageId: 'uselessHasAttr', data: { simpler: 'x."a b" or { }' }, line: 1, column: 9, endLine: 1, endColumn: 43 }],
        output: '{ x }: (x."a b" or { }).c',
      },
      {
        code: '{ stdenv }: { isNative = if stdenv ? isNative then stdenv.isNative else false; }',
        errors: [{ messageId: 'uselessHasAttr', data: { simpler: 'stdenv.isNative or false' }, line: 1, column: 26, endLine: 1, endColumn: 78 }],
        output: '{ stdenv }: { isNative = stdenv.isNative or false; }',
      },
      {
        code: '{ x }: if x ? port then x.port else 80',
        errors: [{ messageId: 'uselessHasAttr', data: { simpler: 'x.port or 80' }, line: 1, column: 8, endLine: 1, endColumn: 39 }],
        output: '{ x }: x.port or 80',
      },
    ],
  },
  'useless-parens': {
    valid: [
      '{ f, x }: f (x 1)',
      '{ x }: (x + 1) * 2',
      '{ f, x }: (f x).y',
      '{ x }: (x.a or { }).b',
      // An `or` default inside operators and applications keeps its parentheses.
      '{ lib, p }: lib.setPrio ((p.meta.priority or 5) + 3) p',
      '{ x }: !(x.y or false)',
      '{ args }: { a = 1; } // (args.extra or { })',
      '{ f, x }: f (x.y or null) 1',
      '{ x }: [ (x.a or 1) ]',
      '{ lib, z, c }: lib.unique ((z [ "category" ] c).category)',
      '{ x }: { inherit (x) a; }',
      'let a = 1 + 2; in a',
    ],
    invalid: [
      {
        code: '{ a = (1 + 2); }',
        errors: [{ messageId: 'uselessParensAroundValue', line: 1, column: 7, endLine: 1, endColumn: 14 }],
        output: '{ a = 1 + 2; }',
      },
      {
        code: 'let a = 1; in (a)',
        errors: [{ messageId: 'uselessParensAroundLetBody', line: 1, column: 15, endLine: 1, endColumn: 18 }],
        output: 'let a = 1; in a',
      },
      {
        code: '{ f, x }: f (x)',
        errors: [{ messageId: 'uselessParensAroundPrimitive', line: 1, column: 13, endLine: 1, endColumn: 16 }],
        output: '{ f, x }: f x',
      },
      {
        code: '{ f, x }: f (x.y)',
        errors: [{ messageId: 'uselessParensAroundPrimitive', line: 1, column: 13, endLine: 1, endColumn: 18 }],
        output: '{ f, x }: f x.y',
      },
      {
        code: '{ x }: { a = (x.y or 1); }',
        errors: [{ messageId: 'uselessParensAroundValue', line: 1, column: 14, endLine: 1, endColumn: 24 }],
        output: '{ x }: { a = x.y or 1; }',
      },
      {
        code: '[ ("s") ([ 1 ]) ({ }) ]',
        errors: [
          { messageId: 'uselessParensAroundPrimitive', line: 1, column: 3, endLine: 1, endColumn: 8 },
          { messageId: 'uselessParensAroundPrimitive', line: 1, column: 9, endLine: 1, endColumn: 16 },
          { messageId: 'uselessParensAroundPrimitive', line: 1, column: 17, endLine: 1, endColumn: 22 },
        ],
        output: '[ "s" [ 1 ] { } ]',
      },
      {
        code: '{ x }: ((x + 1)) * 2',
        errors: [{ messageId: 'uselessParensAroundPrimitive', line: 1, column: 8, endLine: 1, endColumn: 17 }],
        output: '{ x }: (x + 1) * 2',
      },
      {
        code: '{ f, x }: f(x)',
        errors: [{ messageId: 'uselessParensAroundPrimitive', line: 1, column: 12, endLine: 1, endColumn: 15 }],
        output: '{ f, x }: f x',
      },
      {
        code: 'x:(x)',
        errors: [{ messageId: 'uselessParensAroundPrimitive', line: 1, column: 3, endLine: 1, endColumn: 6 }],
        output: 'x: x',
      },
      {
        code: '{ x }: ((x))',
        errors: [
          { messageId: 'uselessParensAroundPrimitive', line: 1, column: 8, endLine: 1, endColumn: 13 },
          { messageId: 'uselessParensAroundPrimitive', line: 1, column: 9, endLine: 1, endColumn: 12 },
        ],
        output: '{ x }: x',
      },
      {
        code: '{ f, x }: [ (x)(f) ]',
        errors: [
          { messageId: 'uselessParensAroundPrimitive', line: 1, column: 13, endLine: 1, endColumn: 16 },
          { messageId: 'uselessParensAroundPrimitive', line: 1, column: 16, endLine: 1, endColumn: 19 },
        ],
        output: '{ f, x }: [ x  f ]',
      },
      {
        code: '{ x }: (x.y).z',
        errors: [{ messageId: 'uselessParensAroundPrimitive', line: 1, column: 8, endLine: 1, endColumn: 13 }],
        output: '{ x }: x.y.z',
      },
      {
        code: '{ x }: ( # keep me\n x)',
        errors: [{ messageId: 'uselessParensAroundPrimitive', line: 1, column: 8, endLine: 2, endColumn: 4 }],
        output: null,
      },
      // Multi-line parentheses: removing them would join the lines.
      {
        code: '{ a, b }: { assertion = (\n  a != "xe" || b\n); }',
        errors: [{ messageId: 'uselessParensAroundValue', line: 1, column: 25, endLine: 3, endColumn: 2 }],
        output: null,
      },
      {
        code: '{ cfg }: [ (cfg.package) ] ++ [ ]',
        errors: [{ messageId: 'uselessParensAroundPrimitive', line: 1, column: 12, endLine: 1, endColumn: 25 }],
        output: '{ cfg }: [ cfg.package ] ++ [ ]',
      },
      {
        code: '{ src }: { src = (src); }',
        errors: [{ messageId: 'uselessParensAroundValue', line: 1, column: 18, endLine: 1, endColumn: 23 }],
        output: '{ src }: { src = src; }',
      },
      {
        code: 'let a = (1 + 2); in a',
        errors: [{ messageId: 'uselessParensAroundValue', line: 1, column: 9, endLine: 1, endColumn: 16 }],
        output: 'let a = 1 + 2; in a',
      },
    ],
  },
  'empty-list-concat': {
    valid: [
      '{ xs }: xs ++ [ 1 ]',
      '{ xs }: [ ] // xs',
      '[ [ ] ]',
      '{ xs }: xs',
    ],
    invalid: [
      {
        code: '{ xs }: [ ] ++ xs',
        errors: [{ messageId: 'emptyListConcat', line: 1, column: 9, endLine: 1, endColumn: 12 }],
        output: '{ xs }: xs',
      },
      {
        code: '{ xs }: xs ++ []',
        errors: [{ messageId: 'emptyListConcat', line: 1, column: 15, endLine: 1, endColumn: 17 }],
        output: '{ xs }: xs',
      },
      {
        code: '{ a, b }: a ++ [ ] ++ b',
        errors: [{ messageId: 'emptyListConcat', line: 1, column: 16, endLine: 1, endColumn: 19 }],
        output: '{ a, b }: a ++ b',
      },
      {
        code: '{ cfg }: [ (cfg.package) ] ++ [ ]',
        errors: [{ messageId: 'emptyListConcat', line: 1, column: 31, endLine: 1, endColumn: 34 }],
        output: '{ cfg }: [ (cfg.package) ]',
      },
      {
        code: '{ extraFlags }: let flags = [ ] ++ extraFlags; in flags',
        errors: [{ messageId: 'emptyListConcat', line: 1, column: 29, endLine: 1, endColumn: 32 }],
        output: '{ extraFlags }: let flags = extraFlags; in flags',
      },
    ],
  },
  'deprecated-is-null': {
    valid: [
      '{ x }: x == null',
      '{ x }: builtins.isNull',
      '{ lib, x }: lib.isNull x',
      '{ x }: let isNull = y: false; in isNull x',
    ],
    invalid: [
      {
        code: '{ x }: isNull x',
        errors: [{ messageId: 'deprecatedIsNull', data: { simpler: 'x == null' }, line: 1, column: 8, endLine: 1, endColumn: 16 }],
        output: '{ x }: x == null',
      },
      {
        code: '{ x }: builtins.isNull x',
        errors: [{ messageId: 'deprecatedIsNull', data: { simpler: 'x == null' }, line: 1, column: 8, endLine: 1, endColumn: 25 }],
        output: '{ x }: x == null',
      },
      {
        code: '{ x }: !(isNull x.y)',
        errors: [{ messageId: 'deprecatedIsNull', data: { simpler: 'x.y == null' }, line: 1, column: 10, endLine: 1, endColumn: 20 }],
        output: '{ x }: !(x.y == null)',
      },
      {
        code: '{ x }: !isNull x',
        errors: [{ messageId: 'deprecatedIsNull', data: { simpler: 'x == null' }, line: 1, column: 9, endLine: 1, endColumn: 17 }],
        output: '{ x }: x != null',
      },
      {
        code: '{ x, y }: y && !isNull x.a',
        errors: [{ messageId: 'deprecatedIsNull', data: { simpler: 'x.a == null' }, line: 1, column: 17, endLine: 1, endColumn: 27 }],
        output: '{ x, y }: y && x.a != null',
      },
      {
        code: '{ x }: [ (!isNull x) ]',
        errors: [{ messageId: 'deprecatedIsNull', data: { simpler: 'x == null' }, line: 1, column: 12, endLine: 1, endColumn: 20 }],
        output: '{ x }: [ (x != null) ]',
      },
      {
        code: '{ x }: [ (builtins.isNull x) ]',
        errors: [{ messageId: 'deprecatedIsNull', data: { simpler: 'x == null' }, line: 1, column: 11, endLine: 1, endColumn: 28 }],
        output: '{ x }: [ (x == null) ]',
      },
      {
        code: '{ x, y }: isNull x || y',
        errors: [{ messageId: 'deprecatedIsNull', data: { simpler: 'x == null' }, line: 1, column: 11, endLine: 1, endColumn: 19 }],
        output: '{ x, y }: x == null || y',
      },
      {
        code: '{ enableDocs ? false }: { noDocs = isNull enableDocs; }',
        errors: [{ messageId: 'deprecatedIsNull', data: { simpler: 'enableDocs == null' }, line: 1, column: 36, endLine: 1, endColumn: 53 }],
        output: '{ enableDocs ? false }: { noDocs = enableDocs == null; }',
      },
    ],
  },
  'deprecated-to-path': {
    valid: [
      '/. + "/a"',
      '{ lib }: lib.toPath "/a"',
      'builtins.toPath.x or 1',
      'let builtins = { toPath = x: x; }; in builtins.toPath "/a"',
      'let __toPath = x: x; in __toPath "/a"',
      '{ dir }: /. + "/etc/${dir}"',
    ],
    invalid: [
      {
        code: 'builtins.toPath "/a"',
        errors: [{ messageId: 'deprecatedToPath', line: 1, column: 1, endLine: 1, endColumn: 16 }],
        output: null,
      },
      {
        code: 'map builtins.toPath [ ]',
        errors: [{ messageId: 'deprecatedToPath', line: 1, column: 5, endLine: 1, endColumn: 20 }],
        output: null,
      },
      {
        code: '__toPath "/a"',
        errors: [{ messageId: 'deprecatedUnderscoreToPath', line: 1, column: 1, endLine: 1, endColumn: 9 }],
        output: null,
      },
      {
        code: '{ path = builtins.toPath "/tmp"; }',
        errors: [{ messageId: 'deprecatedToPath', line: 1, column: 10, endLine: 1, endColumn: 25 }],
        output: null,
      },
      {
        code: '{ dir }: builtins.toPath "/etc/${dir}"',
        errors: [{ messageId: 'deprecatedToPath', line: 1, column: 10, endLine: 1, endColumn: 25 }],
        output: null,
      },
    ],
  },
  'unquoted-uri': {
    valid: [
      '{ url = "https://example.org/a.tar.gz"; }',
      'x: x',
      // Nix's own language tests keep deprecated syntax on purpose: eval-okay-* and parse-fail-* are left alone.
      { code: '{ url = https://example.org/a.tar.gz; }', filename: 'tests/functional/lang/eval-okay-let.nix' },
      { code: '{ url = https://example.org/a.tar.gz; }', filename: 'tests/functional/lang/parse-fail-url.nix' },
      '{ url = "https://example.org/source.tar.gz"; }',
    ],
    invalid: [
      {
        code: '{ url = https://example.org/a.tar.gz; }',
        errors: [{ messageId: 'unquotedUri', line: 1, column: 9, endLine: 1, endColumn: 37 }],
        output: '{ url = "https://example.org/a.tar.gz"; }',
      },
      {
        code: '{ url = https://example.org/a.tar.gz?x=1; }',
        errors: [{ messageId: 'unquotedUri', line: 1, column: 9, endLine: 1, endColumn: 41 }],
        output: '{ url = "https://example.org/a.tar.gz?x=1"; }',
      },
      // Other files of that suite, and `okay-eval` names elsewhere, are reported.
      {
        code: '{ url = https://example.org/a.tar.gz; }',
        filename: 'tests/functional/lang/let.nix',
        errors: [{ messageId: 'unquotedUri', line: 1, column: 9, endLine: 1, endColumn: 37 }],
        output: '{ url = "https://example.org/a.tar.gz"; }',
      },
      {
        code: '{ url = https://example.org/a.tar.gz; }',
        filename: 'lib/okay-eval.nix',
        errors: [{ messageId: 'unquotedUri', line: 1, column: 9, endLine: 1, endColumn: 37 }],
        output: '{ url = "https://example.org/a.tar.gz"; }',
      },
      {
        code: '{ url = https://example.org/source.tar.gz; }',
        errors: [{ messageId: 'unquotedUri', line: 1, column: 9, endLine: 1, endColumn: 42 }],
        output: '{ url = "https://example.org/source.tar.gz"; }',
      },
    ],
  },
};
