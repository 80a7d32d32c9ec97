import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** A throwaway Git repository driven through the git CLI with fixed identities and dates. */
export class FixtureRepo {
  readonly dir: string;
  private clock = Date.UTC(2024, 0, 1) / 1000;

  constructor() {
    this.dir = mkdtempSync(join(tmpdir(), 'nixforge-history-'));
    this.git('init', '-q', '-b', 'main');
  }

  git(...args: string[]): string {
    return execFileSync('git', args, { cwd: this.dir, env: this.env(), encoding: 'utf8', maxBuffer: 1 << 28 });
  }

  write(files: Record<string, string>): void {
    for (const [path, content] of Object.entries(files)) {
      mkdirSync(dirname(join(this.dir, path)), { recursive: true });
      writeFileSync(join(this.dir, path), content);
    }
  }

  remove(...paths: string[]): void {
    for (const path of paths) rmSync(join(this.dir, path));
  }

  /** Stages everything and commits one day after the previous commit; returns the new oid. */
  commit(message: string, author = 'Alice'): string {
    this.clock += 86_400;
    this.git('add', '-A');
    this.git('-c', `user.name=${author}`, '-c', `user.email=${author.toLowerCase()}@example.org`, 'commit', '-q', '--allow-empty', '-m', message);
    return this.head();
  }

  /** A merge commit of `branch` into the current branch (never fast-forward). */
  merge(branch: string, message: string): string {
    this.clock += 86_400;
    this.git('-c', 'user.name=Alice', '-c', 'user.email=alice@example.org', 'merge', '-q', '--no-ff', '-m', message, branch);
    return this.head();
  }

  head(): string {
    return this.git('rev-parse', 'HEAD').trim();
  }

  /** Current fixture time in seconds. */
  get time(): number {
    return this.clock;
  }

  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }

  private env(): NodeJS.ProcessEnv {
    const date = `@${this.clock} +0000`;
    return {
      PATH: process.env.PATH,
      GIT_CONFIG_GLOBAL: '/dev/null',
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_AUTHOR_DATE: date,
      GIT_COMMITTER_DATE: date,
      GIT_COMMITTER_NAME: 'Committer',
      GIT_COMMITTER_EMAIL: 'committer@example.org',
    };
  }
}

/** A flake.lock pinning the given root inputs; `follows` adds `nixpkgs` follows for inputs that have one. */
export function flakeLock(inputs: Record<string, { rev: string; lastModified: number; inputs?: Record<string, { rev: string; lastModified: number }> }>): string {
  const nodes: Record<string, unknown> = {};
  const rootInputs: Record<string, string> = {};
  for (const [name, input] of Object.entries(inputs)) {
    rootInputs[name] = name;
    const nested: Record<string, string> = {};
    for (const [childName, child] of Object.entries(input.inputs ?? {})) {
      const node = `${childName}_2`;
      nested[childName] = node;
      nodes[node] = lockedNode(child.rev, child.lastModified);
    }
    nodes[name] = { ...lockedNode(input.rev, input.lastModified), ...(input.inputs ? { inputs: nested } : {}) };
  }
  nodes.root = { inputs: rootInputs };
  return `${JSON.stringify({ nodes, root: 'root', version: 7 }, null, 2)}\n`;
}

function lockedNode(rev: string, lastModified: number): Record<string, unknown> {
  return {
    locked: { lastModified, narHash: `sha256-${rev.slice(0, 8)}`, owner: 'NixOS', repo: 'nixpkgs', rev, type: 'github' },
    original: { owner: 'NixOS', repo: 'nixpkgs', type: 'github' },
  };
}

export const hasGit = (() => {
  try {
    execFileSync('git', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
