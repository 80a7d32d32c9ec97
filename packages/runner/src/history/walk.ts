import type { CommitInfo } from '../git/index.js';
import type { GitObjectStore } from '../git/index.js';

/** Which commits a history run visits. */
export interface WalkOptions {
  /** The newest commit (branch tip or `--until REV`). */
  head: string;
  /** Follow only first parents (the default), or every parent (`--all-parents`). */
  firstParent: boolean;
  /** Stop before this commit and its ancestors (`--since REV`, or the incremental cursor). */
  exclude?: string;
  /** Skip commits committed before this time (seconds); on the first-parent chain the walk stops there. */
  sinceTime?: number;
  /** Skip commits committed after this time (seconds). */
  untilTime?: number;
}

/** The commits to process, newest first, and whether `exclude` was met on the way. */
export interface WalkResult {
  commits: CommitInfo[];
  /** False when `exclude` was given but is not an ancestor of `head` (on the walked chain): history was rewritten. */
  reachedExclude: boolean;
}

/** Lists the commits of a history run, newest first: the first-parent chain, or all ancestors in topological order. */
export async function walkCommits(store: GitObjectStore, options: WalkOptions): Promise<WalkResult> {
  return options.firstParent ? walkFirstParent(store, options) : walkAllParents(store, options);
}

async function walkFirstParent(store: GitObjectStore, options: WalkOptions): Promise<WalkResult> {
  const commits: CommitInfo[] = [];
  let oid: string | undefined = options.head;
  while (oid !== undefined) {
    if (oid === options.exclude) return { commits, reachedExclude: true };
    const commit = await store.readCommit(oid);
    if (options.sinceTime !== undefined && commit.committer.timestamp < options.sinceTime) break;
    if (options.untilTime === undefined || commit.committer.timestamp <= options.untilTime) commits.push(commit);
    oid = commit.parents[0];
  }
  return { commits, reachedExclude: options.exclude === undefined };
}

/**
 * Every ancestor of `head` not reachable from `exclude`, newest first (parents always after their children): a
 * depth-first post-order over parents, last parent first, with an explicit stack, so long histories cannot
 * overflow the call stack.
 */
async function walkAllParents(store: GitObjectStore, options: WalkOptions): Promise<WalkResult> {
  const excluded = options.exclude === undefined ? new Set<string>() : await ancestors(store, options.exclude);
  const reachedExclude = options.exclude === undefined || (await isAncestor(store, options.exclude, options.head, excluded));
  const oldestFirst: CommitInfo[] = [];
  const seen = new Set<string>();
  const stack: Array<{ commit: CommitInfo; nextParent: number }> = [];
  const enter = async (oid: string): Promise<void> => {
    if (seen.has(oid) || excluded.has(oid)) return;
    seen.add(oid);
    const commit = await store.readCommit(oid);
    if (options.sinceTime !== undefined && commit.committer.timestamp < options.sinceTime) return;
    stack.push({ commit, nextParent: 0 });
  };
  await enter(options.head);
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    // Last parent first: a merged branch's commits come before the mainline commits since the fork.
    const parent = top.commit.parents[top.commit.parents.length - 1 - top.nextParent++];
    if (parent !== undefined) {
      await enter(parent);
      continue;
    }
    stack.pop();
    if (options.untilTime === undefined || top.commit.committer.timestamp <= options.untilTime) oldestFirst.push(top.commit);
  }
  return { commits: oldestFirst.reverse(), reachedExclude };
}

/** `oid` and all its ancestors. */
export async function ancestors(store: GitObjectStore, oid: string): Promise<Set<string>> {
  const found = new Set<string>([oid]);
  const pending = [oid];
  while (pending.length > 0) {
    const commit = await store.readCommit(pending.pop()!);
    for (const parent of commit.parents) {
      if (found.has(parent)) continue;
      found.add(parent);
      pending.push(parent);
    }
  }
  return found;
}

async function isAncestor(store: GitObjectStore, ancestor: string, descendant: string, ancestorsOfAncestor: Set<string>): Promise<boolean> {
  // Walk back from the descendant, never entering the ancestor's own history except the ancestor itself.
  const seen = new Set<string>([descendant]);
  const pending = [descendant];
  while (pending.length > 0) {
    const oid = pending.pop()!;
    if (oid === ancestor) return true;
    if (ancestorsOfAncestor.has(oid)) continue;
    for (const parent of (await store.readCommit(oid)).parents) {
      if (!seen.has(parent)) {
        seen.add(parent);
        pending.push(parent);
      }
    }
  }
  return false;
}

/**
 * Where to resume when the remembered commit is no longer on the walked history (a rewrite): the newest
 * commit of `newestFirst` that is also an ancestor of `previous`, i.e. their merge base on this chain.
 * Returns its index in `newestFirst`, or -1 when the histories share nothing.
 */
export async function mergeBaseIndex(store: GitObjectStore, newestFirst: CommitInfo[], previous: string): Promise<number> {
  const previousHistory = await ancestors(store, previous);
  return newestFirst.findIndex((commit) => previousHistory.has(commit.oid));
}
