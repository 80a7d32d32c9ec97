import type { SourceFile, SyntaxNode } from '@nixforge/core';
import type { NixDiagnostic } from './diagnostic.js';
import { nixMessage } from './messages.js';

/**
 * `duplicate formal function argument`: a name listed twice in `{ ... }`, or the `@` name repeating a
 * formal. Nix checks when it reduces the whole function, i.e. after its body: errors in the body come first.
 * Among several duplicated names Nix reports the one whose name it interned first (roughly: seen first in
 * the file), at its second occurrence; a clash with the `@` name is reported at the function's start.
 */
export function checkFormals(fn: SyntaxNode, source: SourceFile): NixDiagnostic[] {
  const formals = fn.childForFieldName('formals');
  if (formals === null) return [];
  const text = source.text;
  const seen = new Map<string, SyntaxNode>();
  const duplicates: NixDiagnostic[] = [];
  for (const formal of formals.childrenForFieldName('formal')) {
    const nameNode = formal.childForFieldName('name');
    if (nameNode === null || nameNode.isMissing) continue;
    const name = text.slice(nameNode.startIndex, nameNode.endIndex);
    const first = seen.get(name);
    if (first === undefined) {
      seen.set(name, nameNode);
      continue;
    }
    duplicates.push({
      ...nixMessage('duplicate-formal', 'duplicateFormal', { name, line: source.positionAt(first.startIndex).line }),
      range: { start: nameNode.startIndex, end: nameNode.endIndex },
      symbol: name,
      nixOffset: nameNode.startIndex,
      phase: 'parse',
      detectedAt: fn.endIndex,
    });
  }
  const firstSeen = (d: NixDiagnostic): number => firstOccurrence(text, d.symbol!);
  duplicates.sort((a, b) => firstSeen(a) - firstSeen(b) || a.nixOffset - b.nixOffset);
  // All are raised by one reduction; fractions keep Nix's choice first without passing the next character.
  duplicates.forEach((d, index) => {
    d.detectedAt = fn.endIndex + index / (duplicates.length + 1);
  });
  const universal = fn.childForFieldName('universal');
  if (universal !== null) {
    const name = text.slice(universal.startIndex, universal.endIndex);
    if (seen.has(name)) {
      duplicates.push({
        ...nixMessage('duplicate-formal', 'atNameRepeatsFormal', { name }),
        range: { start: universal.startIndex, end: universal.endIndex },
        symbol: name,
        nixOffset: fn.startIndex,
        phase: 'parse',
        detectedAt: fn.endIndex + 0.999,
      });
    }
  }
  return duplicates;
}

/** Offset of the first occurrence of `name` as a whole identifier (Nix interns names in reading order). */
function firstOccurrence(text: string, name: string): number {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const match = new RegExp(`(?<![A-Za-z0-9_'-])${escaped}(?![A-Za-z0-9_'-])`).exec(text);
  return match ? match.index : text.length;
}
