import type { FlakeLockUpdatedData, NixFilesChangedData } from '../events/index.js';
import type { HistoryEntry } from './collect.js';

export type { FlakeLockUpdatedData, NixFilesChangedData } from '../events/index.js';

export function commitTime(entry: HistoryEntry): string {
  return new Date(entry.commit.committer.timestamp * 1000).toISOString();
}

export function nixFilesChangedData(entry: HistoryEntry): NixFilesChangedData {
  const { commit } = entry;
  return {
    commit: commit.oid,
    parents: commit.parents,
    author: { name: commit.author.name, email: commit.author.email },
    time: commitTime(entry),
    message: commit.message,
    files: entry.files,
  };
}

export function flakeLockUpdatedData(entry: HistoryEntry): FlakeLockUpdatedData {
  return { commit: entry.commit.oid, time: commitTime(entry), inputs: entry.flakeLock ?? [] };
}
