import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTree, runCli } from './helpers/cli.js';

// Not a callPackage package (no stdenv formal): unused-formal leaves package formals alone by default.
const SOURCE = '{ lib, helpers, ... }:\nlet\n  unused = 1;\n  used = 2;\nin\nhelpers.mk { pname = "x"; version = toString used; }\n';

describe('scan --fix', () => {
  it('--fix-dry-run prints a unified diff and changes nothing', async () => {
    const root = makeTree({ 'a.nix': SOURCE });
    const run = await runCli(['scan', '.', '--fix-dry-run', '--no-events'], root);
    expect(run.stdout).toMatch(/^--- a\/a\.nix\n\+\+\+ b\/a\.nix\n/);
    expect(run.stdout).toMatch(/^- {2}unused = 1;$/m);
    expect(run.stderr).toMatch(/would apply \d+ fix\(es\) in 1 file\(s\)/);
    expect(readFileSync(join(root, 'a.nix'), 'utf8')).toBe(SOURCE);
  });

  it('--fix rewrites files until stable, the result parses with Nix, and the findings are gone', async () => {
    const root = makeTree({ 'a.nix': SOURCE });
    const run = await runCli(['scan', '.', '--fix', '-f', 'json', '--no-events', '--rule', 'dead-code/unused-formal=warning'], root);
    const fixed = readFileSync(join(root, 'a.nix'), 'utf8');
    expect(fixed).not.toContain('unused');
    expect(fixed).not.toContain('lib,');
    execFileSync('nix-instantiate', ['--parse', join(root, 'a.nix')], { stdio: 'pipe' });
    const remaining = JSON.parse(run.stdout).files[0].findings.filter((f: { fix?: unknown }) => f.fix !== undefined);
    expect(remaining).toEqual([]);
  });
});
