import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { analyzeSource, resolveRules, runProjectChecks, SourceFile, type Plugin } from '@nixforge/core';
import { applyFixes, nixParseError, runRule } from './rule-harness.js';

const EXAMPLE = fileURLToPath(new URL('../examples/nixforge-plugin-example/index.mjs', import.meta.url));

async function loadExample(): Promise<Plugin> {
  return ((await import(pathToFileURL(EXAMPLE).href)) as { default: Plugin }).default;
}

describe('example third-party plugin', () => {
  it('loads by path as a plugin with documented rules', async () => {
    const plugin = await loadExample();
    expect(plugin.name).toBe('example');
    expect(Object.keys(plugin.rules).sort()).toEqual(['duplicate-pname', 'missing-meta', 'prefer-hash']);
    for (const [name, rule] of Object.entries(plugin.rules)) {
      expect(runRule(plugin, name, 'example.nix', rule.meta.docs!.bad!).length, `${name} bad`).toBeGreaterThan(0);
      expect(runRule(plugin, name, 'example.nix', rule.meta.docs!.good!), `${name} good`).toEqual([]);
    }
  });

  it('duplicate-pname collects facts per file and checks them across files', async () => {
    const plugin = await loadExample();
    const [rule] = resolveRules([plugin], {}).filter((r) => r.id === 'example/duplicate-pname');
    const files = {
      'pkgs/b/default.nix': 'mkDerivation {\n  pname = "hello";\n}',
      'pkgs/a/default.nix': '{ x = mkDerivation { pname = "hello"; }; y = mkDerivation { pname = "${n}"; }; }',
      'pkgs/c/default.nix': '{ pname = "other"; x.pname = "hello"; }',
      'pkgs/d/default.nix': `{ "pname" = ''hello''; }`,
    };
    const inputs = Object.entries(files).map(([path, text]) => {
      const source = new SourceFile(path, text, `/repo/${path}`);
      try {
        const result = analyzeSource(source, [rule!], { factsOnly: true });
        // facts are plain JSON: what a worker, the cache or a remote worker hands back
        expect(JSON.parse(JSON.stringify(result.facts ?? null))).toEqual(result.facts ?? null);
        return { path, absolutePath: `/repo/${path}`, fileType: result.fileType, ...(result.facts ? { facts: result.facts } : {}) };
      } finally {
        source.dispose();
      }
    });
    const found = runProjectChecks(inputs, [rule!], { cwd: '/repo' });
    expect(found.map((f) => [f.path, f.finding.line, f.finding.column, f.finding.message, f.files])).toEqual([
      ['pkgs/b/default.nix', 2, 11, 'pname `hello` is also defined at pkgs/a/default.nix:1', ['/repo/pkgs/b/default.nix', '/repo/pkgs/a/default.nix']],
      ['pkgs/d/default.nix', 1, 13, 'pname `hello` is also defined at pkgs/a/default.nix:1', ['/repo/pkgs/d/default.nix', '/repo/pkgs/a/default.nix']],
    ]);
  });

  it('missing-meta reports builders without meta, once, at the callee', async () => {
    const plugin = await loadExample();
    const text = [
      '{ stdenv, buildGoModule, lib }:',
      '{',
      '  a = stdenv.mkDerivation { pname = "a"; };',
      '  b = buildGoModule rec { pname = "b"; meta.description = "b"; };',
      '  c = stdenv.mkDerivation (finalAttrs: { pname = "c"; });',
      '  d = stdenv.mkDerivation { inherit (x) meta; };',
      '  e = (stdenv.mkDerivation) ({ "meta" = { }; });',
      '  f = stdenv.mkDerivation ({ pname = "f"; });',
      '  g = (import ./x.nix).mkDerivation { };',
      '}',
    ].join('\n');
    const findings = runRule(plugin, 'missing-meta', 'default.nix', text);
    expect(findings.map((f) => [f.line, f.column, f.message])).toEqual([
      [3, 7, '`stdenv.mkDerivation` without `meta`'],
      [8, 7, '`stdenv.mkDerivation` without `meta`'],
    ]);
  });

  it('prefer-hash fixes the attribute name; the result parses and is clean', async () => {
    const plugin = await loadExample();
    const text = 'fetchurl { url = "https://x"; sha256 = "sha256-AAAA"; } // { sha256 = "0abc"; }';
    const findings = runRule(plugin, 'prefer-hash', 'x.nix', text);
    expect(findings).toHaveLength(1);
    expect(findings[0]!.severity).toBe('warning');
    const fixed = applyFixes(text, findings);
    expect(fixed).toBe('fetchurl { url = "https://x"; hash = "sha256-AAAA"; } // { sha256 = "0abc"; }');
    expect(nixParseError(fixed)).toBeUndefined();
    expect(runRule(plugin, 'prefer-hash', 'x.nix', fixed)).toEqual([]);
  });

  it('prefer-hash reads the string before any interpolation', async () => {
    const plugin = await loadExample();
    const text = '{ a = { sha256 = "sha256-${h}"; }; b = { sha256 = "${p}sha256-AAAA"; }; c = { sha256 = "0abc"; }; }';
    expect(runRule(plugin, 'prefer-hash', 'x.nix', text).map((f) => f.column)).toEqual([9]);
  });

  it('honours rule options', async () => {
    const plugin = await loadExample();
    const findings = runRule(plugin, 'prefer-hash', 'x.nix', '{ outputHash = "sha256-AAAA"; }', { attribute: 'outputHash' });
    expect(findings.map((f) => f.message)).toEqual(['SRI hash under `outputHash`: use `hash`']);
  });
});
