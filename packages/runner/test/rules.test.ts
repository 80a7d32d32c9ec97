import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { builtinPlugins } from '@nixforge/plugins';
import { runCli } from './helpers/cli.js';

const EXAMPLE_PLUGIN = fileURLToPath(new URL('../../plugins/examples/nixforge-plugin-example/index.mjs', import.meta.url));
const builtinCount = builtinPlugins.reduce((n, p) => n + Object.keys(p.rules).length, 0);

function emptyDir(): string {
  return mkdtempSync(join(tmpdir(), 'nixforge-rules-'));
}

describe('nixforge rules', () => {
  it('lists every built-in rule as JSON with id, severity, fixable and description', async () => {
    const run = await runCli(['rules', '--format', 'json'], emptyDir());
    expect(run.code).toBe(0);
    const rules = JSON.parse(run.stdout) as Array<Record<string, unknown>>;
    expect(rules).toHaveLength(builtinCount);
    const ids = rules.map((r) => r.id as string);
    expect(ids).toEqual([...ids].sort());
    expect(rules.find((r) => r.id === 'security/unpinned-fetcher')).toMatchObject({
      plugin: 'security',
      severity: 'warning',
      fixable: false,
      url: 'https://github.com/nixforge/nixforge/blob/main/docs/rules.md#security-unpinned-fetcher',
    });
    expect(rules.find((r) => r.id === 'performance/unneeded-rec')).toMatchObject({ fixable: true, severity: 'info' });
  });

  it('shows each rule\'s presets, default level, reason and former ids', async () => {
    const rules = JSON.parse((await runCli(['rules', '--format', 'json'], emptyDir())).stdout) as Array<Record<string, unknown>>;
    expect(rules.find((r) => r.id === 'nix/undefined-variable')).toMatchObject({
      severity: 'error',
      defaultLevel: 'error',
      presets: ['recommended', 'strict', 'all'],
      disabledByDefault: false,
    });
    expect(rules.find((r) => r.id === 'lint/repeated-keys')).toMatchObject({ defaultLevel: 'off', presets: ['all'], disabledByDefault: true });
    expect(rules.find((r) => r.id === 'lint/useless-parens')).toMatchObject({ defaultLevel: 'off', presets: ['style', 'all'] });
    expect(rules.find((r) => r.id === 'performance/import-from-derivation')).toMatchObject({
      aliases: ['security/import-from-derivation'],
      tags: ['performance', 'security'],
    });
    expect(rules.find((r) => r.id === 'security/import-from-derivation')).toBeUndefined();
    for (const rule of rules) expect(rule.severityReason, String(rule.id)).toEqual(expect.any(String));
  });

  it('docs/rules.md is generated from the current metadata', () => {
    const script = fileURLToPath(new URL('../scripts/gen-rules-doc.mjs', import.meta.url));
    const check = spawnSync(process.execPath, [script, '--check'], { encoding: 'utf8' });
    expect(check.stderr).toBe('');
    expect(check.status).toBe(0);
  });

  it('prints an aligned text table with a count', async () => {
    const run = await runCli(['rules'], emptyDir());
    expect(run.code).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(builtinCount + 3);
    expect(lines[0]).toMatch(/^RULE\s+DEFAULT\s+LEVEL\s+PRESETS\s+FLAGS\s+DESCRIPTION$/);
    const rec = lines.find((l) => l.startsWith('performance/unneeded-rec '))!;
    expect(rec).toMatch(/^performance\/unneeded-rec\s+off\s+info\s+style\s+fix\s+A `rec` attribute set/);
    expect(lines.find((l) => l.startsWith('nix/syntax-error '))).toMatch(/^nix\/syntax-error\s+error\s+error\s+recommended\s+The file/);
    expect(lines.at(-1)).toMatch(new RegExp(`^${builtinCount} rules \\(\\d+ fixable, \\d+ on by default\\)`));
  });

  it('includes rules of --plugin and of configured plugins', async () => {
    const withFlag = await runCli(['rules', '--format', 'json', '--plugin', EXAMPLE_PLUGIN], emptyDir());
    expect(withFlag.code).toBe(0);
    const ids = (JSON.parse(withFlag.stdout) as Array<{ id: string }>).map((r) => r.id);
    expect(ids).toEqual(expect.arrayContaining(['example/missing-meta', 'example/prefer-hash']));

    const dir = emptyDir();
    writeFileSync(join(dir, 'nixforge.config.json'), JSON.stringify({ plugins: [EXAMPLE_PLUGIN] }));
    const fromConfig = await runCli(['rules'], dir);
    expect(fromConfig.stdout).toMatch(/^example\/prefer-hash\s+warning\s+warning\s+recommended\s+fix\s+/m);
  });

  it('exits 2 on a bad format, a stray argument or a missing plugin', async () => {
    expect((await runCli(['rules', '--format', 'xml'], emptyDir())).stderr).toMatch(/--format: unknown format 'xml'/);
    expect((await runCli(['rules', 'extra'], emptyDir())).code).toBe(2);
    const missing = await runCli(['rules', '--plugin', './nope.mjs'], emptyDir());
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/plugin "\.\/nope\.mjs"/);
  });
});

describe('nixforge explain', () => {
  it('prints description, explanation, bad and good examples and the docs link', async () => {
    const run = await runCli(['explain', 'security/unpinned-fetcher'], emptyDir());
    expect(run.code).toBe(0);
    const rule = builtinPlugins.find((p) => p.name === 'security')!.rules['unpinned-fetcher']!;
    expect(run.stdout.startsWith('security/unpinned-fetcher (warning)\n\n')).toBe(true);
    expect(run.stdout).toContain(rule.meta.description);
    expect(run.stdout).toContain(rule.meta.docs!.explanation!);
    expect(run.stdout).toContain(`Bad:\n\n    ${rule.meta.docs!.bad!.split('\n')[0]}`);
    expect(run.stdout).toContain(`Good:\n\n    ${rule.meta.docs!.good!.split('\n')[0]}`);
    expect(run.stdout).toContain('Documentation: https://github.com/nixforge/nixforge/blob/main/docs/rules.md#security-unpinned-fetcher');
    expect(run.stdout).toContain(`Level: warning - ${rule.meta.severityReason}`);
    expect(run.stdout).toContain('Presets: recommended, strict, all');
  });

  it('explains a rule by a former id, and says a rule is off by default', async () => {
    const run = await runCli(['explain', 'security/import-from-derivation'], emptyDir());
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^performance\/import-from-derivation \(warning, off by default\)\n/);
    expect(run.stdout).toContain('Also known as: security/import-from-derivation');
    const off = await runCli(['explain', 'lint/repeated-keys'], emptyDir());
    expect(off.stdout).toMatch(/^lint\/repeated-keys \(info, off by default\)\n/);
    expect(off.stdout).toContain('Presets: all\n');
  });

  it('shows options and fixability, and JSON on request', async () => {
    const text = await runCli(['explain', 'performance/with-large-scope'], emptyDir());
    expect(text.stdout).toContain('Options (defaults): {"maxBodyLines":10}');
    const json = await runCli(['explain', 'performance/unneeded-rec', '--format', 'json'], emptyDir());
    expect(JSON.parse(json.stdout)).toMatchObject({ id: 'performance/unneeded-rec', fixable: true, severity: 'info' });
  });

  it('explains plugin rules loaded with --plugin', async () => {
    const run = await runCli(['explain', 'example/prefer-hash', '--plugin', EXAMPLE_PLUGIN], emptyDir());
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^example\/prefer-hash \(warning, fixable\)/);
    expect(run.stdout).toContain('sha256 = "sha256-AAAA"');
  });

  it('exits 2 naming an unknown rule, with suggestions', async () => {
    const unknown = await runCli(['explain', 'security/no-such-rule'], emptyDir());
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown rule 'security/no-such-rule'");
    const short = await runCli(['explain', 'unpinned-fetcher'], emptyDir());
    expect(short.code).toBe(2);
    expect(short.stderr).toContain('did you mean security/unpinned-fetcher?');
    expect((await runCli(['explain'], emptyDir())).code).toBe(2);
  });
});
