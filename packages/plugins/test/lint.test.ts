import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { analyzeSource, resolveRules, RULE_ERROR_ID, SourceFile, type Finding } from '@nixforge/core';
import lint from '../src/lint/index.js';
import { RULE_TESTER_RULES } from './rule-tester-rules.js';

/** Findings of one lint rule (or of all of them) on `text`. */
function findingsOf(text: string, rule?: string): Finding[] {
  const rules = resolveRules([lint]).filter((r) => rule === undefined || r.id === `lint/${rule}`);
  return analyzeSource(new SourceFile('case.nix', text), rules).findings;
}

/** The source text a finding points at. */
function flagged(text: string, finding: Finding): string {
  const source = new SourceFile('case.nix', text);
  return text.slice(
    source.offsetAt({ line: finding.line, column: finding.column }),
    source.offsetAt({ line: finding.endLine, column: finding.endColumn }),
  );
}

interface RuleCases {
  /** Code the rule reports, with the exact text of every finding in source order. */
  bad: Array<[code: string, flagged: string[]]>;
  /** Code the rule leaves alone. */
  good: string[];
}

const CASES: Record<string, RuleCases> = {
  'bool-comparison': {
    bad: [
      ['{ enable }: enable == true', ['enable == true']],
      ['{ a }: false != (a > 1)', ['false != (a > 1)']],
      ['{ a, b }: if a.enable == false && !b != true then 1 else 2', ['a.enable == false', '!b != true']],
      ['{ x, y }: (builtins.elem x y) == false', ['(builtins.elem x y) == false']],
      ['{ withDocs ? false }: if withDocs == true then 1 else 2', ['withDocs == true']],
      ['{ a }: [ (a.enable == true) ]', ['a.enable == true']],
      ['{ a, b }: (a == b) == true', ['(a == b) == true']],
      ['{ vaults }: builtins.filter (vault: vault.enable == true) vaults', ['vault.enable == true']],
    ],
    good: [
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
    ],
  },
  'manual-inherit': {
    bad: [
      ['{ a }: { a = a; }', ['a = a;']],
      ['{ a, b }: { a = a; c = 1; b = b; }', ['a = a;', 'b = b;']],
    ],
    good: [
      '{ a }: { inherit a; }',
      '{ a }: { b = a; }',
      '{ a }: { a.b = a; }',
      '{ a }: { a = a.a; }',
      // Inside `let` and `rec` the value refers to the binding itself; `inherit` would change the meaning.
      'let a = a; in a',
      'rec { a = a; }',
    ],
  },
  'manual-inherit-from': {
    bad: [
      ['{ pkgs }: { hello = pkgs.hello; }', ['hello = pkgs.hello;']],
      ['{ pkgs }: let lib = pkgs.lib; in lib', ['lib = pkgs.lib;']],
      ['{ a }: { c = a.b.c; }', ['c = a.b.c;']],
      ['{ a }: { c = (a.b).c; }', ['c = (a.b).c;']],
    ],
    good: ['{ eval }: { docs = (eval {\n  modules = [ ];\n}).config.docs; }', '{ pkgs }: { hello = pkgs.hello or null; }', '{ pkgs }: { hello = pkgs.world; }', '{ p }: { a.b = p.b; }'],
  },
  'collapsible-let-in': {
    bad: [
      ['let a = 1; in let b = a; in b', ['in let']],
      ['let\n  a = 1;\nin\nlet\n  b = 2;\nin\nlet c = 3; in a + b + c', ['in\nlet', 'in\nlet']],
    ],
    good: ['let a = 1; in a', 'let a = 1; in (x: let b = x; in b) a', 'let a = 1; in [ (let b = 2; in b) ]'],
  },
  'eta-reduction': {
    bad: [
      ['{ f }: x: f x', ['x: f x']],
      ['{ lib }: map (x: lib.toUpper x) [ ]', ['x: lib.toUpper x']],
      ['{ g }: y: g 1 y', ['y: g 1 y']],
      ['{ f }: x: (with f; g) x', ['x: (with f; g) x']],
      // The inner `x` shadows the outer one, so the outer function does not use its argument in `(x: f x)`.
      ['{ f }: x: (x: f x) x', ['x: (x: f x) x', 'x: f x']],
    ],
    good: [
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
    ],
  },
  'useless-parens': {
    bad: [
      ['{ a = (1 + 2); }', ['(1 + 2)']],
      ['let a = 1; in (a)', ['(a)']],
      ['{ f, x }: f (x)', ['(x)']],
      ['{ f, x }: f (x.y)', ['(x.y)']],
      ['{ x }: { a = (x.y or 1); }', ['(x.y or 1)']],
      ['[ ("s") ([ 1 ]) ({ }) ]', ['("s")', '([ 1 ])', '({ })']],
      ['{ x }: ((x + 1)) * 2', ['((x + 1))']],
    ],
    good: [
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
    ],
  },
  'empty-pattern': {
    bad: [
      ['map ({ ... }: 1) [ ]', ['{ ... }']],
      ['{ ... }: pkgs.hello', ['{ ... }']],
      ['{ x = { ... }: 42; }', ['{ ... }']],
    ],
    good: [
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
    ],
  },
  'redundant-pattern-bind': {
    bad: [
      ['{ ... }@args: args', ['{ ... }@args']],
      ['args @ { ... }: args', ['args @ { ... }']],
    ],
    good: ['{ a, ... }@args: args', '{ }@args: args', 'args: args', '{ ... }: 1'],
  },
  'deprecated-to-path': {
    bad: [
      ['builtins.toPath "/a"', ['builtins.toPath']],
      ['map builtins.toPath [ ]', ['builtins.toPath']],
      ['__toPath "/a"', ['__toPath']],
    ],
    good: [
      '/. + "/a"',
      '{ lib }: lib.toPath "/a"',
      'builtins.toPath.x or 1',
      'let builtins = { toPath = x: x; }; in builtins.toPath "/a"',
      'let __toPath = x: x; in __toPath "/a"',
    ],
  },
  'bool-simplification': {
    bad: [
      ['{ a, b }: !(a == b)', ['!(a == b)']],
      ['{ a, b }: !(a != b)', ['!(a != b)']],
    ],
    good: ['{ a, b }: a != b', '{ a, b }: !(a < b)', '{ a }: !a', '{ a, b }: !(a && b)'],
  },
  'useless-has-attr': {
    bad: [
      ['{ x }: if x ? a then x.a else 1', ['if x ? a then x.a else 1']],
      ['{ x }: if x.a ? b.c then x.a.b.c else { }', ['if x.a ? b.c then x.a.b.c else { }']],
      ['{ x }: if x ? "a b" then x."a b" else null', ['if x ? "a b" then x."a b" else null']],
    ],
    good: [
      '{ x }: if x ? a then x.b else 1',
      '{ x, y }: if x ? a then y.a else 1',
      '{ x }: if x ? a then x.a or 2 else 1',
      '{ x }: if x ? a then x.a.b else 1',
      // A case of an if-else chain: `x.a or (if ...)` would fold the rest of the chain into a default.
      '{ m }: if builtins.isString m then m else if m ? key then m.key else if builtins.isAttrs m then 1 else 2',
      '{ m }: if m ? key then m.key else if builtins.isAttrs m then 1 else 2',
    ],
  },
  'repeated-keys': {
    bad: [
      ['{ foo.a = 1; foo.b = 2; foo.c = 3; }', ['foo.a']],
      ['rec { x = 0; s.a = 1; s.b = 2; t = 1; s.c = 3; s.d = 4; }', ['s.a']],
    ],
    good: [
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
    ],
  },
  'empty-list-concat': {
    bad: [
      ['{ xs }: [ ] ++ xs', ['[ ]']],
      ['{ xs }: xs ++ []', ['[]']],
      ['{ a, b }: a ++ [ ] ++ b', ['[ ]']],
    ],
    good: ['{ xs }: xs ++ [ 1 ]', '{ xs }: [ ] // xs', '[ [ ] ]'],
  },
  'deprecated-is-null': {
    bad: [
      ['{ x }: isNull x', ['isNull x']],
      ['{ x }: builtins.isNull x', ['builtins.isNull x']],
      ['{ x }: !(isNull x.y)', ['isNull x.y']],
    ],
    good: [
      '{ x }: x == null',
      '{ x }: builtins.isNull',
      '{ lib, x }: lib.isNull x',
      '{ x }: let isNull = y: false; in isNull x',
    ],
  },
};

describe('lint plugin', () => {
  it('has a case table for every rule (or RuleTester tests) and no case for a rule that does not exist', () => {
    expect(Object.keys(CASES).sort()).toEqual(Object.keys(lint.rules).filter((rule) => !RULE_TESTER_RULES.has(rule)).sort());
  });

  for (const [rule, cases] of Object.entries(CASES)) {
    describe(rule, () => {
      it.each(cases.bad)('reports %j', (code, expected) => {
        const findings = findingsOf(code, rule);
        expect(findings.map((f) => flagged(code, f))).toEqual(expected);
        for (const finding of findings) expect(finding.ruleId).toBe(`lint/${rule}`);
      });

      it.each(cases.good)('accepts %j', (code) => {
        expect(findingsOf(code, rule)).toEqual([]);
      });
    });
  }

  it('no rule fails on any case', () => {
    const all = Object.values(CASES).flatMap((c) => [...c.bad.map(([code]) => code), ...c.good]);
    for (const code of all) {
      expect(findingsOf(code).filter((f) => f.ruleId === RULE_ERROR_ID), code).toEqual([]);
    }
  });

  describe('documentation examples', () => {
    for (const [name, rule] of Object.entries(lint.rules)) {
      it(`${name}: explanation given, bad example reported, good example not`, () => {
        const docs = rule.meta.docs;
        expect(docs?.explanation?.length).toBeGreaterThan(20);
        expect(findingsOf(docs!.bad!, name).length).toBeGreaterThan(0);
        expect(findingsOf(docs!.good!, name)).toEqual([]);
      });
    }
  });

  describe('fixture files', () => {
    const dir = fileURLToPath(new URL('../../../fixtures/rules/lint/', import.meta.url));
    const files = readdirSync(dir).filter((name) => name.endsWith('.nix'));

    it('cover every rule, with a clean file', () => {
      const reported = new Set<string>();
      for (const name of files) {
        const expected = JSON.parse(readFileSync(`${dir}${name.replace(/\.nix$/, '.expected.json')}`, 'utf8')) as string[];
        for (const entry of expected) reported.add(entry.split(' ')[1]!);
      }
      expect([...reported].sort()).toEqual(Object.keys(lint.rules).map((r) => `lint/${r}`).sort());
      expect(files).toContain('clean.nix');
    });

    it.each(files)('%s: findings are exactly those in its .expected.json', (name) => {
      const text = readFileSync(`${dir}${name}`, 'utf8');
      const expected = JSON.parse(readFileSync(`${dir}${name.replace(/\.nix$/, '.expected.json')}`, 'utf8')) as string[];
      expect(findingsOf(text).map((f) => `${f.line}:${f.column} ${f.ruleId}`)).toEqual(expected);
    });
  });

  it('does not fail on broken code: every fixture cut short at many places', () => {
    const dir = fileURLToPath(new URL('../../../fixtures/rules/lint/', import.meta.url));
    for (const name of readdirSync(dir).filter((n) => n.endsWith('.nix'))) {
      const text = readFileSync(`${dir}${name}`, 'utf8');
      for (let cut = 1; cut < text.length; cut += 23) {
        const broken = text.slice(0, cut);
        expect(findingsOf(broken).filter((f) => f.ruleId === RULE_ERROR_ID), `${name} cut at ${cut}`).toEqual([]);
      }
    }
  });

  it('handles 20,000 levels of nesting without overflowing the stack', () => {
    const depth = 20_000;
    const nested = '('.repeat(depth) + 'x: f x' + ')'.repeat(depth);
    const code = `{ f }: ${nested}`;
    const findings = findingsOf(code);
    expect(findings.filter((f) => f.ruleId === RULE_ERROR_ID)).toEqual([]);
    expect(findings.filter((f) => f.ruleId === 'lint/eta-reduction')).toHaveLength(1);
    // Each pair of parentheses directly around another one is reported once, the innermost around `x: f x` not.
    expect(findings.filter((f) => f.ruleId === 'lint/useless-parens')).toHaveLength(depth - 1);
  });
});

describe("deprecated syntax in Nix's own language test suite", () => {
  it('legacy-let-syntax and unquoted-uri leave eval-okay-*/parse-fail-* cases alone, and report elsewhere', async () => {
    const { runRule } = await import('./rule-harness.js');
    const cases: Array<[rule: string, code: string]> = [
      ['legacy-let-syntax', 'let { a = 1; body = a; }'],
      ['unquoted-uri', '{ url = https://example.org/a.tar.gz; }'],
    ];
    for (const [rule, code] of cases) {
      expect(runRule(lint, rule, 'tests/functional/lang/eval-okay-let.nix', code), rule).toEqual([]);
      expect(runRule(lint, rule, 'tests/functional/lang/parse-fail-url.nix', code), rule).toEqual([]);
      expect(runRule(lint, rule, 'tests/functional/lang/let.nix', code), rule).toHaveLength(1);
      expect(runRule(lint, rule, 'lib/okay-eval.nix', code), rule).toHaveLength(1);
    }
  });
});
