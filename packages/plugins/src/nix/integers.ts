import type { NixDiagnostic } from './diagnostic.js';
import { nixMessage } from './messages.js';

const MAX_INT64 = 9223372036854775807n;

/** `invalid integer`: Nix's lexer rejects integer literals that do not fit a signed 64-bit integer. */
export function checkInteger(start: number, end: number, text: string): NixDiagnostic | undefined {
  // 18 digits always fit (the largest is 19 digits long), and most literals are short.
  if (end - start < 19) return undefined;
  const literal = text.slice(start, end);
  if (!/^[0-9]+$/.test(literal) || BigInt(literal) <= MAX_INT64) return undefined;
  return {
    ...nixMessage('invalid-integer', 'integerTooLarge', { literal }),
    range: { start, end },
    symbol: literal,
    nixOffset: start,
    phase: 'parse',
    detectedAt: start,
  };
}
