import { posix } from 'node:path';
import type { HistoryEntry } from './collect.js';
import type { LockedInputs } from './flake-lock.js';

/** Update statistics of one flake input over the walked commits, and how old its current pin is. */
export interface InputReport {
  name: string;
  /** Commits that added or updated the input. */
  updates: number;
  /** Mean days between successive updates; absent with fewer than two. */
  meanIntervalDays?: number;
  /** Commit time of the last add/update/remove, RFC 3339. */
  lastUpdate?: string;
  /** Locked `lastModified` of the pin at the head commit, RFC 3339; absent when the input is gone or has none. */
  lockedAt?: string;
  /** Days between `lockedAt` and the report time. */
  ageDays?: number;
  /** The pin is older than the stale limit. */
  stale: boolean;
  /** Not in the head commit's flake.lock any more. */
  removed: boolean;
}

/** A path and how many walked commits changed it. */
export interface ChangeCount {
  path: string;
  changes: number;
}

/** The `--format json` summary of a history run. */
export interface HistoryReport {
  repository: string;
  branch: string;
  head: string;
  firstParent: boolean;
  /** The commit the run resumed after (incremental runs and `--since REV`). */
  resumedFrom?: string;
  /** Set when the remembered commit was no longer in the history: what happened and where the run resumed. */
  rewritten?: string;
  commits: { walked: number; nixChanges: number; flakeLockUpdates: number };
  inputs: InputReport[];
  staleAfterDays: number;
  staleInputs: string[];
  mostChangedFiles: ChangeCount[];
  mostChangedDirectories: ChangeCount[];
}

export interface ReportContext {
  repository: string;
  branch: string;
  head: string;
  firstParent: boolean;
  walked: number;
  resumedFrom?: string;
  rewritten?: string;
  /** The flake.lock inputs at the head commit (undefined without one). */
  headInputs: LockedInputs | undefined;
  staleAfterDays: number;
  /** How many files and directories to list. */
  top: number;
  /** The report time in milliseconds (now). */
  now: number;
}

const DAY_SECONDS = 86_400;

export function buildReport(entries: HistoryEntry[], context: ReportContext): HistoryReport {
  const updateTimes = new Map<string, number[]>();
  const lastChange = new Map<string, number>();
  const fileCounts = new Map<string, number>();
  const directoryCounts = new Map<string, number>();
  let nixChanges = 0;
  let flakeLockUpdates = 0;
  for (const entry of entries) {
    const time = entry.commit.committer.timestamp;
    if (entry.files.length > 0) nixChanges++;
    for (const file of entry.files) {
      increment(fileCounts, file.path);
      increment(directoryCounts, posix.dirname(file.path));
    }
    if (!entry.flakeLock) continue;
    flakeLockUpdates++;
    for (const input of entry.flakeLock) {
      lastChange.set(input.name, time);
      if (input.change === 'removed') continue;
      const times = updateTimes.get(input.name) ?? [];
      times.push(time);
      updateTimes.set(input.name, times);
    }
  }

  const names = new Set([...lastChange.keys(), ...(context.headInputs?.keys() ?? [])]);
  const inputs: InputReport[] = [...names].sort().map((name) => {
    const times = updateTimes.get(name) ?? [];
    const pinned = context.headInputs?.get(name);
    const report: InputReport = { name, updates: times.length, stale: false, removed: pinned === undefined };
    if (times.length >= 2) report.meanIntervalDays = round((times[times.length - 1]! - times[0]!) / (times.length - 1) / DAY_SECONDS);
    const last = lastChange.get(name);
    if (last !== undefined) report.lastUpdate = new Date(last * 1000).toISOString();
    if (pinned?.lastModified !== undefined) {
      report.lockedAt = new Date(pinned.lastModified * 1000).toISOString();
      report.ageDays = round((context.now / 1000 - pinned.lastModified) / DAY_SECONDS);
      report.stale = report.ageDays > context.staleAfterDays;
    }
    return report;
  });

  const report: HistoryReport = {
    repository: context.repository,
    branch: context.branch,
    head: context.head,
    firstParent: context.firstParent,
    commits: { walked: context.walked, nixChanges, flakeLockUpdates },
    inputs,
    staleAfterDays: context.staleAfterDays,
    staleInputs: inputs.filter((input) => input.stale).map((input) => input.name),
    mostChangedFiles: top(fileCounts, context.top),
    mostChangedDirectories: top(directoryCounts, context.top),
  };
  if (context.resumedFrom !== undefined) report.resumedFrom = context.resumedFrom;
  if (context.rewritten !== undefined) report.rewritten = context.rewritten;
  return report;
}

function increment(counts: Map<string, number>, key: string): void {
  counts.set(key, (counts.get(key) ?? 0) + 1);
}

/** The `count` largest entries, ties broken by path so the order is stable. */
function top(counts: Map<string, number>, count: number): ChangeCount[] {
  return [...counts]
    .map(([path, changes]) => ({ path, changes }))
    .sort((a, b) => b.changes - a.changes || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
    .slice(0, count);
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
