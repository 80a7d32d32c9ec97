import type { SyntaxNode } from '@nixforge/core';

/**
 * Small, non-recursive readers of Nix syntax trees shared by the security, performance and deps rules.
 * Every function takes the file text because node text must be read from the user's file, not the parser input.
 */

/** Skips parentheses: `((x))` -> `x`. */
export function unparen(node: SyntaxNode | null): SyntaxNode | null {
  let current = node;
  while (current && current.type === 'parenthesized_expression') current = current.childForFieldName('expression');
  return current;
}

/** The node's text in the user's file. */
export function textOf(node: SyntaxNode, text: string): string {
  return text.slice(node.startIndex, node.endIndex);
}

const ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t' };

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

/** Literal pieces of a string up to its first interpolation, and whether the whole string is literal. */
export interface StringValue {
  /** The decoded text before the first `${...}` (the whole value when `complete`). */
  prefix: string;
  /** True when the string has no interpolation, so `prefix` is its entire value. */
  complete: boolean;
}

/** Reads a `"..."` or `''...''` string; undefined for other nodes. */
export function stringValue(node: SyntaxNode | null, text: string): StringValue | undefined {
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

/** The full value of a string without interpolation; undefined otherwise. */
export function literalString(node: SyntaxNode | null, text: string): string | undefined {
  const value = stringValue(node, text);
  return value?.complete ? value.prefix : undefined;
}

/** A literal path's text (`./a/b.nix`), or undefined when it is not a path literal or interpolates. */
export function literalPath(node: SyntaxNode | null, text: string): string | undefined {
  const target = unparen(node);
  if (!target || target.type !== 'path_expression') return undefined;
  if (target.namedChildren.some((c) => c.type !== 'path_fragment')) return undefined;
  return textOf(target, text);
}

/** Name of one attribute in an attrpath: identifiers and literal strings; undefined for `${...}`. */
export function attrName(attr: SyntaxNode, text: string): string | undefined {
  if (attr.type === 'identifier') return textOf(attr, text);
  if (attr.type === 'string_expression') return literalString(attr, text);
  return undefined;
}

/** Names of an attrpath (`a."b".c` -> [a, b, c]); undefined when some part is dynamic. */
export function attrPathNames(attrpath: SyntaxNode | null, text: string): string[] | undefined {
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
 * The dotted name a reference spells: `builtins.fetchurl` -> [builtins, fetchurl], `fetchurl` -> [fetchurl].
 * Undefined for anything else (calls, selections with `or`, dynamic attributes).
 */
export function referencePath(node: SyntaxNode | null, text: string): string[] | undefined {
  const target = unparen(node);
  if (!target) return undefined;
  if (target.type === 'variable_expression') {
    const name = target.childForFieldName('name');
    return name ? [textOf(name, text)] : undefined;
  }
  if (target.type === 'select_expression' && !target.childForFieldName('default')) {
    const base = target.childForFieldName('expression');
    if (!base || base.type !== 'variable_expression') return undefined;
    const rest = attrPathNames(target.childForFieldName('attrpath'), text);
    const head = base.childForFieldName('name');
    return rest && head ? [textOf(head, text), ...rest] : undefined;
  }
  return undefined;
}

/** A call `f a b` seen from its innermost application: the function and its arguments in order. */
export interface Call {
  /** The outermost `apply_expression` of the chain (covers the whole call). */
  node: SyntaxNode;
  callee: SyntaxNode;
  args: SyntaxNode[];
}

/**
 * Reads a call starting at its innermost `apply_expression` (the one whose function is not itself an
 * application). Returns undefined for any other application so that each call is handled exactly once.
 */
export function callAt(apply: SyntaxNode): Call | undefined {
  const callee = apply.childForFieldName('function');
  if (!callee || callee.type === 'apply_expression') return undefined;
  const args: SyntaxNode[] = [];
  let outer = apply;
  for (;;) {
    const arg = outer.childForFieldName('argument');
    if (arg) args.push(arg);
    const parent = outer.parent;
    if (!parent || parent.type !== 'apply_expression' || parent.childForFieldName('function')?.id !== outer.id) break;
    outer = parent;
  }
  return { node: outer, callee, args };
}

/** The last name of a reference: `pkgs.fetchurl` -> `fetchurl`, `fetchurl` -> `fetchurl`. */
export function lastName(path: string[] | undefined): string | undefined {
  return path ? path[path.length - 1] : undefined;
}

/** A static binding of an attribute set literal. */
export interface StaticBinding {
  /** The attrpath names; the binding `a.b = 1;` gives [a, b]. Inherited names give one name each. */
  names: string[];
  /** The key node (attrpath, or the inherited identifier) to report at. */
  key: SyntaxNode;
  /** The value; undefined for `inherit`. */
  value: SyntaxNode | undefined;
}

/** Bindings of an attrset literal (plain or `rec`); dynamic keys are left out. */
export function attrsetBindings(attrset: SyntaxNode | null, text: string): StaticBinding[] {
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

/** True when an attrset literal defines the top-level attribute `name` (directly, by path or by inherit). */
export function hasAttribute(attrset: SyntaxNode | null, text: string, name: string): boolean {
  return attrsetBindings(attrset, text).some((b) => b.names[0] === name);
}

/** The value bound to exactly `name` in an attrset literal (`name = value;`), if any. */
export function attributeValue(attrset: SyntaxNode | null, text: string, name: string): SyntaxNode | undefined {
  return attrsetBindings(attrset, text).find((b) => b.names.length === 1 && b.names[0] === name)?.value;
}

/** True for `true`/`false` references with that value. */
export function isBoolean(node: SyntaxNode | null | undefined, text: string, value: boolean): boolean {
  const path = node ? referencePath(node, text) : undefined;
  return path !== undefined && path.length === 1 && path[0] === String(value);
}

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

/**
 * The ancestors of a node, nearest first, at most `limit` of them. tree-sitter finds `node.parent` by
 * descending from the root, so walking up k parents from depth d costs O(k * d), quadratic on deeply
 * nested files; one cursor descent to the node collects the whole chain in O(d) instead.
 */
export function ancestorsOf(node: SyntaxNode, limit: number): SyntaxNode[] {
  const cursor = node.tree.walk();
  const chain: SyntaxNode[] = [];
  const start = node.startIndex;
  const end = node.endIndex;
  for (;;) {
    const current = cursor.currentNode;
    if (current.id === node.id) break;
    chain.push(current);
    // Step into the child that contains the node's range (the first one, for zero-width neighbours).
    if (!cursor.gotoFirstChild()) return [];
    while (!(cursor.startIndex <= start && cursor.endIndex >= end)) {
      if (!cursor.gotoNextSibling()) return [];
    }
  }
  chain.reverse();
  return chain.length > limit ? chain.slice(0, limit) : chain;
}
