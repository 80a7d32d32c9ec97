import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import * as fs from 'node:fs';
import { UsageError } from '../errors.js';
import type { CommitInfo } from './git-objects.js';
import type { GitObjectStore } from './object-store.js';
import { expandRef, readRef } from './refs.js';

/** isomorphic-git, loaded only when the direct readers cannot answer. */
async function isomorphicGit(): Promise<typeof import('isomorphic-git').default> {
  return (await import('isomorphic-git')).default;
}

/** Where a repository lives: `dir` is the work tree (undefined for a bare repository), `gitdir` its Git directory. */
export interface RepositoryLocation {
  dir: string | undefined;
  gitdir: string;
  /** A readable name for event subjects: the work tree's folder name, or the bare folder's without `.git`. */
  name: string;
}

/**
 * Finds the repository that contains `path` (a work tree or any folder in it, or a bare repository).
 * Throws a UsageError naming the path when there is none.
 */
export function locateRepository(path: string): RepositoryLocation {
  const start = resolve(path);
  if (!existsSync(start)) throw new UsageError(`${start}: no such directory`);
  if (isGitDir(start)) {
    const name = basename(start) === '.git' ? basename(dirname(start)) : basename(start).replace(/\.git$/, '');
    return { dir: basename(start) === '.git' ? dirname(start) : undefined, gitdir: start, name: name || 'repository' };
  }
  for (let dir = start; ; dir = dirname(dir)) {
    const dotGit = join(dir, '.git');
    if (existsSync(dotGit)) return { dir, gitdir: resolveDotGit(dotGit), name: basename(dir) || 'repository' };
    if (dirname(dir) === dir) break;
  }
  throw new UsageError(`${start}: not a Git repository (no .git found here or above, and not a bare repository)`);
}

function isGitDir(path: string): boolean {
  return existsSync(join(path, 'HEAD')) && existsSync(join(path, 'objects')) && existsSync(join(path, 'refs'));
}

/** `.git` is a folder, or in worktrees and submodules a file `gitdir: <path>`. */
function resolveDotGit(dotGit: string): string {
  if (statSync(dotGit).isDirectory()) return dotGit;
  const match = /^gitdir:\s*(.+)$/m.exec(readFileSync(dotGit, 'utf8'));
  if (!match) throw new UsageError(`${dotGit}: not a gitdir file`);
  const target = match[1]!.trim();
  return isAbsolute(target) ? target : resolve(dirname(dotGit), target);
}

const FULL_OID = /^[0-9a-f]{40}$/;
const ABBREVIATED_OID = /^[0-9a-f]{4,39}$/;
const ANCESTRY_SUFFIX = /(~\d*|\^\d*)+$/;

/**
 * Resolves a revision to a commit oid: a full or abbreviated oid, a ref (`main`, `origin/main`, `v1.0`,
 * `refs/heads/x`, `HEAD`), optionally followed by `~N` / `^N` steps. Annotated tags are peeled.
 * Throws a UsageError naming `what` (e.g. `--since`) for anything that does not resolve to a commit.
 */
export async function resolveRevision(store: GitObjectStore, revision: string, what = 'revision'): Promise<string> {
  const suffix = ANCESTRY_SUFFIX.exec(revision)?.[0] ?? '';
  const base = revision.slice(0, revision.length - suffix.length);
  let oid = await resolveBase(store, base, revision, what);
  let commit = await readCommitOrThrow(store, oid, revision, what);
  for (const step of suffix.match(/[~^]\d*/g) ?? []) {
    const count = step.length > 1 ? Number(step.slice(1)) : 1;
    if (step[0] === '~') {
      for (let i = 0; i < count; i++) commit = await parentOf(store, commit, 0, revision, what);
    } else if (count > 0) {
      commit = await parentOf(store, commit, count - 1, revision, what);
    }
  }
  oid = commit.oid;
  return oid;
}

async function resolveBase(store: GitObjectStore, base: string, revision: string, what: string): Promise<string> {
  const gitdir = store.gitdir;
  if (FULL_OID.test(base)) return base;
  const direct = expandRef(gitdir, base);
  if (direct) return direct.oid;
  const git = await isomorphicGit();
  try {
    return await git.resolveRef({ fs, gitdir, ref: base });
  } catch {
    // not a ref; maybe an abbreviated oid
  }
  if (ABBREVIATED_OID.test(base)) {
    try {
      return await git.expandOid({ fs, gitdir, oid: base, cache: store.gitCache });
    } catch {
      // fall through to the error below
    }
  }
  throw new UsageError(`${what}: unknown revision '${revision}' in ${gitdir}`);
}

async function readCommitOrThrow(store: GitObjectStore, oid: string, revision: string, what: string): Promise<CommitInfo> {
  try {
    return await store.readCommit(oid);
  } catch (error) {
    throw new UsageError(`${what}: '${revision}' does not name a commit (${error instanceof Error ? error.message : String(error)})`);
  }
}

async function parentOf(store: GitObjectStore, commit: CommitInfo, index: number, revision: string, what: string): Promise<CommitInfo> {
  const parent = commit.parents[index];
  if (parent === undefined) throw new UsageError(`${what}: '${revision}' goes past the root commit ${commit.oid.slice(0, 12)}`);
  return store.readCommit(parent);
}

/** The full name of a branch given as `main` or `refs/heads/main`; throws a UsageError for unknown branches. */
export async function resolveBranch(gitdir: string, branch: string): Promise<{ ref: string; oid: string }> {
  const direct = branch === 'HEAD' ? readRef(gitdir, 'HEAD') : expandRef(gitdir, branch);
  if (direct) return branch === 'HEAD' ? { ref: 'HEAD', oid: direct.oid } : direct;
  const git = await isomorphicGit();
  try {
    const ref = branch === 'HEAD' ? 'HEAD' : await git.expandRef({ fs, gitdir, ref: branch });
    return { ref, oid: await git.resolveRef({ fs, gitdir, ref }) };
  } catch {
    throw new UsageError(`--branch: unknown branch '${branch}' in ${gitdir}`);
  }
}

/** The ref HEAD points at (e.g. `refs/heads/main`), or `HEAD` when detached; throws for an empty repository. */
export async function headRef(gitdir: string): Promise<{ ref: string; oid: string }> {
  const direct = readRef(gitdir, 'HEAD');
  if (direct) return direct;
  const git = await isomorphicGit();
  let oid: string;
  try {
    oid = await git.resolveRef({ fs, gitdir, ref: 'HEAD' });
  } catch {
    throw new UsageError(`${gitdir}: HEAD does not point at a commit (empty repository?)`);
  }
  const branch = await git.currentBranch({ fs, gitdir, fullname: true }).catch(() => undefined);
  return { ref: branch ?? 'HEAD', oid };
}
