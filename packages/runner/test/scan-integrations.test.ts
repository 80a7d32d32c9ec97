import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { PassThrough, Readable } from 'node:stream';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import { main } from '../src/cli.js';
import type { CliIO } from '../src/io.js';
import { SCAN_FLAGS, scanHelp } from '../src/commands/scan.js';
import { makeTree, runCli } from './helpers/cli.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const BIN = join(HERE, '..', 'bin', 'nixforge.js');
const FIXABLE = '{ lib, unused, ... }:\nlet dead = 1; in lib.id\n';
// The recommended preset keeps these rules off or at info; the tests need warnings with fixes.
const CONFIG = JSON.stringify({ rules: { 'dead-code/unused-formal': 'warning', 'dead-code/unused-let': 'warning', 'lint/bool-comparison': 'warning' } });

function envWithoutEvents(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.NIXFORGE_EVENTS;
  delete env.NIXFORGE_NATS_URL;
  delete env.FORCE_COLOR;
  delete env.NO_COLOR;
  return env;
}

/** Runs `nixforge scan` in-process with `text` on stdin. */
async function scanStdin(args: string[], cwd: string, text: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  stdout.on('data', (c: Buffer) => out.push(c));
  stderr.on('data', (c: Buffer) => err.push(c));
  const io: CliIO = { stdout, stderr, stdin: Readable.from([Buffer.from(text)]), cwd, env: envWithoutEvents() };
  const code = await main(['scan', '--threads', '1', ...args], io);
  await new Promise((resolve) => setImmediate(resolve));
  return { code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') };
}

describe('the local event log is opt-in', () => {
  it('writes nothing into the repository unless --events, NIXFORGE_EVENTS or the config asks', async () => {
    const root = makeTree({ 'nixforge.config.json': CONFIG, 'a.nix': FIXABLE });
    const env = envWithoutEvents();
    expect((await runCli(['scan', '.'], root, { env })).code).toBe(0);
    expect(existsSync(join(root, '.nixforge'))).toBe(false);
    // --no-events stays accepted (it is the default now).
    expect((await runCli(['scan', '.', '--no-events'], root, { env })).code).toBe(0);

    await runCli(['scan', '.', '--events', 'flag.ndjson'], root, { env });
    const types = readFileSync(join(root, 'flag.ndjson'), 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { type: string }).type);
    expect(types[0]).toBe('nixforge.scan.started');
    expect(types.at(-1)).toBe('nixforge.scan.completed');

    await runCli(['scan', '.'], root, { env: { ...env, NIXFORGE_EVENTS: 'env.ndjson' } });
    expect(existsSync(join(root, 'env.ndjson'))).toBe(true);

    const configured = makeTree({ 'nixforge.config.json': JSON.stringify({ ...JSON.parse(CONFIG), events: 'logs/scan.ndjson' }), 'sub/a.nix': FIXABLE });
    await runCli(['scan', '.'], join(configured, 'sub'), { env });
    expect(readFileSync(join(configured, 'logs', 'scan.ndjson'), 'utf8')).toContain('"nixforge.scan.completed"');
    await runCli(['scan', '.'], join(configured, 'sub'), { env: { ...env, NIXFORGE_EVENTS: 'off' } });
    expect(readFileSync(join(configured, 'logs', 'scan.ndjson'), 'utf8').trim().split('\n').filter((l) => l.includes('scan.completed'))).toHaveLength(1);

    const invalid = makeTree({ 'nixforge.config.json': '{ "events": "" }', 'a.nix': FIXABLE });
    const bad = await runCli(['scan', '.'], invalid, { env });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('events');
  });
});

describe('scan --stdin', () => {
  it('lints standard input as if it were --stdin-filename, with that file’s type and configuration', async () => {
    const root = makeTree({
      'project/nixforge.config.json': '{ "rules": { "dead-code/unused-let": "off", "dead-code/unused-formal": "warning" } }',
      'project/pkgs/.keep': '',
    });
    const run = await scanStdin(['--stdin', '--stdin-filename', 'project/pkgs/foo.nix', '-f', 'json'], root, FIXABLE);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as { files: Array<{ path: string; fileType: string; findings: Array<{ ruleId: string }> }> };
    expect(report.files).toHaveLength(1);
    expect(report.files[0]!.path).toBe('project/pkgs/foo.nix');
    // The config next to the file turned dead-code/unused-let off; unused-formal still reports `unused`.
    expect(report.files[0]!.findings.map((f) => f.ruleId)).toEqual(['dead-code/unused-formal']);

    const flake = await scanStdin(['--stdin', '--stdin-filename', 'flake.nix', '-f', 'json'], root, '{ outputs = { self }: { }; }\n');
    expect((JSON.parse(flake.stdout) as { files: Array<{ fileType: string }> }).files[0]!.fileType).toBe('flake');

    const broken = await scanStdin(['--stdin'], root, 'let a = 1; in a +\n');
    expect(broken.code).toBe(1);
    expect(broken.stdout).toContain('<stdin>:1:');
  });

  it('--fix --stdin prints the fixed text and changes no file', async () => {
    const root = makeTree({ 'nixforge.config.json': CONFIG, 'a.nix': FIXABLE });
    const run = await scanStdin(['--stdin', '--fix', '--stdin-filename', 'a.nix'], root, FIXABLE);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('{ lib, ... }:\nlib.id\n');
    expect(run.stderr).toContain('applied 2 fix(es) to a.nix');
    expect(readFileSync(join(root, 'a.nix'), 'utf8')).toBe(FIXABLE);
  });

  it('refuses combinations that make no sense', async () => {
    const root = makeTree({});
    for (const args of [['--stdin-filename', 'a.nix'], ['--stdin', 'a.nix'], ['--stdin', '--fix-dry-run'], ['--stdin', '--rev', 'HEAD']]) {
      const run = await scanStdin(args, root, '1');
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stderr).toMatch(/--stdin/);
    }
  });
});

describe('scan --format rdjson', () => {
  it('writes a DiagnosticResult that matches reviewdog’s schema, with fixes as suggestions and UTF-8 byte columns', async () => {
    const root = makeTree({ 'nixforge.config.json': CONFIG, 'a.nix': FIXABLE, 'b.nix': '{ x ? false }:\n{ s = "ä😀"; y = x == true; }\n', 'c.nix': 'let a = 1; in a +\n' });
    const run = await runCli(['scan', '.', '-f', 'rdjson', '--threads', '1'], root, { env: envWithoutEvents() });
    expect(run.code).toBe(1);
    const result = JSON.parse(run.stdout) as {
      source: { name: string };
      diagnostics: Array<{ message: string; location: { path: string; range: { start: { line: number; column: number } } }; severity: string; code: { value: string; url?: string }; suggestions?: Array<{ text: string }> }>;
    };
    const schema = JSON.parse(readFileSync(join(HERE, 'schemas', 'rdjson.schema.json'), 'utf8')) as object;
    const validate = new Ajv({ allErrors: true }).compile(schema);
    expect(validate(result), JSON.stringify(validate.errors)).toBe(true);
    expect(result.source.name).toBe('nixforge');

    const unusedFormal = result.diagnostics.find((d) => d.code.value === 'dead-code/unused-formal')!;
    expect(unusedFormal).toMatchObject({ severity: 'WARNING', location: { path: 'a.nix', range: { start: { line: 1, column: 8 } } } });
    expect(unusedFormal.code.url).toMatch(/^https:\/\//);
    expect(unusedFormal.suggestions!.map((s) => s.text)).toEqual(['']);
    // `x == true` starts at UTF-16 column 18 of line 2 (the JSON report's column); before it, "ä" is 2 bytes in
    // UTF-8 (1 code unit) and "😀" 4 (2 code units), so its UTF-8 column is 21.
    const json = JSON.parse((await runCli(['scan', 'b.nix', '-f', 'json', '--threads', '1'], root, { env: envWithoutEvents() })).stdout) as { files: Array<{ findings: Array<{ ruleId: string; column: number }> }> };
    expect(json.files[0]!.findings.find((f) => f.ruleId === 'lint/bool-comparison')!.column).toBe(18);
    const bool = result.diagnostics.find((d) => d.code.value === 'lint/bool-comparison')!;
    expect(bool.location.range.start).toEqual({ line: 2, column: 21 });
    expect(result.diagnostics.find((d) => d.code.value === 'nix/syntax-error')!.severity).toBe('ERROR');
  });
});

describe('scan help and a closed stdout', () => {
  it('lists every flag of the parser in the help, once', () => {
    const help = scanHelp();
    for (const [name, spec] of Object.entries(SCAN_FLAGS)) {
      expect(help.match(new RegExp(`--${name}\\b(?!-)`, 'g'))?.length ?? 0, name).toBeGreaterThanOrEqual(1);
      if ('short' in spec) expect(help).toContain(`-${spec.short}, --${name}`);
    }
  });

  it('is what the README shows for nixforge scan', () => {
    const readme = readFileSync(join(HERE, '..', '..', '..', 'README.md'), 'utf8');
    const options = scanHelp().split('\n').slice(4).join('\n').trimEnd();
    expect(readme).toContain(`\`\`\`\nnixforge scan [PATH...] [options]\n\n${options}\n\`\`\``);
  });

  it('stops quietly with status 141 when the reader closes the pipe (nixforge scan | head -1)', async () => {
    const files: Record<string, string> = { 'nixforge.config.json': CONFIG };
    for (let i = 0; i < 400; i += 1) files[`f${String(i).padStart(3, '0')}.nix`] = FIXABLE;
    const root = makeTree(files);
    const child = spawn(process.execPath, [BIN, 'scan', '.', '-f', 'json', '--threads', '1'], { cwd: root, env: envWithoutEvents(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    expect(stderr).not.toContain('internal error');
    expect(stderr).not.toContain('EPIPE');
    expect(code).toBe(141);
  }, 60_000);
});
