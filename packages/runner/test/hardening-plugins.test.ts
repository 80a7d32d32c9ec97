import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { evaluationTrap } from '@nixforge/fixtures';
import { makeTree, runCli } from './helpers/cli.js';

const FAULTY = fileURLToPath(new URL('./plugins/faulty.mjs', import.meta.url));
const HOSTILE = fileURLToPath(new URL('./plugins/hostile.mjs', import.meta.url));

interface JsonFinding {
  ruleId: string;
  message: string;
  severity: string;
}
interface JsonFile {
  path: string;
  error?: { code: string; message: string };
  findings: JsonFinding[];
}

function filesOf(stdout: string): JsonFile[] {
  return (JSON.parse(stdout) as { files: JsonFile[] }).files;
}

const ruleIds = (file: JsonFile): string[] => file.findings.map((f) => f.ruleId).sort();

describe('hardening: faulty plugins', () => {
  it('reports a throwing rule as internal/rule-error naming rule and file; other rules and files unaffected', async () => {
    const root = makeTree({ 'a.nix': '# throw\n{ a = 1; }', 'b.nix': '{ b = 1; }', 'c.nix': '# throw\nlet x = 1; in y' });
    const run = await runCli(['scan', '.', '-f', 'json', '--no-events', '--plugin', FAULTY, '--plugin', HOSTILE], root);
    const [a, b, c] = filesOf(run.stdout);
    expect(ruleIds(a!)).toEqual(['faulty/reports', 'hostile/reports-files', 'internal/rule-error']);
    expect(a!.findings.find((f) => f.ruleId === 'internal/rule-error')!.message).toBe('rule faulty/throws failed on a.nix: boom');
    expect(ruleIds(b!)).toEqual(['faulty/reports', 'hostile/reports-files']);
    // Built-in rules still run on a file where a plugin rule threw.
    expect(ruleIds(c!)).toEqual(expect.arrayContaining(['hostile/reports-files', 'internal/rule-error', 'nix/undefined-variable']));
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/2 file\(s\) hit an internal failure/);
  });

  it('stops a rule that never returns (pure JavaScript) with --file-timeout, replaces the worker and goes on', async () => {
    const root = makeTree({ 'a.nix': '{ }', 'b.nix': '# hang\n{ }', 'c.nix': '{ }', 'd.nix': '# hang\n{ }', 'e.nix': '{ }' });
    const run = await runCli(['scan', '.', '-f', 'json', '--no-events', '--plugin', FAULTY, '--file-timeout', '800', '--threads', '1'], root);
    const files = filesOf(run.stdout);
    expect(files.map((f) => f.path)).toEqual(['a.nix', 'b.nix', 'c.nix', 'd.nix', 'e.nix']);
    for (const stuck of [files[1]!, files[3]!]) {
      expect(stuck.error).toEqual({ code: 'timeout', message: 'analysis took longer than --file-timeout 800 ms and was stopped' });
    }
    // One thread: files after each timeout were analysed by a replacement worker.
    for (const ok of [files[0]!, files[2]!, files[4]!]) expect(ruleIds(ok)).toEqual(['faulty/reports']);
    expect(run.code).toBe(2);
  });

  it('stops a rule that never returns while calling into tree-sitter without aborting the process', async () => {
    // Terminating a worker inside a tree-sitter call used to abort the whole process (a C++ exception from
    // the binding); the worker is now stopped at a safe point.
    const root = makeTree({ 'a.nix': '{ }', 'b.nix': '# native-spin\n{ a = [ 1 2 3 ]; }', 'c.nix': '{ }' });
    const run = await runCli(['scan', '.', '-f', 'json', '--no-events', '--plugin', HOSTILE, '--file-timeout', '800', '--threads', '1'], root);
    const files = filesOf(run.stdout);
    expect(files[1]!.error?.code).toBe('timeout');
    expect(ruleIds(files[0]!)).toEqual(['hostile/reports-files']);
    expect(ruleIds(files[2]!)).toEqual(['hostile/reports-files']);
    expect(run.code).toBe(2);
  });

  it('retries a crashed batch file by file and reports only the guilty file', async () => {
    const tree: Record<string, string> = {};
    for (let i = 0; i < 12; i += 1) tree[`f${String(i).padStart(2, '0')}.nix`] = i === 5 ? '# crash\n{ }' : '{ }';
    const root = makeTree(tree);
    const run = await runCli(['scan', '.', '-f', 'json', '--no-events', '--plugin', FAULTY, '--threads', '2'], root);
    const files = filesOf(run.stdout);
    expect(files).toHaveLength(12);
    expect(files[5]!.error?.code).toBe('worker-crash');
    expect(files[5]!.error?.message).toMatch(/crashed/);
    files.forEach((file, i) => {
      if (i !== 5) expect(ruleIds(file)).toEqual(['faulty/reports']);
    });
    expect(run.code).toBe(2);
  });

  describe('a worker running out of memory', () => {
    const saved = process.env.NIXFORGE_WORKER_MEMORY_MB;
    afterAll(() => {
      if (saved === undefined) delete process.env.NIXFORGE_WORKER_MEMORY_MB;
      else process.env.NIXFORGE_WORKER_MEMORY_MB = saved;
    });

    it('dies alone (heap limit per worker) and its file is reported as a crash', async () => {
      process.env.NIXFORGE_WORKER_MEMORY_MB = '128';
      const root = makeTree({ 'a.nix': '{ }', 'b.nix': '# eat-memory\n{ }', 'c.nix': '{ }' });
      const run = await runCli(['scan', '.', '-f', 'json', '--no-events', '--plugin', HOSTILE, '--threads', '1'], root);
      const files = filesOf(run.stdout);
      expect(files[1]!.error?.code).toBe('worker-crash');
      expect(files[1]!.error?.message).toMatch(/memory/i);
      expect(ruleIds(files[0]!)).toEqual(['hostile/reports-files']);
      expect(ruleIds(files[2]!)).toEqual(['hostile/reports-files']);
      expect(run.code).toBe(2);
    });
  });
});

describe('hardening: what a scan may load and run', () => {
  it('never loads a configuration or plugin from inside the scanned repository', async () => {
    const outer = makeTree({ 'work/.keep': '' });
    const marker = join(outer, 'plugin-was-loaded');
    const scanned = join(outer, 'repo');
    mkdirSync(join(scanned, 'sub'), { recursive: true });
    writeFileSync(
      join(scanned, 'evil.mjs'),
      `import { writeFileSync } from 'node:fs';\nwriteFileSync(${JSON.stringify(marker)}, 'loaded');\nexport default { name: 'evil', rules: {} };\n`,
    );
    const config = JSON.stringify({ plugins: ['./evil.mjs'], rules: { 'nix/undefined-variable': 'off' } });
    writeFileSync(join(scanned, 'nixforge.config.json'), config);
    writeFileSync(join(scanned, 'sub', 'nixforge.config.json'), config.replace('./evil.mjs', '../evil.mjs'));
    writeFileSync(join(scanned, 'sub', 'a.nix'), 'x');
    const run = await runCli(['scan', '../repo', '-f', 'json', '--no-events'], join(outer, 'work'));
    expect(existsSync(marker)).toBe(false);
    // The scanned repository's config would have turned this rule off: it was not read.
    expect(filesOf(run.stdout)[0]!.findings.map((f) => f.ruleId)).toContain('nix/undefined-variable');
    expect(run.code).toBe(1);
  });

  it('only parses scanned files, never evaluates them', async () => {
    const root = makeTree({});
    const marker = join(root, 'evaluated');
    writeFileSync(join(root, 'trap.nix'), evaluationTrap(marker));
    const run = await runCli(['scan', '.', '-f', 'json', '--no-events', '--rule', 'security/lookup-path=warning'], root);
    const [trap] = filesOf(run.stdout);
    expect(trap!.error).toBeUndefined();
    expect(ruleIds(trap!)).toEqual(expect.arrayContaining(['security/builtins-exec', 'security/lookup-path']));
    expect(existsSync(marker)).toBe(false);
    // Control: the trap is real; evaluating it with Nix (where installed) does create the marker.
    const nix = spawnSync('nix-instantiate', ['--eval', '--strict', '--option', 'allow-unsafe-native-code-during-evaluation', 'true', '-E', `(import ${join(root, 'trap.nix')}).ran`], {
      env: { ...process.env, NIX_PATH: `nixpkgs=${root}/nixpkgs` },
      encoding: 'utf8',
    });
    if (nix.error === undefined) expect(existsSync(marker)).toBe(true);
  });
});
