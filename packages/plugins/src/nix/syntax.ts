import { findSyntaxErrors, outermostErrorNodes, type SourceFile, type SyntaxNode } from '@nixforge/core';
import type { NixDiagnostic } from './diagnostic.js';
import { nixMessage } from './messages.js';

/** Offset of the first token at or after `offset`, past whitespace and comments; -1 at end of file. */
export function nextTokenOffset(text: string, offset: number): number {
  let i = offset;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) i += 1;
    else if (c === 0x23 /* # */) {
      const eol = text.indexOf('\n', i);
      i = eol < 0 ? text.length : eol + 1;
    } else if (c === 0x2f /* / */ && text.charCodeAt(i + 1) === 0x2a /* * */) {
      const close = text.indexOf('*/', i + 2);
      i = close < 0 ? text.length : close + 2;
    } else return i;
  }
  return -1;
}

/** Tokens after which Nix needs more input: an ERROR ending in one failed on the token that follows. */
const INCOMPLETE_ENDINGS = new Set([
  '=', ':', '.', '?', '@', ',', '(', '[', '{', '${', '+', '-', '*', '/', '++', '//', '==', '!=', '<', '<=', '>',
  '>=', '&&', '||', '->', '!', 'let', 'in', 'if', 'then', 'else', 'assert', 'with', 'inherit', 'rec', 'or',
]);

/**
 * Where Nix's parser stops inside the region tree-sitter marked as ERROR. A nested ERROR is the more
 * precise spot (`let a = 1 in a` wraps everything but marks `in`); an ERROR that ends in a token needing
 * more input (`b =` before `}`) is a valid prefix, so Nix fails on the token after it; otherwise the ERROR's
 * first token is the one Nix could not accept.
 */
function errorNodeOffset(error: SyntaxNode, text: string): number {
  let node = error;
  for (;;) {
    const nested = firstNestedError(node);
    if (nested === undefined) break;
    node = nested;
  }
  if (node.childCount > 1) {
    let last = node.lastChild;
    while (last !== null && last.type === 'comment') last = last.previousSibling;
    while (last !== null && last.childCount > 0) last = last.lastChild;
    if (last !== null && INCOMPLETE_ENDINGS.has(text.slice(last.startIndex, last.endIndex))) {
      const next = nextTokenOffset(text, node.endIndex);
      return next < 0 ? endOfFileOffset(text) : next;
    }
  }
  return node.startIndex;
}

/** The first ERROR strictly inside `node`, in document order, without recursion. */
function firstNestedError(node: SyntaxNode): SyntaxNode | undefined {
  const stack: SyntaxNode[] = [];
  for (let i = node.childCount - 1; i >= 0; i -= 1) stack.push(node.child(i)!);
  while (stack.length > 0) {
    const current = stack.pop()!;
    if (current.type === 'ERROR') return current;
    if (!current.hasError) continue;
    for (let i = current.childCount - 1; i >= 0; i -= 1) stack.push(current.child(i)!);
  }
  return undefined;
}

function describeTokenAt(text: string, offset: number): string {
  return nextTokenOffset(text, offset) < 0 ? 'end of file' : `'${tokenAt(text, offset)}'`;
}

/** Keywords tree-sitter accepts as attribute names where Nix's lexer does not (`x.with`). */
const KEYWORDS = new Set(['if', 'then', 'else', 'assert', 'with', 'let', 'in', 'rec', 'inherit']);

/** A keyword used as a name: Nix's lexer makes it a keyword token, which the parser rejects there. */
export function keywordAsName(start: number, end: number, text: string): NixDiagnostic | undefined {
  if (end - start < 2 || end - start > 7) return undefined;
  const word = text.slice(start, end);
  if (!KEYWORDS.has(word)) return undefined;
  return {
    ...nixMessage('syntax-error', 'keywordAsName', { keyword: word }),
    range: { start, end },
    nixOffset: start,
    phase: 'parse',
    detectedAt: start,
  };
}

/** The token starting at `offset`, roughly (enough to name it in a message). */
function tokenAt(text: string, offset: number): string {
  const word = /^(?:[A-Za-z_][A-Za-z0-9_'-]*|[0-9]+|\S)/.exec(text.slice(offset, offset + 40));
  return word ? word[0] : text.charAt(offset);
}

/** Where Nix reports "unexpected end of file": the end of the last token. */
function endOfFileOffset(text: string): number {
  let i = text.length;
  while (i > 0 && /\s/.test(text[i - 1]!)) i -= 1;
  return Math.max(0, i - 1);
}

/**
 * Syntax errors with the offset Nix reports them at. tree-sitter puts a MISSING token where it repaired the
 * input (e.g. a `;` right after `1` in `{ a = 1 }`); Nix's parser instead stops at the token it could not
 * accept, the next one. An ERROR node starts at the first token tree-sitter could not fit, which is where
 * Nix stops too in the common cases.
 */
export function syntaxDiagnostics(source: SourceFile): NixDiagnostic[] {
  const text = source.text;
  const diagnostics = findSyntaxErrors(source).map((error): NixDiagnostic => {
    const node = error.node;
    let nixOffset = node.startIndex;
    let message = error.message;
    let range = { start: node.startIndex, end: node.endIndex };
    if (node.isMissing) {
      const next = nextTokenOffset(text, node.endIndex);
      nixOffset = next < 0 ? endOfFileOffset(text) : next;
      message = next < 0 ? `${message} before the end of file` : `${message} before '${tokenAt(text, next)}'`;
      range = { start: nixOffset, end: Math.min(text.length, nixOffset + 1) };
    } else if (node.startIndex >= text.length || nextTokenOffset(text, node.startIndex) < 0) {
      nixOffset = endOfFileOffset(text);
    } else {
      nixOffset = errorNodeOffset(node, text);
      if (nixOffset !== node.startIndex) message = `syntax error, unexpected ${describeTokenAt(text, nixOffset)}`;
    }
    return {
      ...nixMessage('syntax-error', 'syntaxError', { message }),
      range,
      nixOffset,
      phase: 'parse' as const,
      detectedAt: nixOffset,
    };
  });
  return [...diagnostics, ...emptyFileDiagnostics(text), ...pipeOperatorDiagnostics(source)];
}

/**
 * A file with no expression (empty, or only whitespace and comments) is valid for the grammar, but Nix
 * rejects it: "syntax error, unexpected end of file" at 1:1, or just past the last comment.
 */
function emptyFileDiagnostics(text: string): NixDiagnostic[] {
  if (nextTokenOffset(text, 0) >= 0) return [];
  const offset = text.trimEnd().length;
  return [
    {
      ...nixMessage('syntax-error', 'syntaxError', { message: 'syntax error, unexpected end of file' }),
      range: { start: offset, end: offset },
      nixOffset: offset,
      phase: 'parse',
      detectedAt: offset,
    },
  ];
}

/**
 * The pipe operators `|>` and `<|` are experimental (Nix 2.24+, feature `pipe-operators`); Nix 2.8 rejects
 * them as an invalid token. The grammar does not know them either, so they show up as ERROR nodes that
 * `findSyntaxErrors` leaves out as a grammar gap.
 */
export function pipeOperatorDiagnostics(source: SourceFile): NixDiagnostic[] {
  const text = source.text;
  const diagnostics: NixDiagnostic[] = [];
  for (const node of outermostErrorNodes(source.tree)) {
    if (node.type !== 'ERROR') continue;
    const at = pipeOperatorAt(text, node.startIndex, node.endIndex);
    if (at < 0) continue;
    diagnostics.push({
      ...nixMessage('syntax-error', 'pipeOperator', { operator: text.slice(at, at + 2) }),
      range: { start: at, end: at + 2 },
      nixOffset: at,
      phase: 'parse',
      detectedAt: at,
      pipeOperator: true,
    });
  }
  return diagnostics;
}

function pipeOperatorAt(text: string, start: number, end: number): number {
  for (let i = Math.max(0, start - 1); i < Math.min(end, start + 2); i += 1) {
    const two = text.slice(i, i + 2);
    if (two === '|>' || two === '<|') return i;
  }
  return -1;
}
