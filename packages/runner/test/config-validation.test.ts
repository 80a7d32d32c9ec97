import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateConfig } from '../src/config/config-file.js';
import { makeTree, runCli } from './helpers/cli.js';

async function scanWith(config: string): Promise<{ code: number; stderr: string; file: string }> {
  const root = makeTree({ 'a.nix': '1\n' });
  const file = join(root, 'nixforge.config.json');
  writeFileSync(file, config);
  const run = await runCli(['scan', '.', '-f', 'json', '--no-events', '--threads', '1'], root);
  return { code: run.code, stderr: run.stderr, file };
}

describe('nixforge.config.json validation', () => {
  it('a bad configuration exits 2 naming the file, each bad key and what it should be', async () => {
    const run = await scanWith(JSON.stringify({ threads: 0, rules: { 'lint/x': 'loud' }, ignore: ['*.nix'] }));
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`invalid configuration ${run.file}: ignore: unknown field (expected $schema, plugins, extends, rules, ignores, threads, failOn, events)`);
    expect(run.stderr).toContain(`invalid configuration ${run.file}: threads: expected a number of worker threads (an integer from 1 to 256), got 0`);
    expect(run.stderr).toContain(`invalid configuration ${run.file}: rules.lint/x: must be one of "off", "info", "warning", "error"`);
  });

  it('a file that is not JSON exits 2 naming the file', async () => {
    const run = await scanWith('{ "rules": ');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`invalid configuration ${run.file}: not valid JSON`);
  });

  it('names the problem inside a [level, options] setting', () => {
    expect(() => validateConfig({ rules: { a: ['error', 3] } }, 'c.json')).toThrow('invalid configuration c.json: rules.a[1]: expected an object, got 3');
    expect(() => validateConfig({ rules: { a: ['error', {}, 1] } }, 'c.json')).toThrow('invalid configuration c.json: rules.a: expected [level] or [level, options], got ["error",{},1]');
    expect(() => validateConfig([], 'c.json')).toThrow('invalid configuration c.json: expected an object, got []');
    expect(validateConfig({ extends: ['strict'], rules: { a: 'off', b: ['warning', { max: 3 }] }, failOn: 'never' }, 'c.json').failOn).toBe('never');
  });
});
