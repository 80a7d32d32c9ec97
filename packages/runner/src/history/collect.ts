import { errorMessage } from '../errors.js';
import { diffFlakeLocks, parseFlakeLock, type FlakeInputChange, type LockedInputs } from './flake-lock.js';
import type { CommitInfo } from './git-objects.js';
import { LruCache } from './lru.js';
import type { GitObjectStore } from './object-store.js';
import { diffTrees, type BlobChange } from './tree-diff.js';

/** How a Nix file changed in one commit. */
export interface FileChange {
  path: string;
  change: 'added' | 'modified' | 'deleted' | 'renamed';
  /** For `renamed`: where the file was before. */
  oldPath?: string;
}

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
  /** Called after each commit, for progress. */
  onCommit?: (done: number, total: number) => void;
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

  const entries: HistoryEntry[] = [];
  for (let i = 0; i < newestFirst.length; i++) {
    const commit = newestFirst[i]!;
    const parentTree = commit.parents[0] !== undefined && newestFirst[i + 1]?.oid === commit.parents[0] ? newestFirst[i + 1]!.tree : undefined;
    const changes = await commitChanges(store, commit, options.firstParent, parentTree);
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
    options.onCommit?.(i + 1, newestFirst.length);
  }
  return entries.reverse();
}

/** The Nix blobs a commit changed: against its first parent, or for a merge in all-parents mode, against every parent. */
async function commitChanges(store: GitObjectStore, commit: CommitInfo, firstParent: boolean, knownFirstTree: string | undefined): Promise<BlobChange[]> {
  const [first, ...others] = commit.parents;
  const firstTree = knownFirstTree ?? (first === undefined ? undefined : (await store.readCommit(first)).tree);
  const changes = await diffTrees(store, firstTree, commit.tree);
  if (firstParent || others.length === 0 || changes.length === 0) return changes;
  // A merge in all-parents mode: the merged commits report their own changes, so keep only what the
  // merge itself introduced (differs from every parent), like `git log --cc`.
  let kept = changes;
  for (const parent of others) {
    const differing = new Set((await diffTrees(store, (await store.readCommit(parent)).tree, commit.tree)).map((change) => change.path));
    kept = kept.filter((change) => differing.has(change.path));
  }
  return kept;
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
