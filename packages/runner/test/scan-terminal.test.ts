import { describe, expect, it } from 'vitest';
import { PassThrough } from 'node:stream';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../src/cli.js';
import type { CliIO } from '../src/io.js';
import { wantsColor } from '../src/reporters/colors.js';
import { RuleTally, formatTopRules } from '../src/reporters/top-rules.js';
import { createProgress, formatProgressLine } from '../src/scan/progress.js';
import { makeTree } from './helpers/cli.js';

// One error (syntax) and three warnings: dead-code/unused-let (2) and lint/bool-comparison (1), both raised to
// warning by the tree's configuration (the recommended preset has unused-let at info).
const CONFIG = JSON.stringify({ rules: { 'dead-code/unused-let': 'warning', 'lint/bool-comparison': 'warning' } });
const FILES = {
  'nixforge.config.json': CONFIG,
  'a.nix': '{ x ? false }:\nlet unused = 1; other = 2; in if x == true then 1 else 2\n',
  'b.nix': 'let\n  a = 1;\nin a +\n',
};
const ESC = '\x1b[';

/** The environment of the test process without the colour variables, plus `extra`. */
function envWith(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.NO_COLOR;
  delete env.FORCE_COLOR;
  delete env.CI;
  return { ...env, ...extra };
}

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in-process; `tty` makes stdout (and stderr) claim to be a terminal. */
async function scan(args: string[], cwd: string, options: { env?: Record<string, string>; tty?: boolean } = {}): Promise<Run> {
  const stdout = new PassThrough() as PassThrough & { isTTY?: boolean };
  const stderr = new PassThrough() as PassThrough & { isTTY?: boolean };
  if (options.tty) stdout.isTTY = true;
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  stdout.on('data', (c: Buffer) => out.push(c));
  stderr.on('data', (c: Buffer) => err.push(c));
  const io: CliIO = { stdout, stderr, cwd, env: envWith(options.env) };
  const code = await main(['scan', '--threads', '1', ...args], io);
  await new Promise((resolve) => setImmediate(resolve));
  return { code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') };
}

const stripAnsi = (text: string): string => text.replace(new RegExp(`${ESC.replace('[', '\\[')}[0-9;]*m`, 'g'), '');

describe('terminal colour', () => {
  it('follows the terminal, NO_COLOR, FORCE_COLOR and --color/--no-color', () => {
    const tty = { isTTY: true };
    const pipe = { isTTY: false };
    expect(wantsColor(tty, {})).toBe(true);
    expect(wantsColor(pipe, {})).toBe(false);
    expect(wantsColor(tty, { TERM: 'dumb' })).toBe(false);
    expect(wantsColor(tty, { NO_COLOR: '1' })).toBe(false);
    expect(wantsColor(tty, { NO_COLOR: '' })).toBe(true);
    expect(wantsColor(pipe, { FORCE_COLOR: '1' })).toBe(true);
    expect(wantsColor(pipe, { FORCE_COLOR: '' })).toBe(true);
    expect(wantsColor(tty, { FORCE_COLOR: '0' })).toBe(false);
    expect(wantsColor(pipe, { FORCE_COLOR: '1', NO_COLOR: '1' })).toBe(true);
    expect(wantsColor(pipe, {}, true)).toBe(true);
    expect(wantsColor(tty, { FORCE_COLOR: '1' }, false)).toBe(false);
  });

  it('colours the text report on a terminal and nowhere else; the words are the same', async () => {
    const root = makeTree(FILES);
    const plain = await scan(['.'], root);
    expect(plain.stdout).not.toContain(ESC);
    const coloured = await scan(['.'], root, { tty: true });
    expect(coloured.code).toBe(plain.code);
    // Severity, rule id, caret line and totals are styled.
    expect(coloured.stdout).toContain(`${ESC}31merror${ESC}39m`);
    expect(coloured.stdout).toContain(`${ESC}33mwarning${ESC}39m`);
    expect(coloured.stdout).toContain(`${ESC}2m[lint/bool-comparison]${ESC}22m`);
    expect(coloured.stdout).toMatch(new RegExp(String.raw`\|\u001b\[22m +\u001b\[33m\^+\u001b\[39m\n`));
    expect(coloured.stdout).toContain(`${ESC}1m${ESC}31m4 findings`);
    expect(stripAnsi(coloured.stdout)).toBe(plain.stdout);

    expect((await scan(['.'], root, { tty: true, env: { NO_COLOR: '1' } })).stdout).toBe(plain.stdout);
    expect((await scan(['.', '--no-color'], root, { tty: true })).stdout).toBe(plain.stdout);
    expect((await scan(['.'], root, { env: { FORCE_COLOR: '1' } })).stdout).toBe(coloured.stdout);
    expect((await scan(['.'], root, { tty: true, env: { FORCE_COLOR: '0' } })).stdout).toBe(plain.stdout);
    // A report written to a file is never coloured; other formats never are.
    await scan(['.', '-o', 'report.txt'], root, { tty: true, env: { FORCE_COLOR: '1' } });
    expect(readFileSync(join(root, 'report.txt'), 'utf8')).toBe(plain.stdout);
    expect((await scan(['.', '-f', 'json'], root, { tty: true })).stdout).not.toContain(ESC);
  });
});

describe('--quiet, --max-warnings and the rule summary', () => {
  it('--quiet reports errors only and keeps the exit code of all findings', async () => {
    const root = makeTree(FILES);
    const quiet = await scan(['.', '--quiet', '--fail-on', 'warning'], root);
    expect(quiet.code).toBe(1);
    expect(quiet.stdout).toContain('b.nix:3:6: error:');
    expect(quiet.stdout).not.toContain('warning:');
    expect(quiet.stdout).toContain('1 finding (1 error, 0 warnings, 0 info) in 1 of 2 files');
    const json = JSON.parse((await scan(['.', '-q', '-f', 'json', '--rule', 'nix/syntax-error=off'], root)).stdout) as {
      files: Array<{ findings: unknown[] }>;
      summary: { findings: number };
    };
    expect(json.files.flatMap((f) => f.findings)).toEqual([]);
    expect(json.summary.findings).toBe(0);
  });

  it('--max-warnings N exits 1 only when there are more than N warnings', async () => {
    const root = makeTree({ 'nixforge.config.json': CONFIG, 'a.nix': FILES['a.nix'] });
    expect((await scan(['.'], root)).code).toBe(0);
    const over = await scan(['.', '--max-warnings', '2'], root);
    expect(over.code).toBe(1);
    expect(over.stderr).toContain('3 warnings, more than --max-warnings 2 allows; exit 1');
    expect((await scan(['.', '--max-warnings', '3'], root)).code).toBe(0);
    expect((await scan(['.', '--max-warnings', '0', '--rule', 'dead-code/unused-let=off', '--rule', 'lint/bool-comparison=off'], root)).code).toBe(0);
    const bad = await scan(['.', '--max-warnings', 'many'], root);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--max-warnings');
  });

  it('ends the text report with the rules that found most, their level and how to turn one off; --stats on stderr', async () => {
    const root = makeTree(FILES);
    const run = await scan(['.'], root);
    expect(run.stdout).toContain(
      [
        '',
        'Findings by rule:',
        '  2  warning  dead-code/unused-let',
        '  1  warning  lint/bool-comparison',
        '  1  error    nix/syntax-error',
        'Turn a rule off: --rule dead-code/unused-let=off (or "rules" in nixforge.config.json)',
        'See what a rule checks and why: nixforge explain dead-code/unused-let',
        '',
        '4 findings (1 error, 3 warnings, 0 info) in 2 of 2 files',
        '',
      ].join('\n'),
    );
    // The totals stay the last line; a clean run prints only them.
    expect((await scan(['a.nix', '--rule', 'dead-code/unused-let=off', '--rule', 'lint/bool-comparison=off'], root)).stdout).toBe('0 findings (0 errors, 0 warnings, 0 info) in 0 of 1 file\n');

    const json = await scan(['.', '-f', 'json', '--stats'], root);
    expect(JSON.parse(json.stdout).summary.findings).toBe(4);
    expect(json.stderr).toContain('Findings by rule:\n  2  warning  dead-code/unused-let\n');
    expect((await scan(['.', '-f', 'json'], root)).stderr).not.toContain('Findings by rule');
  });

  it('shows at most ten rules, most findings first, ties by id', () => {
    const tally = new RuleTally();
    const findings = [];
    for (let rule = 0; rule < 12; rule += 1) {
      for (let n = 0; n <= rule % 4; n += 1) findings.push({ ruleId: `p/r${String(rule).padStart(2, '0')}`, severity: 'info' as const, message: '', line: 1, column: 1, endLine: 1, endColumn: 2 });
    }
    tally.add({ path: 'x.nix', fileType: 'unknown', findings });
    const text = formatTopRules(tally.top(), tally.size);
    const lines = text.split('\n');
    expect(lines[0]).toBe('Rules with the most findings (10 of 12 rules):');
    expect(lines.slice(1, 11).map((l) => l.trim().split(/\s+/)[2])).toEqual(['p/r03', 'p/r07', 'p/r11', 'p/r02', 'p/r06', 'p/r10', 'p/r01', 'p/r05', 'p/r09', 'p/r00']);
    expect(lines[1]).toBe('  4  info     p/r03');
  });
});

describe('progress line', () => {
  it('shows files/s and an ETA once a second has passed', () => {
    expect(formatProgressLine(5, 100, 500, 'a.nix', 80)).toBe('[5/100] a.nix');
    expect(formatProgressLine(50, 200, 2000, 'pkgs/a.nix', 80)).toBe('[50/200] 25 files/s, ETA 0:06 pkgs/a.nix');
    expect(formatProgressLine(3, 10_000, 2000, 'a.nix', 80)).toBe('[3/10000] 1.5 files/s, ETA 1:51:05 a.nix');
    expect(formatProgressLine(200, 200, 4000, 'z.nix', 80)).toBe('[200/200] 50 files/s z.nix');
    const long = formatProgressLine(1, 2, 0, `${'d/'.repeat(100)}x.nix`, 60);
    expect(long.length).toBeLessThanOrEqual(60);
    expect(long).toMatch(/^\[1\/2\] ….*x\.nix$/);
  });

  it('draws on a terminal only', () => {
    let clock = 0;
    const written: string[] = [];
    const tty = Object.assign(new PassThrough(), { isTTY: true, columns: 80 });
    tty.on('data', (c: Buffer) => written.push(c.toString()));
    const progress = createProgress(tty, 3, true, () => clock);
    clock = 1500;
    progress.tick('a.nix');
    clock = 3000;
    progress.tick('b.nix');
    progress.done();
    tty.end();
    expect(written.join('')).toContain('\r\x1b[K[1/3] 0.7 files/s, ETA 0:03 a.nix');
    const pipe = new PassThrough();
    const silent = createProgress(pipe, 3, true);
    silent.tick('a.nix');
    silent.done();
    expect(pipe.read()).toBeNull();
  });
});
