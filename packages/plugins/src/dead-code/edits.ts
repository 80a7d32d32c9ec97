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

function lineStartOf(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** The text of the line that ends just before `lineStart` (undefined at the start of the file). */
function previousLine(text: string, lineStart: number): { start: number; text: string } | undefined {
  if (lineStart === 0) return undefined;
  const start = lineStartOf(text, lineStart - 1);
  return { start, text: text.slice(start, lineStart - 1) };
}

/**
 * The range to delete to remove a whole statement (`name = …;`, `inherit …;`) the way its author would: the
 * comment lines right above it that describe it (a block of `#` lines after a blank line or the `let`), and
 * one of the blank lines around it when it stood alone between blank lines (or right after `let`), so no
 * orphaned comment or double blank line is left.
 */
export function statementRemovalRange(text: string, range: TextRange): TextRange {
  const removal = removalRange(text, range);
  const wholeLines = removal.start === lineStartOf(text, removal.start) && (removal.end === text.length || text[removal.end - 1] === '\n');
  if (!wholeLines) return removal;
  let start = removal.start;
  let comments = start;
  for (let line = previousLine(text, comments); line && /^\s*#/.test(line.text); line = previousLine(text, comments)) {
    if (/deadnix:\s*skip|nixforge-disable/.test(line.text)) break;
    comments = line.start;
  }
  if (comments < start) {
    const above = previousLine(text, comments);
    if (above === undefined || above.text.trim() === '' || /\blet\s*$/.test(above.text)) start = comments;
  }
  let end = removal.end;
  const above = previousLine(text, start);
  const aboveOpens = above === undefined || above.text.trim() === '' || /\blet\s*$/.test(above.text);
  const nextNewline = text.indexOf('\n', end);
  if (aboveOpens && nextNewline >= 0 && text.slice(end, nextNewline).trim() === '') end = nextNewline + 1;
  return { start, end };
}
