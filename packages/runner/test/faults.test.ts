import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { makeTree, runCli } from './helpers/cli.js';

const FAULTY = fileURLToPath(new URL('./plugins/faulty.mjs', import.meta.url));

describe('faulty plugins', () => {
  it('turns a throwing rule into internal/rule-error for that file only', async () => {
    const root = makeTree({ 'a.nix': '# throw\n{ }', 'b.nix': '{ }' });
    const run = await runCli(['scan', '.', '-f', 'json', '--plugin', FAULTY], root);
    const files = JSON.parse(run.stdout).files;
    expect(files[0].findings.map((f: { ruleId: string }) => f.ruleId).sort()).toEqual(['faulty/reports', 'internal/rule-error']);
    expect(files[0].findings.find((f: { ruleId: string }) => f.ruleId === 'internal/rule-error').message).toMatch(/faulty\/throws.*a\.nix.*boom/);
    expect(files[1].findings.map((f: { ruleId: string }) => f.ruleId)).toEqual(['faulty/reports']);
    expect(run.code).toBe(2);
  });

  it('stops a rule that never returns with --file-timeout and goes on', async () => {
    const root = makeTree({ 'a.nix': '{ }', 'b.nix': '# hang\n{ }', 'c.nix': '{ }' });
    const run = await runCli(['scan', '.', '-f', 'json', '--plugin', FAULTY, '--file-timeout', '500', '--threads', '1'], root);
    const files = JSON.parse(run.stdout).files;
    expect(files.map((f: { path: string }) => f.path)).toEqual(['a.nix', 'b.nix', 'c.nix']);
    expect(files[1].error.code).toBe('timeout');
    expect(files[0].findings).toHaveLength(1);
    expect(files[2].findings).toHaveLength(1);
    expect(run.code).toBe(2);
  });

  it('retries a crashed batch file by file and reports the guilty file', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 10; i += 1) files[`f${i}.nix`] = i === 4 ? '# crash\n{ }' : '{ }';
    const root = makeTree(files);
    const run = await runCli(['scan', '.', '-f', 'json', '--plugin', FAULTY, '--threads', '2'], root);
    const reports = JSON.parse(run.stdout).files;
    expect(reports).toHaveLength(10);
    expect(reports[4].error.code).toBe('worker-crash');
    for (const [i, report] of reports.entries()) if (i !== 4) expect(report.findings).toHaveLength(1);
  });

  it('loads plugins named in the configuration, relative to the config file', async () => {
    const root = makeTree({ 'a.nix': '{ }', 'nixforge.config.json': JSON.stringify({ plugins: [FAULTY], rules: { 'faulty/reports': 'error' } }) });
    const run = await runCli(['scan', '.', '-f', 'json'], root);
    expect(JSON.parse(run.stdout).files[0].findings[0]).toMatchObject({ ruleId: 'faulty/reports', severity: 'error' });
    expect(run.code).toBe(1);
    const missing = makeTree({ 'a.nix': '{ }', 'nixforge.config.json': '{ "plugins": ["./nope.mjs"] }' });
    const bad = await runCli(['scan', '.'], missing);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/nope\.mjs/);
  });
});
