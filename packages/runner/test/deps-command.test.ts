import { cpSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';

const DEPS_FIXTURES = fileURLToPath(new URL('../../../fixtures/rules/deps/', import.meta.url));

function workspace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'nixforge-deps-'));
  cpSync(join(DEPS_FIXTURES, 'import-cycle/bad'), join(dir, 'cycle'), { recursive: true });
  cpSync(join(DEPS_FIXTURES, 'duplicate-nixpkgs/bad'), join(dir, 'flake'), { recursive: true });
  // The rule's first fixtures only (bad.nix, good.nix, lib/), not the later false-positive cases beside them.
  const missing = join(DEPS_FIXTURES, 'missing-import');
  const kept = /^(bad\.nix|good\.nix|lib(\/.*)?)?$/;
  cpSync(missing, join(dir, 'missing'), { recursive: true, filter: (src) => kept.test(src.slice(missing.length + 1)) });
  return dir;
}

describe('nixforge deps', () => {
  it('prints files, import edges and flake inputs with lock info as JSON (default)', async () => {
    const dir = workspace();
    const run = await runCli(['deps'], dir);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const graph = JSON.parse(run.stdout);
    expect(graph.files).toEqual([
      'cycle/a.nix',
      'cycle/b.nix',
      'cycle/c.nix',
      'flake/flake.nix',
      'missing/bad.nix',
      'missing/good.nix',
      'missing/lib/default.nix',
    ]);
    expect(graph.edges).toContainEqual({ from: 'cycle/c.nix', to: 'cycle/a.nix', kind: 'imports', spec: './a.nix', line: 1, missing: false });
    expect(graph.edges).toContainEqual(
      expect.objectContaining({ from: 'missing/bad.nix', to: 'missing/missing.nix', kind: 'import', missing: true }),
    );
    expect(graph.edges).toContainEqual(
      expect.objectContaining({ from: 'missing/bad.nix', to: 'missing/no-such-dir', kind: 'callPackage', missing: true }),
    );
    const [flake] = graph.flakes;
    expect(flake.file).toBe('flake/flake.nix');
    expect(flake.lock).toBe('ok');
    expect(flake.inputs.map((i: { name: string }) => i.name)).toEqual(['nixpkgs', 'nixpkgs-stable', 'home-manager']);
    expect(flake.inputs[2]).toMatchObject({
      url: 'github:nix-community/home-manager',
      type: 'github',
      flake: true,
      lockNode: 'home-manager',
      locked: { rev: '89abcdef0123456789abcdef0123456789abcdef', lastModified: 4102444800, owner: 'nix-community' },
    });
  });

  it('follows imports out of a single file unless --no-follow', async () => {
    const dir = workspace();
    const followed = JSON.parse((await runCli(['deps', 'cycle/a.nix'], dir)).stdout);
    expect(followed.files).toEqual(['cycle/a.nix', 'cycle/b.nix', 'cycle/c.nix']);
    const alone = JSON.parse((await runCli(['deps', 'cycle/a.nix', '--no-follow'], dir)).stdout);
    expect(alone.files).toEqual(['cycle/a.nix']);
  });

  it('draws Mermaid and dot', async () => {
    const dir = workspace();
    const mermaid = await runCli(['deps', 'cycle', 'flake', '--format', 'mermaid'], dir);
    expect(mermaid.code).toBe(0);
    expect(mermaid.stdout).toMatch(/^flowchart LR\n/);
    expect(mermaid.stdout).toMatch(/n\d+\["cycle\/b.nix"\]/);
    expect(mermaid.stdout).toMatch(/n\d+\(\["home-manager<br\/>github:nix-community\/home-manager @ 89abcde"\]\)/);
    expect(mermaid.stdout).toMatch(/n\d+ -->\|input\| n\d+/);
    const dot = await runCli(['deps', 'cycle', '-f', 'dot'], dir);
    expect(dot.stdout).toMatch(/^digraph deps \{\n/);
    expect(dot.stdout).toMatch(/n\d+ -> n\d+ \[label="imports"\];/);
    expect(dot.stdout.trimEnd().endsWith('}')).toBe(true);
  });

  it('names unreadable files and bad locks on stderr, still prints the graph, exits 2', async () => {
    const dir = workspace();
    writeFileSync(join(dir, 'flake/flake.lock'), '{ "nodes": {}, "root": "root" }');
    const badLock = await runCli(['deps', 'flake'], dir);
    expect(badLock.code).toBe(0);
    expect(badLock.stderr).toContain('flake.lock: root node "root" is not in "nodes"');
    expect(JSON.parse(badLock.stdout).flakes[0].lock).toBe('error');

    symlinkSync(join(dir, 'nowhere.nix'), join(dir, 'cycle/dangling.nix'));
    const unreadable = await runCli(['deps', 'cycle'], dir);
    expect(unreadable.code).toBe(2);
    expect(unreadable.stderr).toMatch(/^nixforge deps: cycle\/dangling\.nix: /m);
    expect(JSON.parse(unreadable.stdout).files).toEqual(['cycle/a.nix', 'cycle/b.nix', 'cycle/c.nix']);
  });

  it('exits 2 on an unknown format or a missing path', async () => {
    const dir = workspace();
    const format = await runCli(['deps', '--format', 'svg'], dir);
    expect(format.code).toBe(2);
    expect(format.stderr).toContain("--format: unknown format 'svg' (one of json, mermaid, dot)");
    expect((await runCli(['deps', 'does-not-exist'], dir)).code).toBe(2);
  });

  it('reports each import cycle once in a threaded scan, from the file with the smallest path', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nixforge-cycles-'));
    // Two cycles (m -> n -> o -> m and x <-> y) plus files outside them, scanned by two worker threads.
    const files: Record<string, string> = {
      'm.nix': '{ n = import ./n.nix; }',
      'n.nix': '{ o = import ./o.nix; p = import ./p.nix; }',
      'o.nix': '{ imports = [ ./m.nix ]; }',
      'p.nix': '{ }',
      'x.nix': 'import ./y.nix',
      'y.nix': 'import ./x.nix',
    };
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    // Rules see paths relative to the working directory and resolve them against process.cwd(), as the CLI runs.
    const previous = process.cwd();
    process.chdir(dir);
    const run = await runCli(
      ['scan', '.', '--format', 'json', '--threads', '2', '--no-events', '--rule', 'deps=off', '--rule', 'deps/import-cycle=warning'],
      dir,
    ).finally(() => process.chdir(previous));
    const report = JSON.parse(run.stdout) as { files: Array<{ path: string; findings: Array<{ ruleId: string; line: number; message: string }> }> };
    const cycles = report.files.flatMap((f) => f.findings.filter((x) => x.ruleId === 'deps/import-cycle').map((x) => `${f.path}:${x.line} ${x.message}`));
    expect(cycles).toEqual(['m.nix:1 import cycle: m.nix -> n.nix -> o.nix -> m.nix', 'x.nix:1 import cycle: x.nix -> y.nix -> x.nix']);
  });
});
