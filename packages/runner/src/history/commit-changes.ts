import type { GitObjectStore } from '../git/index.js';
import { diffTrees, type BlobChange } from '../git/index.js';

/** What a diff needs of a commit; plain data, so it can be sent to a worker thread. */
export interface CommitRef {
  oid: string;
  tree: string;
  parents: string[];
  /** The first parent's tree when the caller already knows it (saves reading the parent commit). */
  firstParentTree?: string;
}

/**
 * The Nix blobs a commit changed: against its first parent (the root commit against the empty tree), or for a
 * merge outside first-parent mode, only what differs from every parent, like `git log --cc`: the merged
 * commits report their own changes.
 */
export async function commitChanges(store: GitObjectStore, commit: CommitRef, firstParent: boolean): Promise<BlobChange[]> {
  const [first, ...others] = commit.parents;
  const firstTree = commit.firstParentTree ?? (first === undefined ? undefined : (await store.readCommit(first)).tree);
  const changes = await diffTrees(store, firstTree, commit.tree);
  if (firstParent || others.length === 0 || changes.length === 0) return changes;
  let kept = changes;
  for (const parent of others) {
    const differing = new Set((await diffTrees(store, (await store.readCommit(parent)).tree, commit.tree)).map((change) => change.path));
    kept = kept.filter((change) => differing.has(change.path));
  }
  return kept;
}

/** A commit's changes, or why they could not be read (a missing or corrupt object); the walk goes on. */
export type CommitChanges = BlobChange[] | { error: string };

/** The changes of each commit, in order. */
export async function changesOfCommits(store: GitObjectStore, commits: CommitRef[], firstParent: boolean): Promise<CommitChanges[]> {
  const result: CommitChanges[] = [];
  for (const commit of commits) {
    try {
      result.push(await commitChanges(store, commit, firstParent));
    } catch (error) {
      result.push({ error: error instanceof Error ? error.message : String(error) });
    }
  }
  return result;
}
