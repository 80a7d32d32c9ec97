// Reading a Git repository without a git binary: loose objects and packs (with deltas), refs, revisions, tree diffs.
export { GitObjectStore } from './object-store.js';
export type { GitObject, GitObjectType } from './pack-file.js';
export { parseCommit, parseTree, type CommitInfo, type Signature, type TreeEntry } from './git-objects.js';
export { readRef, expandRef } from './refs.js';
export { locateRepository, resolveRevision, resolveBranch, headRef, type RepositoryLocation } from './repository.js';
export { diffTrees, nixHistoryFilter, type BlobChange, type PathFilter } from './tree-diff.js';
export { listNixFilesAtRev, readBlobText, changedNixFilesSince, changedPathsSince } from './git-files.js';
