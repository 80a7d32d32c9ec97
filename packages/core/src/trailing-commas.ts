/**
 * Works around a gap in tree-sitter-nix 0.0.2: a trailing comma in function formals (`{ lib, stdenv, }:`,
 * nixfmt's RFC style) is a syntax error for the grammar but valid Nix. Nix uses commas only in formals, so a
 * comma in code (outside strings and comments) whose next significant character is `}` can be blanked out.
 * The replacement is a single space, so every offset in the returned text equals the offset in the input.
 */
export function neutraliseTrailingCommas(text: string): string {
  const commas = findTrailingCommas(text);
  if (commas.length === 0) return text;
  let out = '';
  let from = 0;
  for (const index of commas) {
    out += text.slice(from, index) + ' ';
    from = index + 1;
  }
  return out + text.slice(from);
}

const enum Frame {
  /** Ordinary code; `depth` counts open `{` so we know which `}` ends an interpolation. */
  Code,
  DoubleQuoted,
  Indented,
}

interface LexFrame {
  kind: Frame;
  depth: number;
}

function isIdentifierChar(code: number): boolean {
  return (
    (code >= 0x61 && code <= 0x7a) || // a-z
    (code >= 0x41 && code <= 0x5a) || // A-Z
    (code >= 0x30 && code <= 0x39) || // 0-9
    code === 0x5f || // _
    code === 0x27 || // '
    code === 0x2d // -
  );
}

/**
 * The text the grammar is given: `neutraliseTrailingCommas`, and a `#` comment that Nix ends at a lone carriage
 * return (its lexer stops a comment at `\r` or `\n`; the grammar's only at `\n`) gets a `\n` there instead.
 * Every replacement is one character for one, so offsets are unchanged.
 */
export function prepareForGrammar(text: string): string {
  const hasCr = text.includes('\r');
  // A trailing comma is followed by blanks, then `}` or a comment: without such text there is nothing to lex for.
  if (!hasCr && !MAYBE_TRAILING_COMMA.test(text)) return text;
  const crs: number[] = [];
  const commas = lex(text, hasCr ? crs : undefined);
  if (commas.length === 0 && crs.length === 0) return text;
  // Both lists ascend (the lexer finds them in text order): merge them, commas becoming spaces and CRs newlines.
  let out = '';
  let from = 0;
  let comma = 0;
  let cr = 0;
  while (comma < commas.length || cr < crs.length) {
    const isComma = cr === crs.length || (comma < commas.length && commas[comma]! < crs[cr]!);
    const at = isComma ? commas[comma++]! : crs[cr++]!;
    out += text.slice(from, at) + (isComma ? ' ' : '\n');
    from = at + 1;
  }
  return out + text.slice(from);
}

const MAYBE_TRAILING_COMMA = /,\s*[}#/]/;

/** Returns the offsets of commas in code position that are followed (past blanks and comments) by `}`. */
export function findTrailingCommas(text: string): number[] {
  return lex(text, undefined);
}

/** `#` comments end at the first `\n` or `\r`; a lone `\r` that ends one is pushed to `loneCrs` when given. */
function lineCommentEnd(text: string, start: number, loneCrs: number[] | undefined): number {
  const newline = text.indexOf('\n', start);
  if (loneCrs === undefined) return newline;
  const cr = text.indexOf('\r', start);
  if (cr < 0 || (newline >= 0 && newline < cr)) return newline;
  if (text.charCodeAt(cr + 1) !== 0x0a) loneCrs.push(cr);
  return cr;
}

/**
 * The branches set `step` to a constant and the loop advances by it in one place: an arithmetic operation in a
 * branch that only some files reach (an escape, a `'` that opens no string) would deoptimise the loop the first
 * time one does.
 */
function lex(text: string, loneCrs: number[] | undefined): number[] {
  const found: number[] = [];
  const stack: LexFrame[] = [{ kind: Frame.Code, depth: 0 }];
  const length = text.length;
  let i = 0;
  while (i < length) {
    const frame = stack[stack.length - 1]!;
    const ch = text.charCodeAt(i);
    let step = 1;
    if (frame.kind === Frame.DoubleQuoted) {
      if (ch === 0x5c /* \ */) {
        step = 2;
      } else if (ch === 0x22 /* " */) {
        stack.pop();
      } else if (ch === 0x24 /* $ */ && text.charCodeAt(i + 1) === 0x7b /* { */) {
        stack.push({ kind: Frame.Code, depth: 0 });
        step = 2;
      }
    } else if (frame.kind === Frame.Indented) {
      if (ch === 0x27 /* ' */ && text.charCodeAt(i + 1) === 0x27) {
        const next = text.charCodeAt(i + 2);
        if (next === 0x24 /* $ */ || next === 0x27 /* ' */) {
          step = 3; // ''$ and ''' are escapes
        } else if (next === 0x5c /* \ */) {
          step = 4; // ''\x escapes one character
        } else {
          stack.pop();
          step = 2;
        }
      } else if (ch === 0x24 /* $ */ && text.charCodeAt(i + 1) === 0x7b /* { */) {
        stack.push({ kind: Frame.Code, depth: 0 });
        step = 2;
      }
    } else {
      switch (ch) {
        case 0x23 /* # */: {
          // Continue after the character that ends the comment.
          const end = lineCommentEnd(text, i, loneCrs);
          i = end < 0 ? length : end;
          break;
        }
        case 0x2f /* / */: {
          if (text.charCodeAt(i + 1) === 0x2a /* * */) {
            const end = text.indexOf('*/', i + 2);
            i = end < 0 ? length : end;
            step = 2;
          }
          break;
        }
        case 0x22 /* " */:
          stack.push({ kind: Frame.DoubleQuoted, depth: 0 });
          break;
        case 0x27 /* ' */:
          if (text.charCodeAt(i + 1) === 0x27 && !(i > 0 && isIdentifierChar(text.charCodeAt(i - 1)))) {
            stack.push({ kind: Frame.Indented, depth: 0 });
            step = 2;
          }
          break;
        case 0x7b /* { */:
          frame.depth += 1;
          break;
        case 0x7d /* } */:
          if (frame.depth === 0 && stack.length > 1) stack.pop();
          else frame.depth = Math.max(0, frame.depth - 1);
          break;
        case 0x2c /* , */:
          if (text.charCodeAt(skipBlanksAndComments(text, i + 1)) === 0x7d) found.push(i);
          break;
        default:
          break;
      }
    }
    i += step;
  }
  return found;
}

function skipBlanksAndComments(text: string, start: number): number {
  let i = start;
  for (;;) {
    const ch = text.charCodeAt(i);
    if (ch === 0x20 || ch === 0x09 || ch === 0x0a || ch === 0x0d) {
      i += 1;
    } else if (ch === 0x23 /* # */) {
      const end = text.indexOf('\n', i);
      if (end < 0) return text.length;
      i = end + 1;
    } else if (ch === 0x2f /* / */ && text.charCodeAt(i + 1) === 0x2a) {
      const end = text.indexOf('*/', i + 2);
      if (end < 0) return text.length;
      i = end + 2;
    } else {
      return i;
    }
  }
}
