import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { inflateSync } from 'node:zlib';
import { applyDelta } from './delta.js';
import { LruCache } from '../lru.js';
import { PackIndex } from './pack-index.js';

/** The four object types Git stores. */
export type GitObjectType = 'commit' | 'tree' | 'blob' | 'tag';

/** An object's type and its inflated content (without the loose-object header). */
export interface GitObject {
  type: GitObjectType;
  data: Buffer;
}

const TYPE_BY_CODE: Record<number, GitObjectType> = { 1: 'commit', 2: 'tree', 3: 'blob', 4: 'tag' };
const OFS_DELTA = 6;
const REF_DELTA = 7;

const BLOCK_SIZE = 256 * 1024;
const BLOCK_CACHE_BLOCKS = 64;

/** Bytes of resolved objects kept so delta chains that share a base inflate it once. */
const DEFAULT_BASE_CACHE_BYTES = 64 * 1024 * 1024;

interface RawEntry {
  typeCode: number;
  /** Inflated payload: the object itself, or a delta against `baseOffset` / `baseOid`. */
  payload: Buffer;
  baseOffset?: number;
  baseOid?: Buffer;
}

/**
 * One packfile with its index, read entry by entry with positioned reads (never the whole pack in memory).
 * Delta chains are resolved with a loop and a bounded cache of resolved objects by offset.
 */
export class PackFile {
  private readonly fd: number;
  private readonly size: number;
  private readonly resolved: LruCache<number, GitObject>;
  /** Reused for the compressed bytes of entries larger than a block; only the inflated result is a new buffer. */
  private scratch = Buffer.allocUnsafe(64 * 1024);
  /**
   * Recently read blocks of the pack. Git writes objects of neighbouring commits close together, so most
   * entries come from a block already read: one read call per block instead of one per object.
   */
  private readonly blocks = new LruCache<number, Buffer>(BLOCK_CACHE_BLOCKS);

  /**
   * @param readExternal reads a ref-delta base that lives outside this pack (thin or split packs).
   */
  constructor(
    readonly index: PackIndex,
    packPath: string,
    private readonly readExternal: (oid: Buffer) => GitObject,
    baseCacheBytes = DEFAULT_BASE_CACHE_BYTES,
  ) {
    this.fd = openSync(packPath, 'r');
    this.size = fstatSync(this.fd).size;
    this.resolved = new LruCache(baseCacheBytes, (object) => object.data.length + 64);
  }

  /** The object with this oid, or undefined when the pack does not hold it. */
  read(oid: Buffer): GitObject | undefined {
    const offset = this.index.offsetOf(oid);
    return offset === undefined ? undefined : this.readAt(offset);
  }

  close(): void {
    closeSync(this.fd);
  }

  private readAt(offset: number): GitObject {
    const cached = this.resolved.get(offset);
    if (cached) return cached;
    // Follow the chain down to a cached or whole object, remembering the deltas on the way.
    const deltas: Array<{ offset: number; payload: Buffer }> = [];
    let base: GitObject | undefined;
    let at = offset;
    for (;;) {
      const hit = this.resolved.get(at);
      if (hit) {
        base = hit;
        break;
      }
      const entry = this.readEntry(at);
      if (entry.typeCode === OFS_DELTA) {
        deltas.push({ offset: at, payload: entry.payload });
        at = entry.baseOffset!;
        continue;
      }
      if (entry.typeCode === REF_DELTA) {
        deltas.push({ offset: at, payload: entry.payload });
        const inPack = this.index.offsetOf(entry.baseOid!);
        if (inPack !== undefined) {
          at = inPack;
          continue;
        }
        base = this.readExternal(entry.baseOid!);
        break;
      }
      const type = TYPE_BY_CODE[entry.typeCode];
      if (type === undefined) throw new Error(`${this.index.path}: unknown object type ${entry.typeCode} at offset ${at}`);
      base = { type, data: entry.payload };
      this.resolved.set(at, base);
      break;
    }
    for (let i = deltas.length - 1; i >= 0; i--) {
      const delta = deltas[i]!;
      base = { type: base.type, data: applyDelta(delta.payload, base.data) };
      this.resolved.set(delta.offset, base);
    }
    return base;
  }

  /** The pack's bytes in [start, end): from a cached block when the range lies inside one, else read directly. */
  private bytes(start: number, end: number): Buffer {
    const blockStart = start - (start % BLOCK_SIZE);
    if (end <= blockStart + BLOCK_SIZE) {
      let block = this.blocks.get(blockStart);
      if (block === undefined) {
        block = Buffer.allocUnsafe(Math.min(BLOCK_SIZE, this.size - blockStart));
        this.readInto(block, blockStart);
        this.blocks.set(blockStart, block);
      }
      return block.subarray(start - blockStart, end - blockStart);
    }
    if (this.scratch.length < end - start) this.scratch = Buffer.allocUnsafe(Math.max(end - start, this.scratch.length * 2));
    const raw = this.scratch.subarray(0, end - start);
    this.readInto(raw, start);
    return raw;
  }

  private readInto(target: Buffer, position: number): void {
    let filled = 0;
    while (filled < target.length) {
      const read = readSync(this.fd, target, filled, target.length - filled, position + filled);
      if (read === 0) throw new Error(`${this.index.path}: packfile ends at ${position + filled}, inside an entry`);
      filled += read;
    }
  }

  private readEntry(offset: number): RawEntry {
    const end = this.index.entryEnd(offset, this.size);
    const raw = this.bytes(offset, end);
    let position = 0;
    let byte = raw[position++]!;
    const typeCode = (byte >> 4) & 7;
    let size = byte & 0x0f;
    for (let shift = 4; byte & 0x80; shift += 7) {
      byte = raw[position++]!;
      size += (byte & 0x7f) * 2 ** shift;
    }
    const entry: Partial<RawEntry> = { typeCode };
    if (typeCode === OFS_DELTA) {
      byte = raw[position++]!;
      let distance = byte & 0x7f;
      while (byte & 0x80) {
        byte = raw[position++]!;
        distance = (distance + 1) * 128 + (byte & 0x7f);
      }
      entry.baseOffset = offset - distance;
    } else if (typeCode === REF_DELTA) {
      entry.baseOid = Buffer.from(raw.subarray(position, position + 20));
      position += 20;
    }
    // An output chunk one byte larger than the known size: zlib fills it in one go instead of 16 KiB chunks.
    entry.payload = inflateSync(raw.subarray(position), { chunkSize: Math.max(64, size + 1) });
    if (entry.payload.length !== size) throw new Error(`${this.index.path}: entry at offset ${offset} inflates to ${entry.payload.length} bytes, not ${size}`);
    return entry as RawEntry;
  }
}
