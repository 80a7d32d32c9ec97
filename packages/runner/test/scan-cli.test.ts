import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync, readdirSync, symlinkSync, mkdirSync, lstatSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { makeTree, runCli } from './helpers/cli.js';

const VALID = '{ stdenv, }:\nstdenv.mkDerivation { pname = "x"; version = "1"; }\n';
const BROKEN = 'let\n  a = 1;\nin a +\n';

describe('nixforge scan', () => {
  it('reports the documented JSON shape with paths relative to the working directory', async () => {
    const root = makeTree({ 'pkgs/ok.nix': VALID, 'pkgs/bad.nix': BROKEN });
    const run = await runCli(['scan', 'pkgs', '--format', 'json'], root);
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout);
    expect(report.tool).toEqual({ name: 'nixforge', version: expect.any(String) });
    expect(report.files.map((f: { path: string }) => f.path)).toEqual(['pkgs/bad.nix', 'pkgs/ok.nix']);
    const bad = report.files[0];
    expect(bad.fileType).toBe('unknown');
    expect(bad.findings[0]).toMatchObject({ ruleId: 'nix/syntax-error', severity: 'error', line: 3 });
    expect(Object.keys(bad.findings[0]).sort()).toEqual(['column', 'endColumn', 'endLine', 'line', 'message', 'messageId', 'ruleId', 'severity']);
    expect(report.files[1]).toEqual({ path: 'pkgs/ok.nix', fileType: 'package', findings: [] });
    expect(report.summary).toMatchObject({ files: 2, filesWithFindings: 1, findings: 1, bySeverity: { error: 1 } });
  });

  it('exits 0 on a clean tree and 1 only at or above --fail-on', async () => {
    const root = makeTree({ 'a.nix': VALID, 'b.nix': BROKEN });
    expect((await runCli(['scan', 'a.nix'], root)).code).toBe(0);
    expect((await runCli(['scan', '.'], root)).code).toBe(1);
    expect((await runCli(['scan', '.', '--fail-on', 'never'], root)).code).toBe(0);
    expect((await runCli(['scan', '.', '--rule', 'nix/syntax-error=warning'], root)).code).toBe(0);
    expect((await runCli(['scan', '.', '--rule', 'nix/syntax-error=warning', '--fail-on', 'warning'], root)).code).toBe(1);
  });

  it('exits 2 with a message naming the flag, path or key on usage and configuration errors', async () => {
    const root = makeTree({ 'a.nix': VALID, 'bad-config/nixforge.config.json': '{ "rules": { "nix/syntax-error": "loud" } }' });
    const unknown = await runCli(['scan', '--frobnicate'], root);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/--frobnicate/);
    const missing = await runCli(['scan', 'nope/'], root);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/nope/);
    const badConfig = await runCli(['scan', '.'], join(root, 'bad-config'));
    expect(badConfig.code).toBe(2);
    expect(badConfig.stderr).toMatch(/rules\.nix\/syntax-error/);
    const unknownRule = await runCli(['scan', '.', '--rule', 'nix/no-such-rule=off'], root);
    expect(unknownRule.code).toBe(2);
    expect(unknownRule.stderr).toMatch(/nix\/no-such-rule/);
    const badThreads = await runCli(['scan', '.', '--threads', 'zero'], root);
    expect(badThreads.code).toBe(2);
    expect(badThreads.stderr).toMatch(/--threads/);
  });

  it('gives byte-identical reports with 1 and 2 threads', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 60; i += 1) files[`d${i % 7}/f${i}.nix`] = i % 5 === 0 ? BROKEN : VALID;
    // Files over 1 MiB are dispatched first, each alone; their reports must still come out in path order. Mostly
    // comments, so the size is there without tens of thousands of findings to report four times.
    const bigList = `{ a ? false }:\n[\n${'  a (a == true)\n'.repeat(500)}${'  # padding to pass 1 MiB\n'.repeat(45_000)}]\n`;
    files['d2/big.nix'] = bigList;
    files['d5/bigger.nix'] = `${bigList}${'# padding\n'.repeat(20_000)}`;
    const root = makeTree(files);
    const one = await runCli(['scan', '.', '-f', 'json', '--rule', 'lint/bool-comparison=warning', '--threads', '1'], root);
    const two = await runCli(['scan', '.', '-f', 'json', '--rule', 'lint/bool-comparison=warning', '--threads', '2'], root);
    expect(one.stdout).toBe(two.stdout);
    const report = JSON.parse(one.stdout) as { files: Array<{ path: string; findings: unknown[] }> };
    expect(report.files).toHaveLength(62);
    const paths = report.files.map((f) => f.path);
    expect(paths).toEqual([...paths].sort());
    expect(report.files.find((f) => f.path === 'd5/bigger.nix')!.findings.length).toBeGreaterThan(0);
    const sarifOne = await runCli(['scan', '.', '-f', 'sarif', '--rule', 'lint/bool-comparison=warning', '--threads', '1'], root);
    const sarifTwo = await runCli(['scan', '.', '-f', 'sarif', '--rule', 'lint/bool-comparison=warning', '--threads', '2'], root);
    expect(sarifOne.stdout).toBe(sarifTwo.stdout);
  });

  it('honours .gitignore, --exclude, hidden directories and the config ignores', async () => {
    const root = makeTree({
      '.git/HEAD': 'ref: refs/heads/main\n',
      '.gitignore': 'generated/\n',
      'generated/x.nix': VALID,
      '.hidden/y.nix': VALID,
      'sub/.gitignore': 'local.nix\n',
      'sub/local.nix': VALID,
      'sub/kept.nix': VALID,
      'vendor/v.nix': VALID,
      'top.nix': VALID,
      'nixforge.config.json': '{ "ignores": ["vendor/"] }',
    });
    const paths = async (...args: string[]) =>
      JSON.parse((await runCli(['scan', ...args, '-f', 'json'], root)).stdout).files.map((f: { path: string }) => f.path);
    expect(await paths('.')).toEqual(['sub/kept.nix', 'top.nix']);
    expect(await paths('.', '--hidden')).toEqual(['.hidden/y.nix', 'sub/kept.nix', 'top.nix']);
    expect(await paths('.', '--exclude', 'top.nix')).toEqual(['sub/kept.nix']);
  });

  it('never follows a symlink loop and reports dangling links', async () => {
    const root = makeTree({ 'a/x.nix': VALID });
    symlinkSync('..', join(root, 'a', 'loop'));
    symlinkSync('missing.nix', join(root, 'a', 'dangling.nix'));
    mkdirSync(join(root, 'dir.nix'));
    const run = await runCli(['scan', '.', '-f', 'json'], root);
    const report = JSON.parse(run.stdout);
    expect(report.files.map((f: { path: string }) => f.path)).toEqual(['a/dangling.nix', 'a/x.nix']);
    expect(report.files[0].error.code).toBe('read-error');
  });

  it('writes --output atomically and leaves no temporary files', async () => {
    const root = makeTree({ 'a.nix': BROKEN });
    const run = await runCli(['scan', '.', '-f', 'json', '-o', 'report.json'], root);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(JSON.parse(readFileSync(join(root, 'report.json'), 'utf8')).summary.findings).toBe(1);
    expect(readdirSync(root).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('writes --output to a pipe or device in place: it stays a pipe (as /dev/null stays a device)', async () => {
    const root = makeTree({ 'a.nix': BROKEN });
    expect(spawnSync('mkfifo', [join(root, 'report.pipe')]).status).toBe(0);
    const received = readFile(join(root, 'report.pipe'), 'utf8');
    const run = await runCli(['scan', '.', '-f', 'json', '-o', 'report.pipe'], root);
    expect(run.code).toBe(1);
    expect(JSON.parse(await received).summary.findings).toBe(1);
    expect(lstatSync(join(root, 'report.pipe')).isFIFO()).toBe(true);
    expect(readdirSync(root).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('skips files over --max-file-size but keeps them in the report', async () => {
    const root = makeTree({ 'big.nix': `[ ${'1 '.repeat(5000)}]`, 'small.nix': '1' });
    const report = JSON.parse((await runCli(['scan', '.', '-f', 'json', '--max-file-size', '1K'], root)).stdout);
    expect(report.files[0]).toMatchObject({ path: 'big.nix', error: { code: 'too-large' } });
    expect(report.files[1]).toMatchObject({ path: 'small.nix', findings: [] });
  });

  it('applies inline suppressions', async () => {
    const root = makeTree({
      'a.nix': '# nixforge-disable-next-line nix/syntax-error\nlet a = 1; in a +\n',
      'b.nix': '# nixforge-disable-file nix\nlet a = 1; in a +\n',
      'c.nix': '# nixforge-disable-next-line dead-code\nlet a = 1; in a +\n',
    });
    const report = JSON.parse((await runCli(['scan', '.', '-f', 'json'], root)).stdout);
    expect(report.files.map((f: { findings: unknown[] }) => f.findings.length)).toEqual([0, 0, 1]);
  });

  it('prints text with a code frame and a summary', async () => {
    const root = makeTree({ 'b.nix': BROKEN });
    const run = await runCli(['scan', '.'], root);
    expect(run.stdout).toContain('b.nix:3:');
    expect(run.stdout).toContain('[nix/syntax-error]');
    expect(run.stdout).toContain(' 3 | in a +');
    expect(run.stdout).toMatch(/1 finding \(1 error, 0 warnings, 0 info\) in 1 of 1 file\n$/);
  });

  it('prints errfmt, github and ndjson lines', async () => {
    const root = makeTree({ 'b.nix': BROKEN });
    expect((await runCli(['scan', '.', '-f', 'errfmt'], root)).stdout).toMatch(/^b\.nix:3:\d+: error: .* \[nix\/syntax-error\]\n$/);
    expect((await runCli(['scan', '.', '-f', 'github'], root)).stdout).toMatch(/^::error file=b\.nix,line=3,col=\d+,endLine=3,endColumn=\d+,title=nix\/syntax-error::/);
    const lines = (await runCli(['scan', '.', '-f', 'ndjson'], root)).stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => l.type)).toEqual(['finding', 'summary']);
    expect(lines[0]).toMatchObject({ path: 'b.nix', ruleId: 'nix/syntax-error' });
  });

  it('does not write the report file when the run is interrupted', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 400; i += 1) files[`f${i}.nix`] = VALID;
    const root = makeTree(files);
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('SIGINT')), 5);
    const run = await runCli(['scan', '.', '-f', 'json', '-o', 'out.json', '--threads', '1'], root, { signal: controller.signal });
    expect(run.code).toBe(2);
    expect(existsSync(join(root, 'out.json'))).toBe(false);
    expect(readdirSync(root).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});

describe('nixforge scan from another working directory', () => {
  it('resolves imports against the scanned file, not the process working directory', async () => {
    const root = makeTree({ 'a.nix': 'import ./b.nix { }\n', 'b.nix': '{ }: { }\n', 'c.nix': 'import ./missing.nix\n' });
    expect(process.cwd()).not.toBe(root);
    const report = JSON.parse((await runCli(['scan', '.', '-f', 'json', '--no-events', '--rule', 'deps/missing-import=error'], root)).stdout);
    const missing = report.files.flatMap((f: { path: string; findings: Array<{ ruleId: string }> }) =>
      f.findings.filter((x) => x.ruleId === 'deps/missing-import').map(() => f.path),
    );
    expect(missing).toEqual(['c.nix']);
  });
});
