import { staticKeyName, symbolTable, type SyntaxNode, type SyntaxTree, type TextRange } from '@nixforge/core';

/** An attribute key as written: its static name (undefined when computed) and range. */
export interface KeyRecord {
  name: string | undefined;
  range: TextRange;
}

/** `attrpath = value;` in a binding set. */
export interface BindingRecord {
  kind: 'binding';
  range: TextRange;
  attrpath: TextRange | undefined;
  keys: KeyRecord[];
  sawEquals: boolean;
  /** Start of the value when it is an attribute set literal (parentheses seen through), else -1. */
  attrsetValueStart: number;
  valueSeen: boolean;
}

/** `inherit a b;` or `inherit (e) a b;`. */
export interface InheritRecord {
  kind: 'inherit' | 'inherit_from';
  range: TextRange;
  /** Where Nix places the names: just after `inherit` or after `)`. */
  listOffset: number;
  keys: KeyRecord[];
}

export type StatementRecord = BindingRecord | InheritRecord;

/** A `binding_set` and the node holding it. */
export interface BindingSetRecord {
  containerType: string;
  container: TextRange;
  statements: StatementRecord[];
}

/** Node types whose `binding_set` Nix assembles into an attribute set. */
export const BINDING_CONTAINERS: ReadonlySet<string> = new Set([
  'attrset_expression',
  'rec_attrset_expression',
  'let_expression',
  'let_attrset_expression',
]);

const ATTRSET_TYPES: ReadonlySet<string> = new Set(['attrset_expression', 'rec_attrset_expression']);

/** What the collector tells node kinds apart by: a code per grammar symbol (see `rolesOf`). */
const enum Role {
  Other,
  // The binding containers (`BINDING_CONTAINERS`), the first two of them attribute sets (`ATTRSET_TYPES`).
  Attrset,
  RecAttrset,
  Let,
  LegacyLet,
  BindingSet,
  Binding,
  Inherit,
  InheritFrom,
  Attrpath,
  InheritedAttrs,
  CloseParen,
  // Keys.
  Identifier,
  String,
  Interpolation,
  Equals,
  Comment,
  Semicolon,
}

const ROLE_OF_TYPE: ReadonlyMap<string, Role> = new Map([
  ['attrset_expression', Role.Attrset],
  ['rec_attrset_expression', Role.RecAttrset],
  ['let_expression', Role.Let],
  ['let_attrset_expression', Role.LegacyLet],
  ['binding_set', Role.BindingSet],
  ['binding', Role.Binding],
  ['inherit', Role.Inherit],
  ['inherit_from', Role.InheritFrom],
  ['attrpath', Role.Attrpath],
  ['inherited_attrs', Role.InheritedAttrs],
  [')', Role.CloseParen],
  ['identifier', Role.Identifier],
  ['string_expression', Role.String],
  ['interpolation', Role.Interpolation],
  ['=', Role.Equals],
  ['comment', Role.Comment],
  [';', Role.Semicolon],
]);

/** Roles by grammar symbol; other types, ERROR nodes included, read as 0: `Role.Other`. */
function rolesOf(grammar: SyntaxTree['grammar']): Uint8Array {
  return symbolTable(grammar, ROLE_OF_TYPE);
}

function isContainer(role: number): boolean {
  return role >= Role.Attrset && role <= Role.LegacyLet;
}

function isKey(role: number): boolean {
  return role === Role.Identifier || role === Role.String || role === Role.Interpolation;
}

/**
 * The statements of the `binding_set` at node `index`, read from the tree's arrays (its children and grandchildren),
 * or undefined when its parent is no binding container. Node objects are made only for rare shapes (quoted keys,
 * parenthesised values): the node API allocates, the arrays do not.
 */
export function readBindingSet(tree: SyntaxTree, index: number, text: string): BindingSetRecord | undefined {
  const roles = rolesOf(tree.grammar);
  const { kinds, subtreeEnds, starts, ends } = tree;
  const parent = tree.parents[index]!;
  if (parent < 0 || !isContainer(roles[kinds[parent]!]!)) return undefined;
  const statements: StatementRecord[] = [];
  const end = subtreeEnds[index]!;
  for (let child = index + 1; child < end; child = subtreeEnds[child]!) {
    const role = roles[kinds[child]!]!;
    const range = { start: starts[child]!, end: ends[child]! };
    if (role === Role.Binding) statements.push(readBinding(tree, roles, child, range, text));
    else if (role === Role.Inherit || role === Role.InheritFrom) statements.push(readInherit(tree, roles, child, role, range, text));
  }
  return { containerType: tree.typeOf(parent), container: { start: starts[parent]!, end: ends[parent]! }, statements };
}

function readBinding(tree: SyntaxTree, roles: Uint8Array, index: number, range: TextRange, text: string): BindingRecord {
  const { kinds, subtreeEnds, starts, ends } = tree;
  const binding: BindingRecord = { kind: 'binding', range, attrpath: undefined, keys: [], sawEquals: false, attrsetValueStart: -1, valueSeen: false };
  const end = subtreeEnds[index]!;
  for (let child = index + 1; child < end; child = subtreeEnds[child]!) {
    const role = roles[kinds[child]!]!;
    if (role === Role.Attrpath) {
      binding.attrpath = { start: starts[child]!, end: ends[child]! };
      const pathEnd = subtreeEnds[child]!;
      for (let key = child + 1; key < pathEnd; key = subtreeEnds[key]!) {
        const keyRole = roles[kinds[key]!]!;
        if (isKey(keyRole)) binding.keys.push(readKey(tree, key, keyRole, text));
      }
    } else if (role === Role.Equals) {
      binding.sawEquals = true;
    } else if (binding.sawEquals && !binding.valueSeen && role !== Role.Comment && role !== Role.Semicolon && role !== Role.BindingSet) {
      binding.valueSeen = true;
      if (role === Role.Attrset || role === Role.RecAttrset) binding.attrsetValueStart = starts[child]!;
      else if (tree.typeOf(child) === 'parenthesized_expression') binding.attrsetValueStart = attrsetInsideParentheses(tree.node(child));
    }
  }
  return binding;
}

function readInherit(tree: SyntaxTree, roles: Uint8Array, index: number, role: number, range: TextRange, text: string): InheritRecord {
  const { kinds, subtreeEnds, starts, ends } = tree;
  const statement: InheritRecord = { kind: role === Role.Inherit ? 'inherit' : 'inherit_from', range, listOffset: range.start + 'inherit'.length, keys: [] };
  const end = subtreeEnds[index]!;
  for (let child = index + 1; child < end; child = subtreeEnds[child]!) {
    const childRole = roles[kinds[child]!]!;
    if (childRole === Role.InheritedAttrs) {
      const listEnd = subtreeEnds[child]!;
      for (let key = child + 1; key < listEnd; key = subtreeEnds[key]!) {
        const keyRole = roles[kinds[key]!]!;
        if (isKey(keyRole) && starts[key]! < ends[key]!) statement.keys.push(readKey(tree, key, keyRole, text));
      }
    } else if (childRole === Role.CloseParen && role === Role.InheritFrom) {
      statement.listOffset = ends[child]!;
    }
  }
  return statement;
}

function readKey(tree: SyntaxTree, index: number, role: number, text: string): KeyRecord {
  const range = { start: tree.starts[index]!, end: tree.ends[index]! };
  const name = role === Role.Identifier ? text.slice(range.start, range.end) : staticKeyName(tree.node(index), text);
  return { name, range };
}

/** Nix drops parentheses: `a = ({ b = 1; });` holds a set literal. Returns its start, or -1. */
function attrsetInsideParentheses(parenthesized: SyntaxNode): number {
  let node = parenthesized;
  while (node.type === 'parenthesized_expression') {
    const inner = node.childForFieldName('expression');
    if (inner === null) return -1;
    node = inner;
  }
  return ATTRSET_TYPES.has(node.type) ? node.startIndex : -1;
}
