import { staticKeyName, type TextRange } from '@nixforge/core';
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

/**
 * Collects the statements of binding sets from the events of a walk over the tree's arrays, reading node objects only
 * for rare shapes (quoted keys, parenthesised values): the node API allocates, the cursor does not.
 * `types[d]` is the type of the open node at depth d; the current node is at depth `types.length - 1`.
 */
export class StatementCollector {
  private readonly sets: Array<BindingSetRecord | undefined> = [];
  private readonly statements: Array<StatementRecord | undefined> = [];
  private readonly containers: TextRange[] = [];

  constructor(private readonly text: string) {}

  enter(cursor: WalkPosition, types: readonly string[]): void {
    const depth = types.length - 1;
    const type = types[depth]!;
    const parent = depth > 0 ? types[depth - 1]! : '';
    this.statements[depth] = undefined;
    if (BINDING_CONTAINERS.has(type)) this.containers[depth] = { start: cursor.startIndex, end: cursor.endIndex };
    if (type === 'binding_set') {
      this.sets[depth] = BINDING_CONTAINERS.has(parent)
        ? { containerType: parent, container: this.containers[depth - 1]!, statements: [] }
        : undefined;
    } else if (parent === 'binding_set') {
      this.enterStatement(cursor, type, depth);
    } else if (parent === 'binding') {
      this.enterBindingPart(cursor, type, depth);
    } else if (parent === 'attrpath' && depth >= 2 && types[depth - 2] === 'binding') {
      const binding = this.statements[depth - 2];
      if (binding?.kind === 'binding' && isKeyType(type)) binding.keys.push(this.key(cursor, type));
    } else if (parent === 'inherited_attrs' && depth >= 2) {
      const statement = this.statements[depth - 2];
      if (statement !== undefined && statement.kind !== 'binding' && isKeyType(type) && cursor.startIndex < cursor.endIndex) {
        statement.keys.push(this.key(cursor, type));
      }
    } else if (parent === 'inherit_from' && type === ')') {
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

  private enterStatement(cursor: WalkPosition, type: string, depth: number): void {
    const set = this.sets[depth - 1];
    if (set === undefined) return;
    const range = { start: cursor.startIndex, end: cursor.endIndex };
    let statement: StatementRecord | undefined;
    if (type === 'binding') {
      statement = { kind: 'binding', range, attrpath: undefined, keys: [], sawEquals: false, attrsetValueStart: -1, valueSeen: false };
    } else if (type === 'inherit' || type === 'inherit_from') {
      statement = { kind: type, range, listOffset: range.start + 'inherit'.length, keys: [] };
    }
    if (statement === undefined) return;
    set.statements.push(statement);
    this.statements[depth] = statement;
  }

  private enterBindingPart(cursor: WalkPosition, type: string, depth: number): void {
    const binding = this.statements[depth - 1];
    if (binding === undefined || binding.kind !== 'binding') return;
    if (type === 'attrpath') {
      binding.attrpath = { start: cursor.startIndex, end: cursor.endIndex };
    } else if (type === '=') {
      binding.sawEquals = true;
    } else if (binding.sawEquals && !binding.valueSeen && type !== 'comment' && type !== ';') {
      binding.valueSeen = true;
      if (ATTRSET_TYPES.has(type)) binding.attrsetValueStart = cursor.startIndex;
      else if (type === 'parenthesized_expression') binding.attrsetValueStart = attrsetInsideParentheses(cursor);
    }
  }

  private key(cursor: WalkPosition, type: string): KeyRecord {
    const range = { start: cursor.startIndex, end: cursor.endIndex };
    const name = type === 'identifier' ? this.text.slice(range.start, range.end) : staticKeyName(cursor.currentNode, this.text);
    return { name, range };
  }
}

function isKeyType(type: string): boolean {
  return type === 'identifier' || type === 'string_expression' || type === 'interpolation';
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
