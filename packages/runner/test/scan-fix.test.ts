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

  it('fixes in the workers in one scan: 1 and 2 threads write the same files and report them fixed, in path order', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 12; i += 1) files[`d${i % 3}/f${i}.nix`] = i % 2 === 0 ? SOURCE : '{ x = 1; }\n';
    files['bom.nix'] = `\uFEFF${SOURCE}`;
    const one = makeTree(files);
    const two = makeTree(files);
    const args = ['scan', '.', '--fix', '-f', 'json', '--no-events', '--cache', '--rule', 'dead-code/unused-formal=warning'];
    const runOne = await runCli([...args, '--threads', '1'], one);
    const runTwo = await runCli([...args, '--threads', '2'], two);
    expect(runOne.stdout).toBe(runTwo.stdout);
    expect(runOne.stderr).toMatch(/applied \d+ fix\(es\) in 7 file\(s\)/);
    const report = JSON.parse(runOne.stdout) as { files: Array<{ path: string; findings: unknown[] }> };
    expect(report.files.map((f) => f.path)).toEqual([...report.files.map((f) => f.path)].sort());
    expect(report.files.every((f) => f.findings.length === 0)).toBe(true);
    for (const path of Object.keys(files)) expect(readFileSync(join(one, path), 'utf8')).toBe(readFileSync(join(two, path), 'utf8'));
    expect(readFileSync(join(one, 'bom.nix'), 'utf8').startsWith('\uFEFF')).toBe(true);
    // A rescan from the cache after fixing has nothing left to fix.
    const again = await runCli([...args, '--threads', '2'], two);
    expect(again.stderr).toMatch(/applied 0 fix\(es\) in 0 file\(s\)/);
    expect(again.stdout).toBe(runTwo.stdout);
  });

  it('refuses --fix with --distributed (remote workers may not see the files)', async () => {
    const root = makeTree({ 'a.nix': SOURCE });
    const run = await runCli(['scan', '.', '--fix', '--distributed', '--nats', 'nats://127.0.0.1:1', '--no-events'], root);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--fix cannot be used with --distributed');
  });
});
