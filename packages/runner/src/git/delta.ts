/** Applies a Git pack delta (the "copy from base / insert literal" instruction stream) to its base object. */
export function applyDelta(delta: Buffer, base: Buffer): Buffer {
  let position = 0;
  const readSize = (): number => {
    let size = 0;
    let shift = 0;
    let byte: number;
    do {
      byte = delta[position++]!;
      size += (byte & 0x7f) * 2 ** shift;
      shift += 7;
    } while (byte & 0x80);
    return size;
  };
  const baseSize = readSize();
  if (baseSize !== base.length) throw new Error(`delta expects a base of ${baseSize} bytes, found ${base.length}`);
  const result = Buffer.allocUnsafe(readSize());
  let written = 0;
  while (position < delta.length) {
    const command = delta[position++]!;
    if (command & 0x80) {
      let offset = 0;
      let size = 0;
      for (let bit = 0; bit < 4; bit++) if (command & (1 << bit)) offset |= delta[position++]! << (8 * bit);
      for (let bit = 0; bit < 3; bit++) if (command & (0x10 << bit)) size |= delta[position++]! << (8 * bit);
      offset >>>= 0;
      if (size === 0) size = 0x10000;
      if (offset + size > base.length || written + size > result.length) throw new Error('delta copies outside its objects');
      base.copy(result, written, offset, offset + size);
      written += size;
    } else if (command !== 0) {
      if (written + command > result.length || position + command > delta.length) throw new Error('delta inserts past its end');
      delta.copy(result, written, position, position + command);
      position += command;
      written += command;
    } else {
      throw new Error('delta has the reserved instruction 0');
    }
  }
  if (written !== result.length) throw new Error(`delta produced ${written} of ${result.length} bytes`);
  return result;
}
