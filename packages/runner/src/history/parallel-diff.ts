import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { changesOfCommits, type CommitChanges, type CommitRef } from './commit-changes.js';
import type { DiffJob } from './diff-worker.js';
import type { GitObjectStore } from '../git/index.js';

/** Compiled worker; from `src/history` and `dist/history` alike this points into `dist`. */
export const WORKER_FILE = fileURLToPath(new URL('../../dist/history/diff-worker.js', import.meta.url));

/** Below this many commits per thread, starting a worker (about 0.1 s) costs more than it saves. */
export const MIN_COMMITS_PER_THREAD = 1500;

/**
 * Diffs every commit against its parent(s), split into contiguous runs over `threads` threads: the calling
 * thread takes the first run, workers (each with its own object store and caches) the others. Contiguous runs
 * keep each thread's tree cache warm. Falls back to one thread for short histories or without the compiled worker.
 */
export async function diffCommits(store: GitObjectStore, commits: CommitRef[], firstParent: boolean, threads: number): Promise<CommitChanges[]> {
  const runs = Math.min(Math.max(1, Math.floor(threads)), Math.floor(commits.length / MIN_COMMITS_PER_THREAD));
  if (runs <= 1 || !existsSync(WORKER_FILE)) return changesOfCommits(store, commits, firstParent);
  const size = Math.ceil(commits.length / runs);
  const pending: Array<Promise<CommitChanges[]>> = [];
  for (let run = 1; run < runs; run++) {
    const segment = commits.slice(run * size, (run + 1) * size);
    // A worker that cannot start or dies leaves its run to this thread: slower, same answer.
    pending.push(inWorker({ gitdir: store.gitdir, commits: segment, firstParent }).catch(() => changesOfCommits(store, segment, firstParent)));
  }
  const first = await changesOfCommits(store, commits.slice(0, size), firstParent);
  const rest = await Promise.all(pending);
  return first.concat(...rest);
}

function inWorker(job: DiffJob): Promise<CommitChanges[]> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_FILE, { workerData: job });
    let settled = false;
    worker.once('message', (message: { changes?: CommitChanges[]; error?: string }) => {
      settled = true;
      if (message.changes) resolve(message.changes);
      else reject(new Error(`history diff worker: ${message.error ?? 'no result'}`));
    });
    worker.once('error', (error) => {
      settled = true;
      reject(error);
    });
    worker.once('exit', (code) => {
      if (!settled) reject(new Error(`history diff worker exited with code ${code} before answering`));
    });
  });
}
