import { errorMessage } from '../errors.js';
import { diffFlakeLocks, parseFlakeLock, type FlakeInputChange, type LockedInputs } from './flake-lock.js';
import type { CommitInfo } from '../git/index.js';
import { LruCache } from '../lru.js';
import type { GitObjectStore } from '../git/index.js';
import type { CommitRef } from './commit-changes.js';
import type { BlobChange } from '../git/index.js';
import { diffCommits } from './parallel-diff.js';
import type { FileChange } from '../events/index.js';

export type { FileChange } from '../events/index.js';


/** What one commit did to the Nix files and the root flake.lock. */
export interface HistoryEntry {
  commit: CommitInfo;
  /** Changed `*.nix` files, sorted by path; empty when only flake.lock changed. */
  files: FileChange[];
  /** Input changes when the root flake.lock changed and could be parsed on both sides. */
  flakeLock?: FlakeInputChange[];
}

/** Something that could not be read or parsed; the run goes on without it. */
export interface HistoryProblem {
  commit: string;
  path: string;
  message: string;
}

export interface CollectOptions {
  /** Diff merges against their first parent only (the default); otherwise report what differs from every parent. */
  firstParent: boolean;
  onProblem?: (problem: HistoryProblem) => void;
  /** Threads for diffing (1 by default); more only help long histories. */
  threads?: number;
}

const FLAKE_LOCK = 'flake.lock';

/**
 * Diffs each commit against its parent(s) and returns the commits that touched Nix files or the root
 * flake.lock, oldest first. `newestFirst` is processed in that order because Git packs store newer
 * objects whole and older ones as deltas against them, so the delta bases are warm in the cache.
 */
export async function collectHistory(store: GitObjectStore, newestFirst: CommitInfo[], options: CollectOptions): Promise<HistoryEntry[]> {
  const locks = new LruCache<string, LockedInputs | undefined>(8);
  const readLock = async (commit: string, oid: string | undefined): Promise<LockedInputs | undefined | null> => {
    if (oid === undefined) return undefined;
    const cached = locks.get(oid);
    if (cached !== undefined) return cached;
    try {
      const parsed = parseFlakeLock((await store.readObject(oid)).data.toString('utf8'));
      locks.set(oid, parsed);
      return parsed;
    } catch (error) {
      options.onProblem?.({ commit, path: FLAKE_LOCK, message: errorMessage(error) });
      return null;
    }
  };

  const refs = newestFirst.map((commit, i): CommitRef => {
    const next = newestFirst[i + 1];
    const ref: CommitRef = { oid: commit.oid, tree: commit.tree, parents: commit.parents };
    if (next !== undefined && next.oid === commit.parents[0]) ref.firstParentTree = next.tree;
    return ref;
  });
  const allChanges = await diffCommits(store, refs, options.firstParent, options.threads ?? 1);
  const entries: HistoryEntry[] = [];
  for (let i = 0; i < newestFirst.length; i++) {
    const commit = newestFirst[i]!;
    const result = allChanges[i]!;
    if (!Array.isArray(result)) {
      options.onProblem?.({ commit: commit.oid, path: '(tree)', message: `cannot diff this commit: ${result.error}` });
      continue;
    }
    const changes = result;
    const entry: HistoryEntry = { commit, files: fileChanges(changes.filter((change) => change.path !== FLAKE_LOCK)) };
    const lockChange = changes.find((change) => change.path === FLAKE_LOCK);
    if (lockChange) {
      const before = await readLock(commit.oid, lockChange.oldOid);
      const after = await readLock(commit.oid, lockChange.newOid);
      if (before !== null && after !== null) {
        const inputs = diffFlakeLocks(before, after);
        if (inputs.length > 0) entry.flakeLock = inputs;
      }
    }
    if (entry.files.length > 0 || entry.flakeLock) entries.push(entry);
  }
  return entries.reverse();
}

/** Turns blob changes into file changes; a deleted and an added file with the same content form a rename. */
export function fileChanges(changes: BlobChange[]): FileChange[] {
  const addedByOid = new Map<string, BlobChange[]>();
  for (const change of changes) {
    if (change.oldOid === undefined && change.newOid !== undefined) {
      const list = addedByOid.get(change.newOid) ?? [];
      list.push(change);
      addedByOid.set(change.newOid, list);
    }
  }
  const renamedTo = new Map<BlobChange, string>();
  const files: FileChange[] = [];
  for (const change of changes) {
    if (change.oldOid === undefined || change.newOid !== undefined) continue;
    const target = addedByOid.get(change.oldOid)?.shift();
    if (target) {
      renamedTo.set(target, change.path);
      files.push({ path: target.path, change: 'renamed', oldPath: change.path });
    } else {
      files.push({ path: change.path, change: 'deleted' });
    }
  }
  for (const change of changes) {
    if (change.newOid === undefined || renamedTo.has(change)) continue;
    files.push({ path: change.path, change: change.oldOid === undefined ? 'added' : 'modified' });
  }
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
