import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeTree, runCli } from './helpers/cli.js';

const STYLE_AND_ERROR = '{ a ? false }:\n{\n  x = a == true;\n  y = missing;\n}\n';
const IFD = '{ pkgs }:\n{\n  a = import (pkgs.runCommand "gen" { } "echo 1 > $out");\n  # nixforge-disable-next-line security/import-from-derivation\n  b = import (pkgs.runCommand "gen" { } "echo 2 > $out");\n}\n';

interface Report {
  files: Array<{ path: string; findings: Array<{ ruleId: string; severity: string; line: number }> }>;
}

async function scan(files: Record<string, string>, config?: unknown, extra: string[] = []): Promise<{ code: number; stderr: string; findings: Array<{ ruleId: string; severity: string; line: number }> }> {
  const root = makeTree(files);
  if (config !== undefined) writeFileSync(join(root, 'nixforge.config.json'), JSON.stringify(config));
  const run = await runCli(['scan', '.', '-f', 'json', '--no-events', '--fail-on', 'never', '--threads', '1', ...extra], root);
  const findings = run.code === 2 ? [] : (JSON.parse(run.stdout) as Report).files.flatMap((f) => f.findings);
  return { code: run.code, stderr: run.stderr, findings };
}

const rules = (findings: Array<{ ruleId: string }>): string[] => findings.map((f) => f.ruleId).sort();

describe('presets', () => {
  it('the default (no configuration) is recommended: Nix errors yes, style no', async () => {
    const { findings } = await scan({ 'a.nix': STYLE_AND_ERROR });
    expect(rules(findings)).toEqual(['nix/undefined-variable']);
  });

  it('"extends" picks presets; a list unites them; `rules` overrides them', async () => {
    expect(rules((await scan({ 'a.nix': STYLE_AND_ERROR }, { extends: 'style' })).findings)).toEqual(['lint/bool-comparison']);
    expect(rules((await scan({ 'a.nix': STYLE_AND_ERROR }, { extends: ['recommended', 'style'] })).findings)).toEqual(['lint/bool-comparison', 'nix/undefined-variable']);
    const all = await scan({ 'a.nix': STYLE_AND_ERROR }, { extends: 'all', rules: { 'lint/bool-comparison': 'warning', 'nix/undefined-variable': 'off' } });
    expect(all.findings.filter((f) => f.ruleId.startsWith('lint/bool') || f.ruleId.startsWith('nix/'))).toEqual([
      expect.objectContaining({ ruleId: 'lint/bool-comparison', severity: 'warning' }),
    ]);
    const strict = await scan({ 'a.nix': STYLE_AND_ERROR }, { extends: 'strict' });
    expect(rules(strict.findings)).toEqual(['nix/undefined-variable']);
  });

  it('an unknown preset is a configuration error naming the key (exit 2)', async () => {
    const bad = await scan({ 'a.nix': '1\n' }, { extends: 'eslint:recommended' });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('extends: must be one of "recommended", "strict", "style", "all"');
    const inList = await scan({ 'a.nix': '1\n' }, { extends: ['strict', 'bogus'] });
    expect(inList.stderr).toContain('extends[1]: must be one of');
    expect((await scan({ 'a.nix': '1\n' }, { extends: [] })).code).toBe(2);
  });
});

describe('one problem, one finding: import from derivation', () => {
  it('is reported once, by performance/import-from-derivation; a suppression with the former id still works', async () => {
    const { findings } = await scan({ 'a.nix': IFD }, { extends: 'all' });
    expect(findings.filter((f) => f.ruleId.includes('import-from-derivation'))).toEqual([
      expect.objectContaining({ ruleId: 'performance/import-from-derivation', line: 3 }),
    ]);
  });

  it('the former id security/import-from-derivation still configures it, in the file and with --rule', async () => {
    const off = await scan({ 'a.nix': IFD }, { rules: { 'security/import-from-derivation': 'off' } });
    expect(off.code).toBe(0);
    expect(off.findings.filter((f) => f.ruleId.includes('import-from-derivation'))).toEqual([]);
    const error = await scan({ 'a.nix': IFD }, undefined, ['--rule', 'security/import-from-derivation=error']);
    expect(error.findings.filter((f) => f.ruleId.includes('import-from-derivation'))).toEqual([
      expect.objectContaining({ ruleId: 'performance/import-from-derivation', severity: 'error' }),
    ]);
  });
});

describe('presets of third-party plugins', () => {
  const plugin = (presets: unknown): string => `export default {
  name: 'house',
  rules: {
    ints: {
      meta: { description: 'integers', severity: 'info', presets: ${JSON.stringify(presets)} },
      create(context) { return { integer_expression(node) { context.report({ node, message: 'an integer' }); } }; },
    },
  },
};
`;

  it('a rule declaring meta.presets joins those presets only', async () => {
    const files = { 'a.nix': '1\n', 'house.mjs': plugin(['style']) };
    const byDefault = await scan(files, { plugins: ['./house.mjs'] });
    expect(rules(byDefault.findings)).toEqual([]);
    const withStyle = await scan(files, { plugins: ['./house.mjs'], extends: ['recommended', 'style'] });
    expect(rules(withStyle.findings)).toEqual(['house/ints']);
  });

  it('an invalid meta.presets is a usage error naming the plugin and rule', async () => {
    const bad = await scan({ 'a.nix': '1\n', 'house.mjs': plugin(['everything']) }, { plugins: ['./house.mjs'] });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('plugin "./house.mjs": rule "ints": meta.presets must list');
  });
});
