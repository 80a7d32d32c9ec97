import { readFileSync } from 'node:fs';
import { compareBytes } from './bytes.js';

const IDX_MAGIC = 0xff744f63; // "\377tOc"

/** A version-2 pack index (`objects/pack/*.idx`): finds an object's offset in its packfile. */
export class PackIndex {
  private readonly count: number;
  private readonly namesStart = 8 + 256 * 4;
  private readonly offsetsStart: number;
  private readonly largeOffsetsStart: number;
  private sortedOffsets: Float64Array | undefined;

  private constructor(private readonly idx: Buffer, readonly path: string) {
    this.count = idx.readUInt32BE(8 + 255 * 4);
    this.offsetsStart = this.namesStart + this.count * 24; // names (20 bytes) then CRC32s (4 bytes)
    this.largeOffsetsStart = this.offsetsStart + this.count * 4;
  }

  /** Reads an index file; returns undefined for formats other than version 2 (callers fall back). */
  static load(path: string): PackIndex | undefined {
    const idx = readFileSync(path);
    if (idx.length < 8 + 256 * 4 || idx.readUInt32BE(0) !== IDX_MAGIC || idx.readUInt32BE(4) !== 2) return undefined;
    return new PackIndex(idx, path);
  }

  /** The offset of the object in the packfile, or undefined when this pack does not hold it. */
  offsetOf(oid: Buffer): number | undefined {
    const first = oid[0]!;
    let low = first === 0 ? 0 : this.idx.readUInt32BE(8 + (first - 1) * 4);
    let high = this.idx.readUInt32BE(8 + first * 4);
    // Compare the leading 4 bytes as one number; only equal prefixes need the byte loop.
    const prefix = oid.readUInt32BE(0);
    while (low < high) {
      const middle = (low + high) >>> 1;
      const start = this.namesStart + middle * 20;
      const candidate = this.idx.readUInt32BE(start);
      const order = prefix !== candidate ? prefix - candidate : compareBytes(oid, 4, this.idx, start + 4, 16);
      if (order === 0) return this.offsetAt(middle);
      if (order < 0) high = middle;
      else low = middle + 1;
    }
    return undefined;
  }

  /**
   * Where the entry starting at `offset` ends: the next entry's offset, or the pack's trailer. Knowing
   * the end lets a reader fetch exactly one entry from disk instead of mapping the whole pack.
   */
  entryEnd(offset: number, packSize: number): number {
    if (this.sortedOffsets === undefined) {
      const offsets = new Float64Array(this.count);
      for (let i = 0; i < this.count; i++) offsets[i] = this.offsetAt(i);
      this.sortedOffsets = offsets.sort();
    }
    const offsets = this.sortedOffsets;
    let low = 0;
    let high = offsets.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (offsets[middle]! <= offset) low = middle + 1;
      else high = middle;
    }
    return low < offsets.length ? offsets[low]! : packSize - 20;
  }

  private offsetAt(index: number): number {
    const small = this.idx.readUInt32BE(this.offsetsStart + index * 4);
    if ((small & 0x80000000) === 0) return small;
    const large = this.largeOffsetsStart + (small & 0x7fffffff) * 8;
    return this.idx.readUInt32BE(large) * 2 ** 32 + this.idx.readUInt32BE(large + 4);
  }
}
