import { UsageError } from '../errors.js';
import { collectHistory, type HistoryEntry, type HistoryProblem } from './collect.js';
import { parseFlakeLock, type LockedInputs } from './flake-lock.js';
import type { CommitInfo } from '../git/index.js';
import { GitObjectStore } from '../git/index.js';
import { buildReport, type HistoryReport } from './report.js';
import { headRef, locateRepository, resolveBranch, resolveRevision, type RepositoryLocation } from '../git/index.js';
import type { HistoryCursorStore } from './state.js';
import { mergeBaseIndex, walkCommits, type WalkOptions } from './walk.js';

/** What `nixforge history` was asked to do. */
export interface HistoryRunOptions {
  /** A work tree (or a folder in it) or a bare repository. */
  repository: string;
  /** Branch to walk; HEAD's branch by default. */
  branch?: string;
  /** `--since REV|DATE`: only commits after this revision, or committed on/after this date. */
  since?: string;
  /** `--until REV|DATE`: start at this revision, or skip commits committed after this date. */
  until?: string;
  /** First-parent history (default true); false is `--all-parents`. */
  firstParent: boolean;
  /** Where the incremental cursor lives; undefined disables incremental runs. */
  cursors?: HistoryCursorStore;
  /** Ignore the remembered cursor and walk everything (the cursor is still saved). */
  full?: boolean;
  staleAfterDays: number;
  top: number;
  /** Threads for diffing long histories (1 by default). */
  threads?: number;
  /** Report time in milliseconds; Date.now() by default. */
  now?: number;
  onProblem?: (problem: HistoryProblem) => void;
  /** Informational lines (resuming, rewritten history). */
  onNotice?: (line: string) => void;
}

/** The result of a run; call `saveCursor()` once its events are safely out. */
export interface HistoryRun {
  location: RepositoryLocation;
  entries: HistoryEntry[];
  report: HistoryReport;
  /** Remembers the head as processed (a no-op without a cursor store or with `--until`). */
  saveCursor(): Promise<void>;
}

const DATE = /^\d{4}-\d{2}-\d{2}([T ][0-9:.]+(Z|[+-]\d{2}:?\d{2})?)?$/;

/** Walks the requested history and collects Nix changes, flake.lock updates and the summary report. */
export async function runHistory(options: HistoryRunOptions): Promise<HistoryRun> {
  const location = locateRepository(options.repository);
  const store = new GitObjectStore(location.gitdir);
  try {
    return await runOn(store, location, options);
  } finally {
    store.close();
  }
}

async function runOn(store: GitObjectStore, location: RepositoryLocation, options: HistoryRunOptions): Promise<HistoryRun> {
  const notice = options.onNotice ?? (() => undefined);
  const branch = options.branch === undefined ? await headRef(location.gitdir) : await resolveBranch(location.gitdir, options.branch);
  const walk: WalkOptions = { head: branch.oid, firstParent: options.firstParent };
  if (options.until !== undefined) {
    if (DATE.test(options.until)) walk.untilTime = parseDate(options.until, '--until');
    else walk.head = await resolveRevision(store, options.until, '--until');
  }
  let resumedFrom: string | undefined;
  let cursor: string | undefined;
  let rewritten: string | undefined;
  if (options.since !== undefined) {
    if (DATE.test(options.since)) walk.sinceTime = parseDate(options.since, '--since');
    else resumedFrom = walk.exclude = await resolveRevision(store, options.since, '--since');
  }
  const cursorKey = `${location.name}:${branch.ref}${options.firstParent ? '' : ':all-parents'}`;
  if (options.since === undefined && options.cursors && !options.full) {
    cursor = await options.cursors.get(cursorKey);
    if (cursor !== undefined && !(await commitExists(store, cursor))) {
      rewritten = `the remembered commit ${cursor.slice(0, 12)} no longer exists in the repository; walking the whole history`;
      notice(`history: ${rewritten}`);
      cursor = undefined;
    }
    if (cursor !== undefined) {
      resumedFrom = walk.exclude = cursor;
      notice(`history: resuming after ${cursor.slice(0, 12)} (from ${options.cursors.location})`);
    }
  }

  const walked = await walkCommits(store, walk);
  let commits: CommitInfo[] = walked.commits;
  if (!walked.reachedExclude && walk.exclude !== undefined) {
    // All-parents walks already skip everything reachable from the excluded commit, i.e. start at the merge base.
    const base = options.firstParent ? await mergeBaseIndex(store, commits, walk.exclude) : undefined;
    if (base !== undefined && base >= 0) commits = commits.slice(0, base);
    if (cursor !== undefined) {
      const short = cursor.slice(0, 12);
      if (base === undefined) rewritten = `history was rewritten: ${short} is no longer on ${branch.ref}; resuming after the commits both histories share`;
      else if (base >= 0) rewritten = `history was rewritten: ${short} is no longer on ${branch.ref}; resuming from the merge base ${walked.commits[base]!.oid.slice(0, 12)}`;
      else rewritten = `history was rewritten: ${short} shares no history with ${branch.ref}; walking the whole history`;
      notice(`history: ${rewritten}`);
    }
  }

  const entries = await collectHistory(store, commits, {
    firstParent: options.firstParent,
    threads: options.threads ?? 1,
    ...(options.onProblem ? { onProblem: options.onProblem } : {}),
  });
  const headInputs = await headFlakeInputs(store, walk.head, options.onProblem);
  const report = buildReport(entries, {
    repository: location.name,
    branch: branch.ref,
    head: walk.head,
    firstParent: options.firstParent,
    walked: commits.length,
    ...(resumedFrom !== undefined ? { resumedFrom } : {}),
    ...(rewritten !== undefined ? { rewritten } : {}),
    headInputs,
    staleAfterDays: options.staleAfterDays,
    top: options.top,
    now: options.now ?? Date.now(),
  });
  const saveCursor = async (): Promise<void> => {
    if (options.cursors && options.until === undefined) await options.cursors.put(cursorKey, walk.head);
  };
  return { location, entries, report, saveCursor };
}

async function commitExists(store: GitObjectStore, oid: string): Promise<boolean> {
  try {
    await store.readCommit(oid);
    return true;
  } catch {
    return false;
  }
}

/** The inputs pinned by the root flake.lock of a commit, for the stale check. */
async function headFlakeInputs(store: GitObjectStore, head: string, onProblem: HistoryRunOptions['onProblem']): Promise<LockedInputs | undefined> {
  const commit = await store.readCommit(head);
  const entry = (await store.readTree(commit.tree)).find((candidate) => candidate.name === 'flake.lock' && candidate.kind === 'blob');
  if (!entry) return undefined;
  try {
    return parseFlakeLock((await store.readObject(entry.oid)).data.toString('utf8'));
  } catch (error) {
    onProblem?.({ commit: head, path: 'flake.lock', message: error instanceof Error ? error.message : String(error) });
    return undefined;
  }
}

function parseDate(text: string, flag: string): number {
  const milliseconds = Date.parse(text);
  if (Number.isNaN(milliseconds)) throw new UsageError(`${flag}: '${text}' is not a valid date (use YYYY-MM-DD or an ISO 8601 time)`);
  return Math.floor(milliseconds / 1000);
}
