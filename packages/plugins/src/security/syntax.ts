import { attrPathNames, type SyntaxNode } from '@nixforge/core';

/*
 * The Nix syntax readers shared by the security, performance and deps rules. The general ones live in
 * @nixforge/core and are re-exported here; the NixOS-option ones stay. Every function takes the file text
 * because node text must be read from the user's file, not the parser input.
 */
export {
  attrName,
  attrPathNames,
  attributeValue,
  attrsetBindings,
  callAt,
  hasAttribute,
  isBoolean,
  lastName,
  literalPath,
  literalString,
  referencePath,
  stringValue,
  textOf,
  unparen,
  type Call,
  type StaticBinding,
  type StringValue,
} from '@nixforge/core';

/** Option attributes that document a value rather than set it (`mkOption { example = ...; }`). */
const DOCUMENTATION_KEYS = new Set(['example', 'defaultText', 'description', 'literalExample']);

/**
 * True when a node lies inside the value of an `example`, `defaultText` or `description` binding: option
 * documentation, not configuration. Looks at most 512 levels up.
 */
export function inDocumentation(node: SyntaxNode, text: string): boolean {
  for (const current of ancestorsOf(node, 512)) {
    if (current.type !== 'binding') continue;
    const names = attrPathNames(current.childForFieldName('attrpath'), text);
    if (names?.some((name) => DOCUMENTATION_KEYS.has(name))) return true;
  }
  return false;
}

/** The ancestors of a node, nearest first, at most `limit` of them (`parent` reads the tree's arrays: O(1)). */
export function ancestorsOf(node: SyntaxNode, limit: number): SyntaxNode[] {
  const chain: SyntaxNode[] = [];
  for (let current = node.parent; current !== null && chain.length < limit; current = current.parent) chain.push(current);
  return chain;
}
