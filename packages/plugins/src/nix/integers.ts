import type { SyntaxNode } from '@nixforge/core';
import type { NixDiagnostic } from './diagnostic.js';
import { nixMessage } from './messages.js';

const MAX_INT64 = 9223372036854775807n;

/** `invalid integer`: Nix's lexer rejects integer literals that do not fit a signed 64-bit integer. */
export function checkInteger(node: SyntaxNode, text: string): NixDiagnostic | undefined {
  const literal = text.slice(node.startIndex, node.endIndex);
  if (!/^[0-9]+$/.test(literal) || BigInt(literal) <= MAX_INT64) return undefined;
  return {
    ...nixMessage('invalid-integer', 'integerTooLarge', { literal }),
    range: { start: node.startIndex, end: node.endIndex },
    symbol: literal,
    nixOffset: node.startIndex,
    phase: 'parse',
    detectedAt: node.startIndex,
  };
}
