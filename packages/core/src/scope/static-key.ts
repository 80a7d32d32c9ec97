import type { SyntaxNode } from '../tree-sitter.js';

const ESCAPES: Readonly<Record<string, string>> = { n: '\n', r: '\r', t: '\t' };

/**
 * The name an attribute key stands for when it is known without evaluation: an identifier, a
 * double-quoted string without `${...}`, or `${"name"}` (Nix's parser folds an interpolated constant string
 * into a plain name). Returns undefined for computed keys. Reads `text`, not `node.text` (the parser sees
 * a copy with trailing formals commas blanked).
 */
export function staticKeyName(node: SyntaxNode | null, text: string): string | undefined {
  if (node === null) return undefined;
  if (node.type === 'identifier') return text.slice(node.startIndex, node.endIndex);
  if (node.type === 'interpolation') {
    const inner = node.childForFieldName('expression');
    return inner !== null && inner.type === 'string_expression' ? staticKeyName(inner, text) : undefined;
  }
  if (node.type !== 'string_expression') return undefined;
  let name = '';
  for (const part of node.namedChildren) {
    const raw = text.slice(part.startIndex, part.endIndex);
    if (part.type === 'string_fragment') name += raw;
    else if (part.type === 'escape_sequence') name += ESCAPES[raw.slice(1)] ?? raw.slice(1);
    else if (part.type === 'dollar_escape') name += raw;
    else if (part.type === 'comment') continue;
    else return undefined;
  }
  return name;
}
