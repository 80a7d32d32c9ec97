import { computeLineStarts, positionAt } from './positions.js';

/** The grammar's symbol and field tables, as the native addon reports them. */
export interface GrammarTables {
  symbolNames: string[];
  symbolNamed: boolean[];
  /** Index 0 is null: field ids start at 1. */
  fieldNames: Array<string | null>;
}

/** What the addon's `parse` returns: `count` nodes in pre-order, laid out in one buffer (see binding.cc). */
export interface FlatParse {
  count: number;
  buffer: ArrayBuffer;
}

const FLAG_NAMED = 1;
const FLAG_MISSING = 2;
const FLAG_EXTRA = 4;
const FLAG_HAS_ERROR = 8;
const FLAG_ERROR = 16;

/** tree-sitter's symbol for ERROR nodes (`ts_builtin_sym_error`), which is not in the symbol table. */
export const ERROR_SYMBOL = 0xffff;

const fieldIdCache = new WeakMap<GrammarTables, Map<string, number>>();
// Every tree of a thread has the same grammar: remembering the last one spares a WeakMap lookup per field read.
let lastGrammar: GrammarTables | undefined;
let lastFieldIds: Map<string, number> | undefined;

function fieldIdsOf(grammar: GrammarTables): Map<string, number> {
  if (grammar === lastGrammar) return lastFieldIds!;
  let ids = fieldIdCache.get(grammar);
  if (!ids) {
    ids = new Map();
    grammar.fieldNames.forEach((name, id) => {
      if (name !== null) ids!.set(name, id);
    });
    fieldIdCache.set(grammar, ids);
  }
  lastGrammar = grammar;
  lastFieldIds = ids;
  return ids;
}

/** A row and column, both 0-based; the column counts UTF-16 code units. */
export interface Point {
  row: number;
  column: number;
}

/**
 * A parsed file, held as flat arrays indexed by node number in pre-order (document order, parents before
 * children). The arrays come from one native call; everything here is plain JavaScript, so reading a node's
 * type, range, parent or children costs an array read, not a call into tree-sitter.
 *
 * Node `i`'s children are `i + 1`, then each next sibling at `subtreeEnds[child]`, while below
 * `subtreeEnds[i]`.
 */
export class SyntaxTree {
  /** Number of nodes (named and anonymous, including MISSING and ERROR nodes). */
  readonly count: number;
  readonly starts: Uint32Array;
  readonly ends: Uint32Array;
  /** Index after the last descendant of each node. */
  readonly subtreeEnds: Uint32Array;
  /** Index of each node's parent; -1 for the root. */
  readonly parents: Int32Array;
  /** Grammar symbol of each node; map with `grammar.symbolNames` (or use `typeOf`). */
  readonly kinds: Uint16Array;
  /** Field id under which each node sits in its parent (0: none). */
  readonly fields: Uint16Array;
  readonly flags: Uint8Array;
  /** The text that was parsed (offsets index it). */
  readonly text: string;
  readonly grammar: GrammarTables;
  private nodes: Array<SyntaxNode | undefined> | undefined;
  private lineStartsCache: Uint32Array | undefined;

  constructor(parsed: FlatParse, text: string, grammar: GrammarTables) {
    const n = parsed.count;
    const buffer = parsed.buffer;
    this.count = n;
    this.starts = new Uint32Array(buffer, 0, n);
    this.ends = new Uint32Array(buffer, 4 * n, n);
    this.subtreeEnds = new Uint32Array(buffer, 8 * n, n);
    this.parents = new Int32Array(buffer, 12 * n, n);
    this.kinds = new Uint16Array(buffer, 16 * n, n);
    this.fields = new Uint16Array(buffer, 18 * n, n);
    this.flags = new Uint8Array(buffer, 20 * n, n);
    this.text = text;
    this.grammar = grammar;
  }

  get rootNode(): SyntaxNode {
    return this.node(0);
  }

  /** The node object for index `i` (one object per index, so nodes compare with `===`). */
  node(i: number): SyntaxNode {
    // Sized once: growing a sparse array index by index is slow in V8.
    const nodes = (this.nodes ??= new Array<SyntaxNode | undefined>(this.count));
    let node = nodes[i];
    if (node === undefined) {
      node = new SyntaxNode(this, i);
      nodes[i] = node;
    }
    return node;
  }

  typeOf(i: number): string {
    const kind = this.kinds[i]!;
    return kind === ERROR_SYMBOL ? 'ERROR' : this.grammar.symbolNames[kind]!;
  }

  isNamed(i: number): boolean {
    return (this.flags[i]! & FLAG_NAMED) !== 0;
  }

  isMissing(i: number): boolean {
    return (this.flags[i]! & FLAG_MISSING) !== 0;
  }

  isError(i: number): boolean {
    return this.kinds[i] === ERROR_SYMBOL;
  }

  /** True when node `i` or a descendant is an ERROR or MISSING node. */
  hasError(i: number): boolean {
    return (this.flags[i]! & FLAG_HAS_ERROR) !== 0;
  }

  /** Field name of node `i` in its parent, or null. */
  fieldOf(i: number): string | null {
    return this.grammar.fieldNames[this.fields[i]!] ?? null;
  }

  /** Field id for a name (0 when the grammar has no such field). */
  fieldId(name: string): number {
    return fieldIdsOf(this.grammar).get(name) ?? 0;
  }

  /** First child index of `i`, or -1. */
  firstChildOf(i: number): number {
    return i + 1 < this.subtreeEnds[i]! ? i + 1 : -1;
  }

  /** Next sibling index of `i`, or -1. */
  nextSiblingOf(i: number): number {
    const parent = this.parents[i]!;
    if (parent < 0) return -1;
    const next = this.subtreeEnds[i]!;
    return next < this.subtreeEnds[parent]! ? next : -1;
  }

  /** A cursor over the whole tree, starting at the root. */
  walk(): TreeCursor {
    return new TreeCursor(this, 0);
  }

  get lineStarts(): Uint32Array {
    this.lineStartsCache ??= computeLineStarts(this.text);
    return this.lineStartsCache;
  }

  pointAt(offset: number): Point {
    const { line, column } = positionAt(this.lineStarts, this.text, offset);
    return { row: line - 1, column: column - 1 };
  }

}

/**
 * A node of a `SyntaxTree`. The same names and meanings as tree-sitter's node binding, for the members a rule
 * needs; `id` is the node's index in its tree.
 */
export class SyntaxNode {
  readonly tree: SyntaxTree;
  /** Index of the node in its tree (pre-order); unique within the tree. */
  readonly id: number;

  constructor(tree: SyntaxTree, id: number) {
    this.tree = tree;
    this.id = id;
  }

  get type(): string {
    return this.tree.typeOf(this.id);
  }

  /** Grammar symbol id (differs between same-named named and anonymous nodes). */
  get typeId(): number {
    return this.tree.kinds[this.id]!;
  }

  get isNamed(): boolean {
    return (this.tree.flags[this.id]! & FLAG_NAMED) !== 0;
  }

  get isMissing(): boolean {
    return (this.tree.flags[this.id]! & FLAG_MISSING) !== 0;
  }

  get isExtra(): boolean {
    return (this.tree.flags[this.id]! & FLAG_EXTRA) !== 0;
  }

  get isError(): boolean {
    return (this.tree.flags[this.id]! & FLAG_ERROR) !== 0;
  }

  get hasError(): boolean {
    return (this.tree.flags[this.id]! & FLAG_HAS_ERROR) !== 0;
  }

  get startIndex(): number {
    return this.tree.starts[this.id]!;
  }

  get endIndex(): number {
    return this.tree.ends[this.id]!;
  }

  get startPosition(): Point {
    return this.tree.pointAt(this.startIndex);
  }

  get endPosition(): Point {
    return this.tree.pointAt(this.endIndex);
  }

  /** The node's text in the parsed input (trailing commas in formals are blanked there; rules read `context.getText`). */
  get text(): string {
    return this.tree.text.slice(this.startIndex, this.endIndex);
  }

  get parent(): SyntaxNode | null {
    const parent = this.tree.parents[this.id]!;
    return parent < 0 ? null : this.tree.node(parent);
  }

  get childCount(): number {
    let count = 0;
    for (let c = this.tree.firstChildOf(this.id); c >= 0; c = this.tree.nextSiblingOf(c)) count += 1;
    return count;
  }

  get namedChildCount(): number {
    let count = 0;
    for (let c = this.tree.firstChildOf(this.id); c >= 0; c = this.tree.nextSiblingOf(c)) if (this.tree.isNamed(c)) count += 1;
    return count;
  }

  get children(): SyntaxNode[] {
    const tree = this.tree;
    const result: SyntaxNode[] = [];
    for (let c = tree.firstChildOf(this.id); c >= 0; c = tree.nextSiblingOf(c)) result.push(tree.node(c));
    return result;
  }

  get namedChildren(): SyntaxNode[] {
    const tree = this.tree;
    const result: SyntaxNode[] = [];
    for (let c = tree.firstChildOf(this.id); c >= 0; c = tree.nextSiblingOf(c)) if (tree.isNamed(c)) result.push(tree.node(c));
    return result;
  }

  child(index: number): SyntaxNode | null {
    let k = 0;
    for (let c = this.tree.firstChildOf(this.id); c >= 0; c = this.tree.nextSiblingOf(c)) {
      if (k === index) return this.tree.node(c);
      k += 1;
    }
    return null;
  }

  namedChild(index: number): SyntaxNode | null {
    let k = 0;
    for (let c = this.tree.firstChildOf(this.id); c >= 0; c = this.tree.nextSiblingOf(c)) {
      if (!this.tree.isNamed(c)) continue;
      if (k === index) return this.tree.node(c);
      k += 1;
    }
    return null;
  }

  get firstChild(): SyntaxNode | null {
    const c = this.tree.firstChildOf(this.id);
    return c < 0 ? null : this.tree.node(c);
  }

  get lastChild(): SyntaxNode | null {
    let last = -1;
    for (let c = this.tree.firstChildOf(this.id); c >= 0; c = this.tree.nextSiblingOf(c)) last = c;
    return last < 0 ? null : this.tree.node(last);
  }

  get firstNamedChild(): SyntaxNode | null {
    for (let c = this.tree.firstChildOf(this.id); c >= 0; c = this.tree.nextSiblingOf(c)) if (this.tree.isNamed(c)) return this.tree.node(c);
    return null;
  }

  get lastNamedChild(): SyntaxNode | null {
    let last = -1;
    for (let c = this.tree.firstChildOf(this.id); c >= 0; c = this.tree.nextSiblingOf(c)) if (this.tree.isNamed(c)) last = c;
    return last < 0 ? null : this.tree.node(last);
  }

  get nextSibling(): SyntaxNode | null {
    const next = this.tree.nextSiblingOf(this.id);
    return next < 0 ? null : this.tree.node(next);
  }

  get previousSibling(): SyntaxNode | null {
    const parent = this.tree.parents[this.id]!;
    if (parent < 0) return null;
    let previous = -1;
    for (let c = this.tree.firstChildOf(parent); c >= 0 && c !== this.id; c = this.tree.nextSiblingOf(c)) previous = c;
    return previous < 0 ? null : this.tree.node(previous);
  }

  get nextNamedSibling(): SyntaxNode | null {
    for (let c = this.tree.nextSiblingOf(this.id); c >= 0; c = this.tree.nextSiblingOf(c)) if (this.tree.isNamed(c)) return this.tree.node(c);
    return null;
  }

  get previousNamedSibling(): SyntaxNode | null {
    const parent = this.tree.parents[this.id]!;
    if (parent < 0) return null;
    let previous = -1;
    for (let c = this.tree.firstChildOf(parent); c >= 0 && c !== this.id; c = this.tree.nextSiblingOf(c)) if (this.tree.isNamed(c)) previous = c;
    return previous < 0 ? null : this.tree.node(previous);
  }

  /** First child under the field `name`, or null. */
  childForFieldName(name: string): SyntaxNode | null {
    const field = this.tree.fieldId(name);
    if (field === 0) return null;
    const fields = this.tree.fields;
    for (let c = this.tree.firstChildOf(this.id); c >= 0; c = this.tree.nextSiblingOf(c)) if (fields[c] === field) return this.tree.node(c);
    return null;
  }

  childrenForFieldName(name: string): SyntaxNode[] {
    const field = this.tree.fieldId(name);
    const result: SyntaxNode[] = [];
    if (field === 0) return result;
    const fields = this.tree.fields;
    for (let c = this.tree.firstChildOf(this.id); c >= 0; c = this.tree.nextSiblingOf(c)) if (fields[c] === field) result.push(this.tree.node(c));
    return result;
  }

  /** Field name of the child at `index` (counting all children), or null. */
  fieldNameForChild(index: number): string | null {
    const child = this.child(index);
    return child === null ? null : this.tree.fieldOf(child.id);
  }

  /** Every descendant (not the node itself) whose type is in `types`, in document order. */
  descendantsOfType(types: string | readonly string[]): SyntaxNode[] {
    const wanted = typeof types === 'string' ? [types] : types;
    const result: SyntaxNode[] = [];
    const end = this.tree.subtreeEnds[this.id]!;
    for (let i = this.id + 1; i < end; i += 1) if (wanted.includes(this.tree.typeOf(i))) result.push(this.tree.node(i));
    return result;
  }

  /** The smallest node within this one that spans `start`..`end` (offsets), like tree-sitter's. */
  descendantForIndex(start: number, end: number = start): SyntaxNode {
    return this.tree.node(this.descend(start, end, false));
  }

  namedDescendantForIndex(start: number, end: number = start): SyntaxNode {
    return this.tree.node(this.descend(start, end, true));
  }

  private descend(start: number, end: number, namedOnly: boolean): number {
    const tree = this.tree;
    let node = this.id;
    let last = node;
    for (;;) {
      let deeper = -1;
      for (let c = tree.firstChildOf(node); c >= 0; c = tree.nextSiblingOf(c)) {
        const cs = tree.starts[c]!;
        const ce = tree.ends[c]!;
        if (ce < end) continue;
        if (cs === ce ? ce < start : ce <= start) continue;
        if (start < cs) break;
        deeper = c;
        break;
      }
      if (deeper < 0) return last;
      node = deeper;
      if (!namedOnly || tree.isNamed(node)) last = node;
    }
  }

  walk(): TreeCursor {
    return new TreeCursor(this.tree, this.id);
  }

  equals(other: SyntaxNode): boolean {
    return other.tree === this.tree && other.id === this.id;
  }

  /** The node as an S-expression of named nodes, like tree-sitter's `toString()`. */
  toString(): string {
    const tree = this.tree;
    const parts: string[] = [];
    const visit = (i: number, field: string | null): void => {
      const missing = (tree.flags[i]! & FLAG_MISSING) !== 0;
      const type = tree.isNamed(i) ? tree.typeOf(i) : JSON.stringify(tree.typeOf(i));
      parts.push(`${field ? `${field}: ` : ''}(${missing ? `MISSING ${type}` : type}`);
      for (let c = tree.firstChildOf(i); c >= 0; c = tree.nextSiblingOf(c)) {
        if (!tree.isNamed(c) && (tree.flags[c]! & FLAG_MISSING) === 0) continue;
        parts.push(' ');
        visit(c, tree.fieldOf(c));
      }
      parts.push(')');
    };
    visit(this.id, null);
    return parts.join('');
  }
}

/** A cursor like tree-sitter's `TreeCursor`, confined to the subtree it was created on. */
export class TreeCursor {
  private readonly tree: SyntaxTree;
  private readonly root: number;
  private index: number;

  constructor(tree: SyntaxTree, root: number) {
    this.tree = tree;
    this.root = root;
    this.index = root;
  }

  /** Index of the current node in the tree. */
  get nodeIndex(): number {
    return this.index;
  }

  get nodeType(): string {
    return this.tree.typeOf(this.index);
  }

  get nodeIsNamed(): boolean {
    return this.tree.isNamed(this.index);
  }

  get nodeIsMissing(): boolean {
    return (this.tree.flags[this.index]! & FLAG_MISSING) !== 0;
  }

  get currentNode(): SyntaxNode {
    return this.tree.node(this.index);
  }

  get currentFieldName(): string | null {
    return this.index === this.root ? null : this.tree.fieldOf(this.index);
  }

  get startIndex(): number {
    return this.tree.starts[this.index]!;
  }

  get endIndex(): number {
    return this.tree.ends[this.index]!;
  }

  gotoFirstChild(): boolean {
    const child = this.tree.firstChildOf(this.index);
    if (child < 0) return false;
    this.index = child;
    return true;
  }

  gotoNextSibling(): boolean {
    if (this.index === this.root) return false;
    const next = this.tree.nextSiblingOf(this.index);
    if (next < 0) return false;
    this.index = next;
    return true;
  }

  gotoParent(): boolean {
    if (this.index === this.root) return false;
    this.index = this.tree.parents[this.index]!;
    return true;
  }
}
