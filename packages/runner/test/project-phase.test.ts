import { execFile, execFileSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { makeTree } from './helpers/cli.js';

/**
 * The three reproductions of issue 13 on the real binary: a new import cycle, a deleted import and a
 * lock-only change must give the uncached answer with `--cache` and with `--changed-since`.
 */
const BIN = new URL('../bin/nixforge.js', import.meta.url).pathname;
const run = promisify(execFile);

interface Report {
  files: Array<{ path: string; findings: Array<{ ruleId: string; message: string; line: number }> }>;
}

async function scan(root: string, ...args: string[]): Promise<{ code: number; report: Report; stdout: string }> {
  const argv = [BIN, 'scan', '.', '-f', 'json', '--no-events', '--threads', '1', '--rule', 'deps=warning', ...args];
  try {
    const { stdout } = await run(process.execPath, argv, { cwd: root });
    return { code: 0, report: JSON.parse(stdout) as Report, stdout };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    if (failed.code !== 1) throw new Error(`nixforge exited ${failed.code}: ${failed.stderr}`);
    return { code: 1, report: JSON.parse(failed.stdout) as Report, stdout: failed.stdout };
  }
}

/** `path: rule message` of every deps finding. */
function depsFindings(report: Report): string[] {
  return report.files.flatMap((f) => f.findings.filter((x) => x.ruleId.startsWith('deps/')).map((x) => `${f.path}:${x.line}: ${x.ruleId} ${x.message}`));
}

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@e', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@e' },
  });
}

function commitAll(root: string, message: string): string {
  git(root, 'add', '-A');
  git(root, 'commit', '-q', '-m', message);
  return git(root, 'rev-parse', 'HEAD').trim();
}

const LOCK = (inputs: string[]): string =>
  JSON.stringify({
    version: 7,
    root: 'root',
    nodes: {
      root: { inputs: Object.fromEntries(inputs.map((i) => [i, i])) },
      ...Object.fromEntries(
        inputs.map((i) => [i, { locked: { type: 'github', owner: 'o', repo: i, rev: 'a'.repeat(40), lastModified: 4102444800 }, original: { type: 'github', owner: 'o', repo: i } }]),
      ),
    },
  });
const FLAKE = '{\n  inputs.nixpkgs.url = "github:NixOS/nixpkgs";\n  inputs.extra.url = "github:o/extra";\n  outputs = _: { };\n}\n';

/** Each case: the tree before, the change, and the finding the uncached scan reports after it. */
const CASES: Array<{ name: string; before: Record<string, string>; change: (root: string) => void; expected: string[] }> = [
  {
    name: 'a new import cycle',
    before: { 'a.nix': '{ x = import ./b.nix; }\n', 'b.nix': '{ y = 1; }\n', 'c.nix': '{ }\n' },
    change: (root: string) => writeFileSync(join(root, 'b.nix'), '{ y = import ./a.nix; }\n'),
    expected: ['a.nix:1: deps/import-cycle import cycle: a.nix -> b.nix -> a.nix'],
  },
  {
    name: 'a deleted import',
    before: { 'a.nix': '{ x = import ./b.nix; }\n', 'b.nix': '{ y = 1; }\n', 'c.nix': '{ }\n' },
    change: (root: string) => rmSync(join(root, 'b.nix')),
    expected: ['a.nix:1: deps/missing-import `./b.nix` does not exist'],
  },
  {
    name: 'a lock-only change',
    before: { 'flake.nix': FLAKE, 'flake.lock': LOCK(['nixpkgs', 'extra']), 'c.nix': '{ }\n' },
    change: (root: string) => writeFileSync(join(root, 'flake.lock'), LOCK(['nixpkgs'])),
    expected: ['flake.nix:3: deps/missing-input-lock input `extra` is not in flake.lock: run `nix flake lock`'],
  },
];

describe('project checks stay complete under --cache and --changed-since (real CLI)', () => {
  it.each(CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const root = makeTree(c.before);
    git(root, 'init', '-q', '-b', 'main');
    writeFileSync(join(root, '.gitignore'), '.nixforge/\n');
    const base = commitAll(root, 'before');
    expect(depsFindings((await scan(root, '--cache')).report)).toEqual([]);
    c.change(root);

    const uncached = await scan(root);
    expect(depsFindings(uncached.report)).toEqual(c.expected);
    const cached = await scan(root, '--cache');
    expect(cached.stdout).toBe(uncached.stdout);

    // Uncommitted change, and the same change committed: the finding is in a file that did not change.
    const dirty = await scan(root, '--changed-since', base);
    expect(depsFindings(dirty.report)).toEqual(c.expected);
    commitAll(root, 'after');
    const committed = await scan(root, '--changed-since', base, '--cache');
    expect(depsFindings(committed.report)).toEqual(c.expected);
    // A project finding that no changed file touches is not reported by --changed-since.
    const head = git(root, 'rev-parse', 'HEAD').trim();
    expect(depsFindings((await scan(root, '--changed-since', head)).report)).toEqual([]);
  }, 30_000);

  it('threads 1 and 2 give byte-identical reports with project findings', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 60; i += 1) files[`m${String(i).padStart(2, '0')}.nix`] = `{ next = import ./m${String((i + 1) % 60).padStart(2, '0')}.nix; gone = import ./gone${i % 3}.nix; }\n`;
    files['flake.nix'] = FLAKE;
    const root = makeTree(files);
    const one = await scan(root);
    const two = await scan(root, '--threads', '2');
    expect(two.stdout).toBe(one.stdout);
    expect(depsFindings(one.report).filter((f) => f.includes('import-cycle'))).toHaveLength(1);
    expect(depsFindings(one.report).filter((f) => f.includes('missing-import'))).toHaveLength(60);
  }, 30_000);
});
