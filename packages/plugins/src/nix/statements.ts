import { staticKeyName, symbolTable, type SyntaxTree, type TextRange } from '@nixforge/core';
import type { WalkPosition } from './walk.js';

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
 * Collects the statements of binding sets from the events of a walk over the tree's arrays, reading node objects only
 * for rare shapes (quoted keys, parenthesised values): the node API allocates, the arrays do not.
 * `cursor.depth` is the depth of the current node. Node kinds are compared as integer roles (one table read per
 * node), their names read only for a binding set's container.
 */
export class StatementCollector {
  private readonly sets: Array<BindingSetRecord | undefined> = [];
  private readonly statements: Array<StatementRecord | undefined> = [];
  private readonly containers: TextRange[] = [];
  /** Role of the open node at each depth. */
  private readonly roleAt: number[] = [];
  private roles: Uint8Array | undefined;

  constructor(private readonly text: string) {}

  enter(cursor: WalkPosition): void {
    const depth = cursor.depth;
    const role = (this.roles ??= rolesOf(cursor.tree.grammar))[cursor.kind]!;
    this.roleAt[depth] = role;
    const parent = depth > 0 ? this.roleAt[depth - 1]! : Role.Other;
    this.statements[depth] = undefined;
    if (isContainer(role)) this.containers[depth] = { start: cursor.startIndex, end: cursor.endIndex };
    if (role === Role.BindingSet) {
      this.sets[depth] = isContainer(parent)
        ? { containerType: cursor.tree.typeOf(cursor.tree.parents[cursor.index]!), container: this.containers[depth - 1]!, statements: [] }
        : undefined;
    } else if (parent === Role.BindingSet) {
      this.enterStatement(cursor, role, depth);
    } else if (parent === Role.Binding) {
      this.enterBindingPart(cursor, role, depth);
    } else if (parent === Role.Attrpath && depth >= 2 && this.roleAt[depth - 2] === Role.Binding) {
      const binding = this.statements[depth - 2];
      if (binding?.kind === 'binding' && isKey(role)) binding.keys.push(this.key(cursor, role));
    } else if (parent === Role.InheritedAttrs && depth >= 2) {
      const statement = this.statements[depth - 2];
      if (statement !== undefined && statement.kind !== 'binding' && isKey(role) && cursor.startIndex < cursor.endIndex) {
        statement.keys.push(this.key(cursor, role));
      }
    } else if (parent === Role.InheritFrom && role === Role.CloseParen) {
      const statement = this.statements[depth - 1];
      if (statement !== undefined && statement.kind === 'inherit_from') statement.listOffset = cursor.endIndex;
    }
  }

  /** Call when leaving a `binding_set` at `depth`; returns its statements once complete. */
  leaveBindingSet(depth: number): BindingSetRecord | undefined {
    const set = this.sets[depth];
    this.sets[depth] = undefined;
    return set;
  }

  private enterStatement(cursor: WalkPosition, role: number, depth: number): void {
    const set = this.sets[depth - 1];
    if (set === undefined) return;
    const range = { start: cursor.startIndex, end: cursor.endIndex };
    let statement: StatementRecord | undefined;
    if (role === Role.Binding) {
      statement = { kind: 'binding', range, attrpath: undefined, keys: [], sawEquals: false, attrsetValueStart: -1, valueSeen: false };
    } else if (role === Role.Inherit || role === Role.InheritFrom) {
      statement = { kind: role === Role.Inherit ? 'inherit' : 'inherit_from', range, listOffset: range.start + 'inherit'.length, keys: [] };
    }
    if (statement === undefined) return;
    set.statements.push(statement);
    this.statements[depth] = statement;
  }

  private enterBindingPart(cursor: WalkPosition, role: number, depth: number): void {
    const binding = this.statements[depth - 1];
    if (binding === undefined || binding.kind !== 'binding') return;
    if (role === Role.Attrpath) {
      binding.attrpath = { start: cursor.startIndex, end: cursor.endIndex };
    } else if (role === Role.Equals) {
      binding.sawEquals = true;
    } else if (binding.sawEquals && !binding.valueSeen && role !== Role.Comment && role !== Role.Semicolon) {
      binding.valueSeen = true;
      if (role === Role.Attrset || role === Role.RecAttrset) binding.attrsetValueStart = cursor.startIndex;
      else if (cursor.nodeType === 'parenthesized_expression') binding.attrsetValueStart = attrsetInsideParentheses(cursor);
    }
  }

  private key(cursor: WalkPosition, role: number): KeyRecord {
    const range = { start: cursor.startIndex, end: cursor.endIndex };
    const name = role === Role.Identifier ? this.text.slice(range.start, range.end) : staticKeyName(cursor.currentNode, this.text);
    return { name, range };
  }
}

/** Nix drops parentheses: `a = ({ b = 1; });` holds a set literal. Returns its start, or -1. */
function attrsetInsideParentheses(cursor: WalkPosition): number {
  let node = cursor.currentNode;
  while (node.type === 'parenthesized_expression') {
    const inner = node.childForFieldName('expression');
    if (inner === null) return -1;
    node = inner;
  }
  return ATTRSET_TYPES.has(node.type) ? node.startIndex : -1;
}
