import { parentPort, workerData } from 'node:worker_threads';
import { changesOfCommits, type CommitRef } from './commit-changes.js';
import { GitObjectStore } from '../git/index.js';

/** The job of one diff worker: a contiguous run of commits of one repository. */
export interface DiffJob {
  gitdir: string;
  commits: CommitRef[];
  firstParent: boolean;
}

const job = workerData as DiffJob;
const store = new GitObjectStore(job.gitdir);
try {
  parentPort!.postMessage({ changes: await changesOfCommits(store, job.commits, job.firstParent) });
} catch (error) {
  parentPort!.postMessage({ error: error instanceof Error ? error.message : String(error) });
} finally {
  store.close();
}
