import type { FlakeInputChange } from './flake-lock.js';
import type { FileChange, HistoryEntry } from './collect.js';

/** `data` of `nixforge.git.nixfiles.changed`. */
export interface NixFilesChangedData {
  commit: string;
  parents: string[];
  author: { name: string; email: string };
  /** Commit time (committer date), RFC 3339. */
  time: string;
  message: string;
  files: FileChange[];
}

/** `data` of `nixforge.git.flakelock.updated`. */
export interface FlakeLockUpdatedData {
  commit: string;
  time: string;
  inputs: FlakeInputChange[];
}

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
