import { describe, expect, it } from 'vitest';
import { SourceFile, analyzeSource, detectFileType, definePlugin, resolveRules, type Plugin, type SyntaxNode } from '../src/index.js';

function run(text: string, plugin: Plugin = probePlugin(), path = 'x.nix') {
  return analyzeSource(new SourceFile(path, text), resolveRules([plugin]));
}

function probePlugin() {
  const order: string[] = [];
  const plugin = definePlugin({
    name: 'probe',
    rules: {
      order: {
        meta: { description: 'records enter/exit order', severity: 'info' },
        create: () => ({
          let_expression: () => order.push('enter let'),
          'let_expression:exit': () => order.push('exit let'),
          binding: (node: SyntaxNode) => order.push(`binding ${node.startIndex}`),
          onEnd: () => order.push('end'),
        }),
      },
      query: {
        meta: { description: 'reports integers through a query', severity: 'warning' },
        query: '(integer_expression) @int',
        create: (context) => ({
          onMatch: (match) => context.report({ node: match.captures[0]!.node, message: `int ${context.getText(match.captures[0]!.node)}` }),
        }),
      },
    },
  });
  return Object.assign(plugin, { order });
}

describe('rule engine', () => {
  it('dispatches enter and exit visitors in one walk, then onEnd', () => {
    const plugin = probePlugin();
    run('let a = 1; b = 2; in a', plugin);
    expect(plugin.order).toEqual(['enter let', 'binding 4', 'binding 11', 'exit let', 'end']);
  });

  it('delivers query matches and reports positions and severity', () => {
    const { findings } = run('[\n  1\n  22\n]');
    expect(findings.map((f) => [f.ruleId, f.severity, f.line, f.column, f.endColumn, f.message])).toEqual([
      ['probe/query', 'warning', 2, 3, 4, 'int 1'],
      ['probe/query', 'warning', 3, 3, 5, 'int 22'],
    ]);
  });

  it('applies suppression comments by rule, plugin and file', () => {
    expect(run('[\n  # nixforge-disable-next-line probe/query\n  1\n  2\n]').findings.map((f) => f.line)).toEqual([4]);
    expect(run('[\n  1 # nixforge-disable-line probe\n  2\n]').findings.map((f) => f.line)).toEqual([3]);
    expect(run('# nixforge-disable-file\n[ 1 2 ]').findings).toEqual([]);
    expect(run('[\n  # nixforge-disable-next-line other/rule\n  1\n]').findings).toHaveLength(1);
  });

  it('isolates a throwing rule as internal/rule-error', () => {
    const plugin = definePlugin({
      name: 'bad',
      rules: {
        throws: { meta: { description: 'x', severity: 'error' }, create: () => ({ integer_expression: () => { throw new Error('kaput'); } }) },
        fine: { meta: { description: 'y', severity: 'info' }, create: (c) => ({ integer_expression: (n: SyntaxNode) => c.report({ node: n, message: 'ok' }) }) },
      },
    });
    const { findings } = run('[ 1 2 ]', plugin, 'f.nix');
    expect(findings.filter((f) => f.ruleId === 'bad/fine')).toHaveLength(2);
    const errors = findings.filter((f) => f.ruleId === 'internal/rule-error');
    expect(errors).toHaveLength(1);
    expect(errors[0]!.message).toMatch(/bad\/throws failed on f\.nix: kaput/);
  });

  it("runs every rule's query as one and gives each rule its own matches, patterns counted within its query", () => {
    const seen: string[] = [];
    const plugin = definePlugin({
      name: 'q',
      rules: {
        strings: {
          meta: { description: 'two patterns', severity: 'info' },
          query: '(string_expression) @s (integer_expression) @i',
          create: () => ({ onMatch: (m) => seen.push(`strings ${m.pattern} ${m.captures[0]!.name}`) }),
        },
        lets: {
          meta: { description: 'one pattern', severity: 'info' },
          query: '(let_expression) @l',
          create: () => ({ onMatch: (m) => seen.push(`lets ${m.pattern} ${m.captures[0]!.name}`) }),
        },
        broken: {
          meta: { description: 'a query that does not compile', severity: 'info' },
          query: '(no_such_node) @x',
          create: () => ({ onMatch: () => seen.push('broken') }),
        },
        silent: {
          meta: { description: 'a query without onMatch for this file', severity: 'info' },
          query: '(integer_expression) @i',
          create: () => ({}),
        },
      },
    });
    const result = run('let a = "x"; in 1', plugin);
    expect(seen).toEqual(['lets 0 l', 'strings 0 s', 'strings 1 i']);
    expect(result.findings.map((f) => f.symbol)).toEqual(['q/broken']);
    expect(result.findings[0]!.message).toMatch(/q\/broken failed on x\.nix: invalid query/);
  });

  it('walks 50,000 levels of nesting without overflowing the stack', () => {
    const depth = 50_000;
    const text = `${'['.repeat(depth)}1${']'.repeat(depth)}`;
    const { findings } = run(text);
    expect(findings).toHaveLength(1);
  });
});

describe('file types', () => {
  const type = (text: string, path = 'default.nix') => detectFileType(new SourceFile(path, text));
  it('recognises the kinds of Nix files', () => {
    expect(type('{ inputs = { }; outputs = _: { }; }', 'flake.nix')).toBe('flake');
    expect(type('{ config, lib, pkgs, ... }: { services.nginx.enable = true; }')).toBe('module');
    expect(type('{ config, pkgs, ... }: { home.packages = [ ]; programs.git.enable = true; }')).toBe('home-manager');
    expect(type('final: prev: { hello = prev.hello; }')).toBe('overlay');
    expect(type('{ lib, stdenv, fetchurl, }: stdenv.mkDerivation { pname = "x"; }')).toBe('package');
    expect(type('{ pkgs ? import <nixpkgs> { } }: pkgs.mkShell { packages = [ ]; }')).toBe('shell');
    expect(type('{ lib }: { double = x: x * 2; }')).toBe('lib');
    expect(type('42')).toBe('unknown');
  });

  it.each([
    ['{ ... }: { boot.kernelParams = [ "quiet" ]; }', 'default.nix'],
    ['{ lib, ... }:\n{\n  system.activationScripts.x.text = "";\n  services.foo.enable = lib.mkDefault true;\n}', 'base.nix'],
    ['{ pkgs, ... }: let p = pkgs.hello; in { environment.systemPackages = [ p ]; }', 'x.nix'],
    ['{ ... }: { hardware.cpu.intel.updateMicrocode = true; }', 'cpu.nix'],
    ['{ ... }: { languages.r.enable = true; }', 'devenv.nix'],
    ['{ ... }: { projectRootFile = "flake.nix"; }', 'treefmt.nix'],
    ['# DO NOT MODIFY.\n# generated\n{ pkgs, ... }: { languages.c.enable = true; }', 'devenv.nix'],
    ['/* a module */ { config, ... }: { }', 'm.nix'],
  ])('recognises the shorthand module %j (%s)', (text, path) => {
    expect(type(text, path)).toBe('module');
  });

  it.each([
    ['{ lib, stdenv }: { boot = 1; }', 'x.nix'],
    ['{ ... }: { meta.description = "x"; }', 'x.nix'],
    ['{ ... }: { packages = [ ]; }', 'x.nix'],
  ])('does not take %j for a module', (text, path) => {
    expect(type(text, path)).not.toBe('module');
  });
});
