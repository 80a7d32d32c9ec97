/** Parsers for the commit and tree object formats. */

/** One entry of a tree object. */
export interface TreeEntry {
  name: string;
  oid: string;
  /** `tree` for directories, `blob` for files and symlinks, `commit` for submodules (gitlinks). */
  kind: 'tree' | 'blob' | 'commit';
}

/** A person line of a commit (`author` / `committer`). */
export interface Signature {
  name: string;
  email: string;
  /** Seconds since the epoch. */
  timestamp: number;
}

/** The fields of a commit object the history walk needs. */
export interface CommitInfo {
  oid: string;
  tree: string;
  parents: string[];
  author: Signature;
  committer: Signature;
  message: string;
}

export function parseTree(data: Buffer): TreeEntry[] {
  const entries: TreeEntry[] = [];
  let position = 0;
  while (position < data.length) {
    const space = data.indexOf(0x20, position);
    const nul = data.indexOf(0, space);
    if (space < 0 || nul < 0 || nul + 21 > data.length) throw new Error('malformed tree object');
    const mode = data.toString('latin1', position, space);
    const kind = mode === '40000' || mode === '040000' ? 'tree' : mode === '160000' ? 'commit' : 'blob';
    entries.push({ name: data.toString('utf8', space + 1, nul), oid: data.toString('hex', nul + 1, nul + 21), kind });
    position = nul + 21;
  }
  return entries;
}

export function parseCommit(oid: string, data: Buffer): CommitInfo {
  const text = data.toString('utf8');
  const headerEnd = text.indexOf('\n\n');
  const header = headerEnd < 0 ? text : text.slice(0, headerEnd);
  const commit: Partial<CommitInfo> & { parents: string[] } = { oid, parents: [] };
  for (const line of header.split('\n')) {
    // Continuation lines (gpgsig, mergetag) start with a space and are skipped.
    const space = line.indexOf(' ');
    const key = line.slice(0, space);
    const value = line.slice(space + 1);
    if (key === 'tree') commit.tree = value;
    else if (key === 'parent') commit.parents.push(value);
    else if (key === 'author') commit.author = parseSignature(value);
    else if (key === 'committer') commit.committer = parseSignature(value);
  }
  if (commit.tree === undefined) throw new Error(`commit ${oid} has no tree`);
  const unknown: Signature = { name: '', email: '', timestamp: 0 };
  commit.author ??= commit.committer ?? unknown;
  commit.committer ??= commit.author;
  commit.message = headerEnd < 0 ? '' : text.slice(headerEnd + 2);
  return commit as CommitInfo;
}

function parseSignature(value: string): Signature {
  const open = value.indexOf('<');
  const close = value.indexOf('>', open);
  if (open < 0 || close < 0) return { name: value.trim(), email: '', timestamp: 0 };
  const timestamp = Number.parseInt(value.slice(close + 1).trim().split(' ')[0] ?? '', 10);
  return {
    name: value.slice(0, open).trim(),
    email: value.slice(open + 1, close),
    timestamp: Number.isFinite(timestamp) ? timestamp : 0,
  };
}
