import type { SyntaxNode } from '../tree-sitter.js';
import { textOf, unparen } from './nodes.js';

const ESCAPES: Readonly<Record<string, string>> = { n: '\n', r: '\r', t: '\t' };

function decodeEscape(raw: string, indented: boolean): string {
  if (indented) {
    // ''$ -> $, ''' -> '', ''\x -> escaped x
    if (raw === "''$") return '$';
    if (raw === "'''") return "''";
    const c = raw.slice(3);
    return ESCAPES[c] ?? c;
  }
  const c = raw.slice(1);
  return ESCAPES[c] ?? c;
}

/** The literal start of a string up to its first interpolation, and whether that is the whole string. */
export interface StringValue {
  /** The decoded text before the first `${...}` (the whole value when `complete`). */
  prefix: string;
  /** True when the string has no interpolation, so `prefix` is its entire value. */
  complete: boolean;
}

/**
 * Reads a `"..."` or `''...''` string (through parentheses), decoding escapes: `"a\n${b}c"` gives
 * `{ prefix: 'a\n', complete: false }`. Undefined for any other node.
 */
export function stringValue(node: SyntaxNode | null | undefined, text: string): StringValue | undefined {
  const target = unparen(node);
  if (!target || (target.type !== 'string_expression' && target.type !== 'indented_string_expression')) return undefined;
  const indented = target.type === 'indented_string_expression';
  let prefix = '';
  for (const part of target.namedChildren) {
    switch (part.type) {
      case 'string_fragment':
        prefix += textOf(part, text);
        break;
      case 'escape_sequence':
      case 'dollar_escape':
        prefix += decodeEscape(textOf(part, text), indented);
        break;
      case 'interpolation':
        return { prefix, complete: false };
      default:
        break;
    }
  }
  return { prefix, complete: true };
}

/** The decoded value of a string without interpolation (`"a.nix"` -> `a.nix`); undefined otherwise. */
export function literalString(node: SyntaxNode | null | undefined, text: string): string | undefined {
  const value = stringValue(node, text);
  return value?.complete ? value.prefix : undefined;
}

/** A path literal's text (`./a/b.nix`, through parentheses); undefined when it is not a path or interpolates. */
export function literalPath(node: SyntaxNode | null | undefined, text: string): string | undefined {
  const target = unparen(node);
  if (!target || target.type !== 'path_expression') return undefined;
  if (target.namedChildren.some((c) => c.type !== 'path_fragment')) return undefined;
  return textOf(target, text);
}
