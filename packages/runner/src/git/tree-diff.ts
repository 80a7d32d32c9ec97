import { compareBytes } from './bytes.js';
import type { GitObjectStore } from './object-store.js';

/** A blob that differs between two trees; `oldOid` absent means added, `newOid` absent means deleted. */
export interface BlobChange {
  path: string;
  oldOid?: string;
  newOid?: string;
}

/** Which blobs a diff reports, by their path in the repository. */
export type PathFilter = (path: string) => boolean;

const DOT_NIX = Buffer.from('.nix');

/** The paths the history follows: every `*.nix` file, and the flake.lock at the repository root. */
export const nixHistoryFilter: PathFilter = (path) => path.endsWith('.nix') || path === 'flake.lock';

/**
 * Lists the blobs accepted by `filter` that differ between two trees (either may be absent: the empty
 * tree). Subtrees with equal oids are skipped without reading them, differing ones are compared entry by
 * entry on their raw bytes (both are sorted the Git way), and strings are only built for entries that
 * differ. Uses an explicit stack, so nesting depth is not limited by the call stack.
 */
export async function diffTrees(
  store: GitObjectStore,
  oldTree: string | undefined,
  newTree: string | undefined,
  filter: PathFilter = nixHistoryFilter,
): Promise<BlobChange[]> {
  const changes: BlobChange[] = [];
  const pending: Array<{ prefix: string; oldTree: string | undefined; newTree: string | undefined }> = [];
  if (oldTree !== newTree) pending.push({ prefix: '', oldTree, newTree });
  while (pending.length > 0) {
    const { prefix, oldTree: oldOid, newTree: newOid } = pending.pop()!;
    const older = oldOid === undefined ? EMPTY : await store.readRawTree(oldOid);
    const newer = newOid === undefined ? EMPTY : await store.readRawTree(newOid);
    const a = new EntryCursor(older);
    const b = new EntryCursor(newer);
    a.next();
    b.next();
    while (!a.done || !b.done) {
      const order = a.done ? 1 : b.done ? -1 : compareEntryNames(a, b);
      if (order === 0) {
        if (!a.sameOid(b) || a.kind !== b.kind) visitPair(prefix, a, b);
        a.next();
        b.next();
      } else if (order < 0) {
        visitPair(prefix, a, undefined);
        a.next();
      } else {
        visitPair(prefix, undefined, b);
        b.next();
      }
    }
  }
  return changes;

  function visitPair(prefix: string, older: EntryCursor | undefined, newer: EntryCursor | undefined): void {
    const oldDir = older?.kind === 'tree' ? older.oid() : undefined;
    const newDir = newer?.kind === 'tree' ? newer.oid() : undefined;
    const name = (older ?? newer)!.name();
    if (oldDir !== undefined || newDir !== undefined) pending.push({ prefix: `${prefix}${name}/`, oldTree: oldDir, newTree: newDir });
    const oldBlob = older?.kind === 'blob' && older.mayMatch() ? older.oid() : undefined;
    const newBlob = newer?.kind === 'blob' && newer.mayMatch() ? newer.oid() : undefined;
    if (oldBlob === undefined && newBlob === undefined) return;
    const path = prefix + name;
    if (!filter(path)) return;
    const change: BlobChange = { path };
    if (oldBlob !== undefined) change.oldOid = oldBlob;
    if (newBlob !== undefined) change.newOid = newBlob;
    changes.push(change);
  }
}

const EMPTY = Buffer.alloc(0);
const FLAKE_LOCK = Buffer.from('flake.lock');

/** Walks the entries of a raw tree object (`<mode> <name>\0<20-byte oid>` repeated) without copying. */
class EntryCursor {
  done = false;
  kind: 'tree' | 'blob' | 'commit' = 'blob';
  nameStart = 0;
  nameEnd = 0;
  private position = 0;

  constructor(readonly data: Buffer) {}

  next(): void {
    if (this.position >= this.data.length) {
      this.done = true;
      return;
    }
    // Plain loops: `indexOf` is a native call per use, which cost more than the scan on short modes and names.
    const data = this.data;
    let space = this.position;
    while (space < data.length && data[space] !== 0x20) space++;
    let nul = space + 1;
    while (nul < data.length && data[nul] !== 0) nul++;
    if (nul + 21 > data.length) throw new Error('malformed tree object');
    this.kind = entryKind(this.data, this.position, space);
    this.nameStart = space + 1;
    this.nameEnd = nul;
    this.position = nul + 21;
  }

  name(): string {
    return this.data.toString('utf8', this.nameStart, this.nameEnd);
  }

  oid(): string {
    return this.data.toString('hex', this.nameEnd + 1, this.nameEnd + 21);
  }

  sameOid(other: EntryCursor): boolean {
    return compareBytes(this.data, this.nameEnd + 1, other.data, other.nameEnd + 1, 20) === 0;
  }

  /** A cheap pre-filter on the raw name: ends in `.nix` or is `flake.lock`. */
  mayMatch(): boolean {
    const length = this.nameEnd - this.nameStart;
    if (length >= 4 && compareBytes(this.data, this.nameEnd - 4, DOT_NIX, 0, 4) === 0) return true;
    return length === FLAKE_LOCK.length && compareBytes(this.data, this.nameStart, FLAKE_LOCK, 0, FLAKE_LOCK.length) === 0;
  }
}

/** The kind of an entry from its octal mode: `40000` a directory, `160000` a submodule, else a blob. */
function entryKind(data: Buffer, modeStart: number, modeEnd: number): 'tree' | 'blob' | 'commit' {
  const length = modeEnd - modeStart;
  const first = data[modeStart];
  if ((length === 5 && first === 0x34) || (length === 6 && first === 0x30)) return 'tree';
  if (length === 6 && first === 0x31 && data[modeStart + 1] === 0x36) return 'commit';
  return 'blob';
}

/** Git's tree order: byte-wise on names, where a directory's name is compared as if it ended in `/`. */
function compareEntryNames(a: EntryCursor, b: EntryCursor): number {
  const aLength = a.nameEnd - a.nameStart;
  const bLength = b.nameEnd - b.nameStart;
  const common = Math.min(aLength, bLength);
  const order = compareBytes(a.data, a.nameStart, b.data, b.nameStart, common);
  if (order !== 0) return order;
  const aNext = aLength > common ? a.data[a.nameStart + common]! : a.kind === 'tree' ? 0x2f : 0;
  const bNext = bLength > common ? b.data[b.nameStart + common]! : b.kind === 'tree' ? 0x2f : 0;
  return aNext - bNext;
}
