import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTree, runCli } from './helpers/cli.js';

const BROKEN = 'let\n  a = 1;\nin a +\n';
const VALID = '{ a = 1; }\n';

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@e', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@e' },
  });
}

describe('scan stages', () => {
  it('--cache reuses reports of unchanged files and re-analyses changed ones', async () => {
    const root = makeTree({ 'a.nix': BROKEN, 'b.nix': VALID });
    const cold = await runCli(['scan', '.', '-f', 'json', '--cache', '--no-events'], root);
    expect(cold.stderr).toMatch(/cache: 0 of 2 files reused/);
    const warm = await runCli(['scan', '.', '-f', 'json', '--cache', '--no-events'], root);
    expect(warm.stderr).toMatch(/cache: 2 of 2 files reused/);
    expect(warm.stdout).toBe(cold.stdout);
    writeFileSync(join(root, 'b.nix'), BROKEN);
    const changed = await runCli(['scan', '.', '-f', 'json', '--cache', '--no-events'], root);
    expect(changed.stderr).toMatch(/cache: 1 of 2 files reused/);
    expect(JSON.parse(changed.stdout).summary.findings).toBe(2);
    const otherRules = await runCli(['scan', '.', '-f', 'json', '--cache', '--no-events', '--rule', 'nix/syntax-error=warning'], root);
    expect(otherRules.stderr).toMatch(/cache: 0 of 2 files reused/);
    const text = await runCli(['scan', '.', '--cache', '--no-events', '--rule', 'nix/syntax-error=warning'], root);
    expect(text.stdout).toContain(' 3 | in a +');
  });

  it('--write-baseline accepts current findings; --baseline fails only on new ones', async () => {
    const root = makeTree({ 'a.nix': BROKEN, 'b.nix': VALID });
    const write = await runCli(['scan', '.', '--write-baseline', 'baseline.json', '--no-events'], root);
    expect(write.code).toBe(1);
    expect(JSON.parse(readFileSync(join(root, 'baseline.json'), 'utf8'))).toBeTruthy();
    const accepted = await runCli(['scan', '.', '--baseline', 'baseline.json', '-f', 'json', '--no-events'], root);
    expect(accepted.code).toBe(0);
    expect(JSON.parse(accepted.stdout).summary.findings).toBe(0);
    // Moving the finding down does not make it new.
    writeFileSync(join(root, 'a.nix'), `# moved\n\n${BROKEN}`);
    expect((await runCli(['scan', '.', '--baseline', 'baseline.json', '--no-events'], root)).code).toBe(0);
    writeFileSync(join(root, 'b.nix'), BROKEN);
    const fresh = await runCli(['scan', '.', '--baseline', 'baseline.json', '-f', 'json', '--no-events'], root);
    expect(fresh.code).toBe(1);
    expect(JSON.parse(fresh.stdout).files.filter((f: { findings: unknown[] }) => f.findings.length > 0).map((f: { path: string }) => f.path)).toEqual(['b.nix']);
    const missing = await runCli(['scan', '.', '--baseline', 'nope.json'], root);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/nope\.json/);
  });

  it('--changed-since scans only files changed since a revision, and --rev scans a commit from Git objects', async () => {
    const root = makeTree({ 'old.nix': BROKEN, 'keep.nix': VALID });
    git(root, 'init', '-q', '-b', 'main');
    git(root, 'add', '.');
    git(root, 'commit', '-q', '-m', 'first');
    const first = git(root, 'rev-parse', 'HEAD').trim();
    writeFileSync(join(root, 'new.nix'), BROKEN);
    writeFileSync(join(root, 'keep.nix'), '{ a = 2; }\n');
    git(root, 'add', '.');
    git(root, 'commit', '-q', '-m', 'second');
    writeFileSync(join(root, 'dirty.nix'), VALID);
    const changed = await runCli(['scan', '.', '-f', 'json', '--changed-since', first, '--no-events'], root);
    expect(JSON.parse(changed.stdout).files.map((f: { path: string }) => f.path)).toEqual(['dirty.nix', 'keep.nix', 'new.nix']);
    const atFirst = await runCli(['scan', '--rev', first, '-f', 'json', '--no-events'], root);
    const report = JSON.parse(atFirst.stdout);
    expect(report.files.map((f: { path: string }) => f.path)).toEqual(['keep.nix', 'old.nix']);
    expect(report.files[1].findings[0].ruleId).toBe('nix/syntax-error');
    const unknown = await runCli(['scan', '--rev', 'no-such-rev', '--no-events'], root);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/no-such-rev/);
  });
});
