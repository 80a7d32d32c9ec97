import { staticKeyName, symbolTable, type SyntaxNode, type SyntaxTree } from '@nixforge/core';

/**
 * The keys of one statement as node indices, with their static names (undefined when computed). Reused from
 * statement to statement: the checker keeps only what it reports, so nothing is allocated per key here.
 */
export class StatementKeys {
  readonly nodes: number[] = [];
  readonly names: Array<string | undefined> = [];

  get length(): number {
    return this.nodes.length;
  }

  clear(): void {
    this.nodes.length = 0;
    this.names.length = 0;
  }
}

/** `attrpath = value;` in a binding set, read into a record reused from binding to binding. */
export class BindingParts {
  /** The (last) `attrpath` node, or -1. */
  attrpath = -1;
  readonly keys = new StatementKeys();
  /** Start of the value when it is an attribute set literal (parentheses seen through), else -1. */
  attrsetValueStart = -1;
}

/** `inherit a b;` or `inherit (e) a b;`, read into a record reused from statement to statement. */
export class InheritParts {
  fromExpression = false;
  /** Where Nix places the names: just after `inherit` or after `)`. */
  listOffset = 0;
  readonly keys = new StatementKeys();
}

/** What a child of a `binding_set` is to the checker. */
export const enum StatementKind {
  None,
  Binding,
  Inherit,
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

/** The binding container holding the `binding_set` at node `index`, or -1 when its parent is none. */
export function bindingContainer(tree: SyntaxTree, index: number): number {
  const parent = tree.parents[index]!;
  return parent >= 0 && isContainer(rolesOf(tree.grammar)[tree.kinds[parent]!]!) ? parent : -1;
}

/** What node `index`, a child of a `binding_set`, states. */
export function statementKind(tree: SyntaxTree, index: number): StatementKind {
  const role = rolesOf(tree.grammar)[tree.kinds[index]!]!;
  return role === Role.Binding ? StatementKind.Binding : role === Role.Inherit || role === Role.InheritFrom ? StatementKind.Inherit : StatementKind.None;
}

/** Reads the `binding` at node `index` (from its children and grandchildren) into `binding`. */
export function readBinding(tree: SyntaxTree, index: number, text: string, binding: BindingParts): void {
  const roles = rolesOf(tree.grammar);
  const { kinds, subtreeEnds, starts } = tree;
  binding.attrpath = -1;
  binding.keys.clear();
  binding.attrsetValueStart = -1;
  let sawEquals = false;
  let valueSeen = false;
  const end = subtreeEnds[index]!;
  for (let child = index + 1; child < end; child = subtreeEnds[child]!) {
    const role = roles[kinds[child]!]!;
    if (role === Role.Attrpath) {
      binding.attrpath = child;
      const pathEnd = subtreeEnds[child]!;
      for (let key = child + 1; key < pathEnd; key = subtreeEnds[key]!) {
        const keyRole = roles[kinds[key]!]!;
        if (isKey(keyRole)) addKey(binding.keys, tree, key, keyRole, text);
      }
    } else if (role === Role.Equals) {
      sawEquals = true;
    } else if (sawEquals && !valueSeen && role !== Role.Comment && role !== Role.Semicolon && role !== Role.BindingSet) {
      valueSeen = true;
      if (role === Role.Attrset || role === Role.RecAttrset) binding.attrsetValueStart = starts[child]!;
      else if (tree.typeOf(child) === 'parenthesized_expression') binding.attrsetValueStart = attrsetInsideParentheses(tree.node(child));
    }
  }
}

/** Reads the `inherit` or `inherit_from` at node `index` into `statement`. */
export function readInherit(tree: SyntaxTree, index: number, text: string, statement: InheritParts): void {
  const roles = rolesOf(tree.grammar);
  const { kinds, subtreeEnds, starts, ends } = tree;
  const fromExpression = roles[kinds[index]!] === Role.InheritFrom;
  statement.fromExpression = fromExpression;
  statement.listOffset = starts[index]! + 'inherit'.length;
  statement.keys.clear();
  const end = subtreeEnds[index]!;
  for (let child = index + 1; child < end; child = subtreeEnds[child]!) {
    const role = roles[kinds[child]!]!;
    if (role === Role.InheritedAttrs) {
      const listEnd = subtreeEnds[child]!;
      for (let key = child + 1; key < listEnd; key = subtreeEnds[key]!) {
        const keyRole = roles[kinds[key]!]!;
        if (isKey(keyRole) && starts[key]! < ends[key]!) addKey(statement.keys, tree, key, keyRole, text);
      }
    } else if (role === Role.CloseParen && fromExpression) {
      statement.listOffset = ends[child]!;
    }
  }
}

function addKey(keys: StatementKeys, tree: SyntaxTree, index: number, role: number, text: string): void {
  keys.nodes.push(index);
  keys.names.push(role === Role.Identifier ? text.slice(tree.starts[index]!, tree.ends[index]!) : staticKeyName(tree.node(index), text));
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
