import type { TextRange } from '@nixforge/core';

const HORIZONTAL_SPACE = /[ \t]/;

/**
 * The range to delete to remove `range` cleanly: the whole line when nothing else is on it, otherwise the
 * range plus the blanks after it (or before it, when it is followed by `;` or `}`).
 */
export function removalRange(text: string, range: TextRange): TextRange {
  const lineStart = text.lastIndexOf('\n', range.start - 1) + 1;
  const newline = text.indexOf('\n', range.end);
  const lineEnd = newline < 0 ? text.length : newline;
  const aloneOnLine = text.slice(lineStart, range.start).trim() === '' && text.slice(range.end, lineEnd).trim() === '';
  if (aloneOnLine) return { start: lineStart, end: newline < 0 ? text.length : newline + 1 };
  let end = range.end;
  while (end < text.length && HORIZONTAL_SPACE.test(text[end]!)) end += 1;
  if (end < text.length && (text[end] === ';' || text[end] === '}' || text[end] === ')')) {
    let start = range.start;
    while (start > 0 && HORIZONTAL_SPACE.test(text[start - 1]!)) start -= 1;
    return { start, end: range.end };
  }
  return { start: range.start, end };
}

/** Offset of the next non-blank character at or after `offset` (comments are not skipped). */
export function skipBlanks(text: string, offset: number): number {
  let i = offset;
  while (i < text.length && /\s/.test(text[i]!)) i += 1;
  return i;
}

/** Offset just after the last non-blank character before `offset`. */
export function skipBlanksBackward(text: string, offset: number): number {
  let i = offset;
  while (i > 0 && /\s/.test(text[i - 1]!)) i -= 1;
  return i;
}
