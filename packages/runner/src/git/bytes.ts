/**
 * Compares `length` bytes of two buffers from the given starts. A plain loop: `Buffer.compare` with
 * offsets validates its arguments on every call, which dominated profiles of tree diffs and index lookups.
 */
export function compareBytes(a: Uint8Array, aStart: number, b: Uint8Array, bStart: number, length: number): number {
  for (let i = 0; i < length; i++) {
    const difference = a[aStart + i]! - b[bStart + i]!;
    if (difference !== 0) return difference;
  }
  return 0;
}
