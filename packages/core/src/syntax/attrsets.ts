import type { SyntaxNode } from '../tree-sitter.js';
import { textOf, unparen } from './nodes.js';
import { literalString } from './strings.js';

/** The name of one attribute of an attrpath: an identifier or a literal string; undefined for `${...}`. */
export function attrName(attr: SyntaxNode, text: string): string | undefined {
  if (attr.type === 'identifier') return textOf(attr, text);
  if (attr.type === 'string_expression') return literalString(attr, text);
  return undefined;
}

/** The names of an attrpath (`a."b".c` -> [a, b, c]); undefined when some part is dynamic. */
export function attrPathNames(attrpath: SyntaxNode | null | undefined, text: string): string[] | undefined {
  if (!attrpath) return undefined;
  const names: string[] = [];
  for (const attr of attrpath.namedChildren) {
    if (attr.type === 'comment') continue;
    const name = attrName(attr, text);
    if (name === undefined) return undefined;
    names.push(name);
  }
  return names;
}

/**
 * The bindings (`binding`, `inherit`, `inherit_from` nodes) directly in a binding-set holder: an attrset,
 * `rec { }`, `let ... in` or legacy `let { }`. Empty when it has none.
 */
export function bindingsOf(holder: SyntaxNode): SyntaxNode[] {
  const set = holder.namedChildren.find((c) => c.type === 'binding_set');
  return set ? set.childrenForFieldName('binding') : [];
}

/** A statically named binding of an attribute set literal. */
export interface StaticBinding {
  /** The attrpath names: `a.b = 1;` gives [a, b]; each inherited name gives one binding of one name. */
  names: string[];
  /** The node to report at: the attrpath, or the inherited name. */
  key: SyntaxNode;
  /** The bound value; undefined for `inherit`. */
  value: SyntaxNode | undefined;
}

/**
 * The bindings of an attrset literal (plain or `rec`, through parentheses) in source order; bindings with
 * a dynamic key are left out. Empty for anything that is not an attrset literal.
 */
export function attrsetBindings(attrset: SyntaxNode | null | undefined, text: string): StaticBinding[] {
  const target = unparen(attrset);
  if (!target || (target.type !== 'attrset_expression' && target.type !== 'rec_attrset_expression')) return [];
  const set = target.namedChildren.find((c) => c.type === 'binding_set');
  if (!set) return [];
  const result: StaticBinding[] = [];
  for (const binding of set.namedChildren) {
    if (binding.type === 'binding') {
      const key = binding.childForFieldName('attrpath');
      const names = attrPathNames(key, text);
      if (key && names) result.push({ names, key, value: binding.childForFieldName('expression') ?? undefined });
    } else if (binding.type === 'inherit' || binding.type === 'inherit_from') {
      const attrs = binding.childForFieldName('attrs');
      for (const attr of attrs?.namedChildren ?? []) {
        const name = attrName(attr, text);
        if (name !== undefined) result.push({ names: [name], key: attr, value: undefined });
      }
    }
  }
  return result;
}

/** True when an attrset literal defines the top-level attribute `name`: `name = ...;`, `name.x = ...;` or `inherit name;`. */
export function hasAttribute(attrset: SyntaxNode | null | undefined, text: string, name: string): boolean {
  return attrsetBindings(attrset, text).some((b) => b.names[0] === name);
}

/** The value bound to exactly `name` in an attrset literal (`name = value;`), if any. */
export function attributeValue(attrset: SyntaxNode | null | undefined, text: string, name: string): SyntaxNode | undefined {
  return attrsetBindings(attrset, text).find((b) => b.names.length === 1 && b.names[0] === name)?.value;
}
