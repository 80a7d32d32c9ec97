import { existsSync } from 'node:fs';
import * as fs from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../errors.js';
import { GitObjectStore } from './object-store.js';
import { headRef, locateRepository, resolveRevision, type RepositoryLocation } from './repository.js';
import { diffTrees } from './tree-diff.js';

/**
 * Git-side helpers for `nixforge scan --rev REV` and `--changed-since REV`. Stores are opened once per
 * repository and kept for the process (a scan reads many blobs of one repository).
 */
const stores = new Map<string, { location: RepositoryLocation; store: GitObjectStore }>();

function open(repoDir: string): { location: RepositoryLocation; store: GitObjectStore } {
  const location = locateRepository(repoDir);
  let opened = stores.get(location.gitdir);
  if (!opened) {
    opened = { location, store: new GitObjectStore(location.gitdir) };
    stores.set(location.gitdir, opened);
  }
  return opened;
}

const isNixPath = (path: string): boolean => path.endsWith('.nix');

/** Every `*.nix` blob in the tree of `rev`, with posix paths relative to the repository root, sorted by path. */
export async function listNixFilesAtRev(repoDir: string, rev: string): Promise<Array<{ path: string; oid: string }>> {
  const { store } = open(repoDir);
  const commit = await store.readCommit(await resolveRevision(store, rev, '--rev'));
  // Every file of the tree is "added" relative to the empty tree.
  const changes = await diffTrees(store, undefined, commit.tree, isNixPath);
  return changes.map((change) => ({ path: change.path, oid: change.newOid! })).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** The text (UTF-8) of a blob. */
export async function readBlobText(repoDir: string, oid: string): Promise<string> {
  const { store } = open(repoDir);
  const object = await store.readObject(oid).catch((error: unknown) => {
    throw new UsageError(`${repoDir}: cannot read blob ${oid}: ${error instanceof Error ? error.message : String(error)}`);
  });
  if (object.type !== 'blob') throw new UsageError(`${repoDir}: object ${oid} is a ${object.type}, not a blob`);
  return object.data.toString('utf8');
}

/**
 * `*.nix` paths added or modified since `rev`: between REV and HEAD, plus uncommitted (staged, unstaged or
 * untracked, not ignored) changes in the work tree; only paths that exist in the work tree now, sorted.
 */
export async function changedNixFilesSince(repoDir: string, rev: string): Promise<string[]> {
  const root = locateRepository(repoDir).dir;
  const paths = await changedPathsSince(repoDir, rev, isNixPath);
  return paths.filter((path) => root !== undefined && existsSync(join(root, path)));
}

/**
 * Paths matching `filter` added, modified or deleted since `rev` (committed since REV, or uncommitted in the
 * work tree), sorted. `--changed-since` uses it for `.nix` files and `flake.lock`s, so project checks can
 * report findings that a change or a deletion caused in unchanged files.
 */
export async function changedPathsSince(repoDir: string, rev: string, filter: (path: string) => boolean): Promise<string[]> {
  const { location, store } = open(repoDir);
  if (location.dir === undefined) throw new UsageError(`--changed-since: ${location.gitdir} is a bare repository without a work tree`);
  const since = await store.readCommit(await resolveRevision(store, rev, '--changed-since'));
  const head = await store.readCommit((await headRef(location.gitdir)).oid);
  const paths = new Set<string>();
  for (const change of await diffTrees(store, since.tree, head.tree, filter)) paths.add(change.path);
  const git = (await import('isomorphic-git')).default;
  const matrix = await git.statusMatrix({ fs, dir: location.dir, gitdir: location.gitdir, cache: store.gitCache, filter });
  for (const [path, headStatus, workdirStatus] of matrix) {
    // workdir 2: present and different from HEAD (modified, or new); 0 with HEAD 1: deleted
    if (workdirStatus === 2 || (headStatus === 0 && workdirStatus !== 0) || (headStatus === 1 && workdirStatus === 0)) paths.add(path);
  }
  return [...paths].sort();
}
