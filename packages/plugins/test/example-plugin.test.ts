import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Plugin } from '@nixforge/core';
import { applyFixes, nixParseError, runRule } from './rule-harness.js';

const EXAMPLE = fileURLToPath(new URL('../examples/nixforge-plugin-example/index.mjs', import.meta.url));

async function loadExample(): Promise<Plugin> {
  return ((await import(pathToFileURL(EXAMPLE).href)) as { default: Plugin }).default;
}

describe('example third-party plugin', () => {
  it('loads by path as a plugin with documented rules', async () => {
    const plugin = await loadExample();
    expect(plugin.name).toBe('example');
    expect(Object.keys(plugin.rules).sort()).toEqual(['missing-meta', 'prefer-hash']);
    for (const [name, rule] of Object.entries(plugin.rules)) {
      expect(runRule(plugin, name, 'example.nix', rule.meta.docs!.bad!).length, `${name} bad`).toBeGreaterThan(0);
      expect(runRule(plugin, name, 'example.nix', rule.meta.docs!.good!), `${name} good`).toEqual([]);
    }
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
      '}',
    ].join('\n');
    const findings = runRule(plugin, 'missing-meta', 'default.nix', text);
    expect(findings.map((f) => [f.line, f.column, f.message])).toEqual([[3, 7, '`stdenv.mkDerivation` without `meta`']]);
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

  it('honours rule options', async () => {
    const plugin = await loadExample();
    const findings = runRule(plugin, 'prefer-hash', 'x.nix', '{ outputHash = "sha256-AAAA"; }', { attribute: 'outputHash' });
    expect(findings.map((f) => f.message)).toEqual(['SRI hash under `outputHash`: use `hash`']);
  });
});
