import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SourceFile } from '@nixforge/core';
import {
  FlakeLockError,
  buildDepsGraph,
  inputTypeOf,
  parseFlakeLock,
  readFlakeInputs,
  renderDepsGraph,
} from '../src/deps/library.js';
import { FIXTURES } from './rule-harness.js';

const DEPS = join(FIXTURES, 'deps');

describe('flake.lock parsing', () => {
  it('names the file and field of a bad lock', () => {
    expect(() => parseFlakeLock('{', 'x/flake.lock')).toThrow(/x\/flake\.lock: invalid JSON/);
    expect(() => parseFlakeLock('{"nodes":{},"root":"root"}', 'f.lock')).toThrow('f.lock: root node "root" is not in "nodes"');
    expect(() =>
      parseFlakeLock('{"nodes":{"root":{"inputs":{"a":"b"}}},"root":"root"}', 'f.lock'),
    ).toThrow('f.lock: nodes.root.inputs.a names a missing node "b"');
    expect(() =>
      parseFlakeLock('{"nodes":{"root":{},"b":{"locked":{"lastModified":"x"}}},"root":"root"}', 'f.lock'),
    ).toThrow(FlakeLockError);
  });

  it('reads inputs, follows paths and locked sources', () => {
    const lock = parseFlakeLock(
      JSON.stringify({
        version: 7,
        root: 'root',
        nodes: {
          root: { inputs: { nixpkgs: 'nixpkgs', hm: 'hm' } },
          hm: { inputs: { nixpkgs: ['nixpkgs'] }, locked: { type: 'github', rev: 'abc', lastModified: 5 } },
          nixpkgs: { locked: { type: 'github', owner: 'NixOS', repo: 'nixpkgs' }, flake: true },
        },
      }),
    );
    expect(lock.nodes.get('hm')!.inputs.nixpkgs).toEqual(['nixpkgs']);
    expect(lock.nodes.get('hm')!.locked!.lastModified).toBe(5);
  });
});

describe('flake inputs', () => {
  it('reads url, type, follows and flake = false in every spelling', () => {
    const source = new SourceFile(
      'flake.nix',
      `{
        inputs.nixpkgs.url = "github:NixOS/nixpkgs";
        inputs = {
          hm = { url = "git+https://example.org/hm"; inputs.nixpkgs.follows = "nixpkgs"; };
          data = { url = "https://example.org/data.tar.gz"; flake = false; };
          alias.follows = "nixpkgs";
          attrs = { type = "github"; owner = "a"; repo = "b"; };
        };
        outputs = _: { };
      }`,
    );
    const { inputs } = readFlakeInputs(source);
    const byName = Object.fromEntries(inputs.map((i) => [i.name, i]));
    expect(Object.keys(byName).sort()).toEqual(['alias', 'attrs', 'data', 'hm', 'nixpkgs']);
    expect(byName.nixpkgs).toMatchObject({ url: 'github:NixOS/nixpkgs', type: 'github', flake: true });
    expect(byName.hm).toMatchObject({ type: 'git', inputFollows: { nixpkgs: 'nixpkgs' } });
    expect(byName.data).toMatchObject({ type: 'tarball', flake: false });
    expect(byName.alias).toMatchObject({ follows: 'nixpkgs' });
    expect(byName.attrs).toMatchObject({ type: 'github' });
    expect(source.text.slice(byName.hm!.range.start, byName.hm!.range.end)).toBe('hm');
  });

  it('derives input types from URLs', () => {
    expect(['path:./x', './x', 'nixpkgs', 'flake:nixpkgs', 'sourcehut:~a/b', 'hg+https://x', 'https://x/y.zip'].map(inputTypeOf)).toEqual([
      'path',
      'path',
      'indirect',
      'indirect',
      'sourcehut',
      'mercurial',
      'tarball',
    ]);
  });
});

describe('dependency graph', () => {
  const display = (path: string): string => relative(DEPS, path);

  it('follows imports from one file, listing missing targets and cycles once per edge', () => {
    const graph = buildDepsGraph([join(DEPS, 'import-cycle/bad/a.nix')], { displayPath: display });
    expect(graph.files).toEqual(['import-cycle/bad/a.nix', 'import-cycle/bad/b.nix', 'import-cycle/bad/c.nix']);
    expect(graph.edges.map((e) => `${e.from} -${e.kind}-> ${e.to}:${e.line}`)).toEqual([
      'import-cycle/bad/a.nix -import-> import-cycle/bad/b.nix:2',
      'import-cycle/bad/a.nix -import-> import-cycle/bad/a.nix:3',
      'import-cycle/bad/b.nix -import-> import-cycle/bad/c.nix:1',
      'import-cycle/bad/c.nix -imports-> import-cycle/bad/a.nix:1',
    ]);
    const missing = buildDepsGraph([join(DEPS, 'missing-import/bad.nix')], { displayPath: display });
    expect(missing.edges.filter((e) => e.missing).map((e) => e.spec)).toEqual([
      './hardware-configuration.nix',
      './missing.nix',
      './no-such-dir',
    ]);
  });

  it('resolves imports of a symlinked file against its target, as Nix does', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nixforge-symlink-'));
    mkdirSync(join(dir, 'real'));
    mkdirSync(join(dir, 'alias'));
    writeFileSync(join(dir, 'real/default.nix'), '{ imports = [ ./common.nix ]; }');
    writeFileSync(join(dir, 'real/common.nix'), '{ }');
    symlinkSync('../real/default.nix', join(dir, 'alias/default.nix'));
    const graph = buildDepsGraph([join(dir, 'alias/default.nix')], { displayPath: (p) => relative(dir, p) });
    expect(graph.edges).toEqual([expect.objectContaining({ from: 'alias/default.nix', to: 'real/common.nix', missing: false })]);
  });

  it('reports flake inputs with lock information', () => {
    const graph = buildDepsGraph([join(DEPS, 'duplicate-nixpkgs/good/flake.nix')], { displayPath: display });
    expect(graph.flakes).toHaveLength(1);
    const [flake] = graph.flakes;
    expect(flake!.lock).toBe('ok');
    const hm = flake!.inputs.find((i) => i.name === 'home-manager')!;
    expect(hm).toMatchObject({ type: 'github', lockNode: 'home-manager', inputFollows: { nixpkgs: 'nixpkgs' } });
    expect(hm.locked).toMatchObject({ rev: '89abcdef0123456789abcdef0123456789abcdef', lastModified: 4102444800 });
    const broken = buildDepsGraph([join(DEPS, 'missing-input-lock/broken-lock/flake.nix')], { displayPath: display });
    expect(broken.flakes[0]).toMatchObject({ lock: 'error' });
    expect(broken.flakes[0]!.lockError).toMatch(/nodes\.nixpkgs\.locked\.lastModified/);
  });

  it('renders JSON, Mermaid and dot', () => {
    const graph = buildDepsGraph([join(DEPS, 'import-cycle/bad/a.nix'), join(DEPS, 'stale-input/bad/flake.nix')], {
      displayPath: display,
    });
    expect(JSON.parse(renderDepsGraph(graph, 'json'))).toEqual(JSON.parse(JSON.stringify(graph)));
    const mermaid = renderDepsGraph(graph, 'mermaid');
    expect(mermaid.startsWith('flowchart LR\n')).toBe(true);
    expect(mermaid).toContain('-->|imports|');
    expect(mermaid).toMatch(/\(\["nixpkgs<br\/>github:NixOS\/nixpkgs\/nixos-unstable @ 0123456"\]\)/);
    const dot = renderDepsGraph(graph, 'dot');
    expect(dot).toMatch(/^digraph deps \{/);
    expect(dot).toContain('[label="import"]');
    const check = spawnSync('dot', ['-Tsvg'], { input: dot, encoding: 'utf8' });
    if (check.error === undefined) expect(check.status, check.stderr).toBe(0);
  });
});
