/** A 1-based line and a 1-based column counted in UTF-16 code units (what SARIF and editors expect). */
export interface Position {
  line: number;
  column: number;
}

/** A half-open range of UTF-16 offsets into a source text. */
export interface TextRange {
  start: number;
  end: number;
}

/** Offsets at which each line starts. Lines end at `\n`; a `\r` before it belongs to the line it ends. */
export function computeLineStarts(text: string): Uint32Array {
  // One search over the text (counting first, then filling, searches it twice).
  const starts: number[] = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return Uint32Array.from(starts);
}

/** Converts an offset to a position by binary search over line starts. Offsets past the end clamp to it. */
export function positionAt(lineStarts: Uint32Array, text: string, offset: number): Position {
  const clamped = Math.max(0, Math.min(offset, text.length));
  let low = 0;
  let high = lineStarts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >>> 1;
    if (lineStarts[mid]! <= clamped) low = mid;
    else high = mid - 1;
  }
  return { line: low + 1, column: clamped - lineStarts[low]! + 1 };
}

/** The inverse of positionAt; columns past the line's end clamp to it. */
export function offsetAt(lineStarts: Uint32Array, text: string, position: Position): number {
  const lineIndex = Math.max(0, Math.min(position.line - 1, lineStarts.length - 1));
  const start = lineStarts[lineIndex]!;
  const end = lineIndex + 1 < lineStarts.length ? lineStarts[lineIndex + 1]! - 1 : text.length;
  return Math.min(start + Math.max(0, position.column - 1), end);
}
