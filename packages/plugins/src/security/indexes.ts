import { literalString, symbolTable, symbolsOfType, type Analysis, type SourceFile, type SyntaxNode, type SyntaxTree } from '@nixforge/core';
import { attrName, attrPathNames, textOf } from './syntax.js';

/**
 * One shared, per-file index of the syntax the security, performance and deps rules start from. Most of
 * their checks begin at a call of a known function (`fetchurl`, `import`, `foldl'`...), a binding of a known
 * attribute (`url`, `enable`...), a `builtins.x`/`lib.x` selection, a comparison with an integer, or a path
 * literal. One pass over the tree's node arrays finds all of them, each is named once, and rules look up
 * only the names they need.
 */
export interface SyntaxIndex {
  /** Innermost applications keyed by their function's last name (`pkgs.fetchurl x` -> `fetchurl`). */
  calls: ReadonlyMap<string, SyntaxNode[]>;
  /** Bindings keyed by the last attribute of their attrpath (`a.b.url = ...` -> `url`). */
  bindings: ReadonlyMap<string, SyntaxNode[]>;
  /** `builtins.NAME` selections (one attribute) and `__NAME` variables, keyed by NAME. */
  builtins: ReadonlyMap<string, SyntaxNode[]>;
  /** `lib.a.b` selections, keyed by the last attribute. */
  libSelections: ReadonlyMap<string, SyntaxNode[]>;
  /** Binary expressions with an integer literal on one side and an application on the other. */
  integerComparisons: readonly SyntaxNode[];
  /** Path literals (`./x.nix`). */
  paths: readonly SyntaxNode[];
}

function pushTo<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** The node types the index looks at; every other node costs one array read. */
const INDEXED_TYPES = [
  'apply_expression',
  'binding',
  'select_expression',
  'variable_expression',
  'binary_expression',
  'path_expression',
];

/** 1 at the symbol ids of INDEXED_TYPES, resolved once per thread (a typed array: read once per node). */
let indexedKinds: Uint8Array | undefined;

function kindTable(symbols: readonly number[]): Uint8Array {
  const table = new Uint8Array(0x10000);
  for (const symbol of symbols) table[symbol] = 1;
  return table;
}

/** What the readers of applications and bindings tell node kinds apart by: a code per grammar symbol. */
const enum Shape {
  Other,
  Variable,
  Select,
  Parenthesized,
  Identifier,
  String,
  Comment,
  Attrpath,
  Apply,
  Integer,
}

const SHAPE_OF_TYPE: ReadonlyMap<string, Shape> = new Map([
  ['variable_expression', Shape.Variable],
  ['select_expression', Shape.Select],
  ['parenthesized_expression', Shape.Parenthesized],
  ['identifier', Shape.Identifier],
  ['string_expression', Shape.String],
  ['comment', Shape.Comment],
  ['attrpath', Shape.Attrpath],
  ['apply_expression', Shape.Apply],
  ['integer_expression', Shape.Integer],
]);

/** The field ids the array readers below look children up by, resolved once per tree. */
interface FieldIds {
  name: number;
  expression: number;
  function: number;
  default: number;
  attrpath: number;
  attr: number;
  left: number;
  right: number;
}

function fieldIdsOf(tree: SyntaxTree): FieldIds {
  return {
    name: tree.fieldId('name'),
    expression: tree.fieldId('expression'),
    function: tree.fieldId('function'),
    default: tree.fieldId('default'),
    attrpath: tree.fieldId('attrpath'),
    attr: tree.fieldId('attr'),
    left: tree.fieldId('left'),
    right: tree.fieldId('right'),
  };
}

/**
 * The last name of attrpath `i` as `attrPathNames` reads it (`a."b".c` -> `c`), read from the arrays; undefined
 * when some part is dynamic, null when it has no names.
 */
function lastAttrPathName(tree: SyntaxTree, i: number, text: string, shapes: Uint8Array): string | null | undefined {
  const { kinds, starts, ends, subtreeEnds } = tree;
  let last: string | null = null;
  const end = subtreeEnds[i]!;
  for (let c = i + 1; c < end; c = subtreeEnds[c]!) {
    if (!tree.isNamed(c)) continue;
    const shape = shapes[kinds[c]!];
    if (shape === Shape.Comment) continue;
    const name = shape === Shape.Identifier ? text.slice(starts[c]!, ends[c]!) : shape === Shape.String ? literalString(tree.node(c), text) : undefined;
    if (name === undefined) return undefined;
    last = name;
  }
  return last;
}

/**
 * The last name of the function applied by `apply_expression` `i` (`pkgs.fetchurl x` -> `fetchurl`), as
 * `lastName(referencePath(unparen(fn)))` reads it, from the arrays: most applications are not indexed (their
 * function is an application itself) and none needs a node object to be named.
 */
function appliedName(tree: SyntaxTree, i: number, text: string, shapes: Uint8Array, field: FieldIds): string | undefined {
  const kinds = tree.kinds;
  let fn = childWithField(tree, i, field.function);
  if (fn < 0) return undefined;
  let shape = shapes[kinds[fn]!];
  if (shape !== Shape.Variable && shape !== Shape.Select && shape !== Shape.Parenthesized) return undefined;
  while (shape === Shape.Parenthesized) {
    fn = childWithField(tree, fn, field.expression);
    if (fn < 0) return undefined;
    shape = shapes[kinds[fn]!];
  }
  if (shape === Shape.Variable) {
    const name = childWithField(tree, fn, field.name);
    return name < 0 ? undefined : text.slice(tree.starts[name]!, tree.ends[name]!);
  }
  if (shape !== Shape.Select || childWithField(tree, fn, field.default) >= 0) return undefined;
  const base = childWithField(tree, fn, field.expression);
  if (base < 0 || shapes[kinds[base]!] !== Shape.Variable) return undefined;
  const attrpath = childWithField(tree, fn, field.attrpath);
  if (attrpath < 0) return undefined;
  const last = lastAttrPathName(tree, attrpath, text, shapes);
  const head = childWithField(tree, base, field.name);
  if (last === undefined || head < 0) return undefined;
  return last ?? text.slice(tree.starts[head]!, tree.ends[head]!);
}

/** The shape of node `i`'s first child under field id `field` (`Shape.Other` when there is none). */
function childShape(tree: SyntaxTree, i: number, field: number, shapes: Uint8Array): number {
  const child = childWithField(tree, i, field);
  return child < 0 ? Shape.Other : shapes[tree.kinds[child]!]!;
}

/** `length xs == 0` and `0 < f x`: is `binary_expression` `i` an integer literal compared with an application? */
function comparesIntegerWithApplication(tree: SyntaxTree, i: number, shapes: Uint8Array, field: FieldIds): boolean {
  const left = childShape(tree, i, field.left, shapes);
  const right = childShape(tree, i, field.right, shapes);
  return (left === Shape.Apply && right === Shape.Integer) || (left === Shape.Integer && right === Shape.Apply);
}

/** The attribute `binding` `i` is indexed under: its attrpath's last named child when that is an `attr`. */
function boundName(tree: SyntaxTree, i: number, text: string, shapes: Uint8Array, field: FieldIds): string | undefined {
  const attrpath = childWithField(tree, i, field.attrpath);
  if (attrpath < 0 || shapes[tree.kinds[attrpath]!] !== Shape.Attrpath) return undefined;
  const { subtreeEnds } = tree;
  let last = -1;
  const end = subtreeEnds[attrpath]!;
  for (let c = attrpath + 1; c < end; c = subtreeEnds[c]!) if (tree.isNamed(c)) last = c;
  if (last < 0 || tree.fields[last] !== field.attr || field.attr === 0) return undefined;
  return attrName(tree.node(last), text);
}

/** Index of the first child of node `i` under field id `field`, or -1 (read from the arrays, no node objects). */
function childWithField(tree: SyntaxTree, i: number, field: number): number {
  const { fields, subtreeEnds } = tree;
  const end = subtreeEnds[i]!;
  for (let c = i + 1; c < end; c = subtreeEnds[c]!) if (fields[c] === field) return c;
  return -1;
}

/** Is the text of node `i` `builtins` or `lib` (the only bases of selections the index keeps)? */
function isBuiltinsOrLib(tree: SyntaxTree, i: number, text: string): boolean {
  if (i < 0) return false;
  const start = tree.starts[i]!;
  const length = tree.ends[i]! - start;
  return (length === 3 && text.startsWith('lib', start)) || (length === 8 && text.startsWith('builtins', start));
}

function isType(node: SyntaxNode | null, type: string): node is SyntaxNode {
  return node !== null && node.type === type;
}

/**
 * Builds the index of one file (used directly by tools that have no rule context, e.g. the deps graph) in one
 * pass over the tree's node arrays, in document order.
 */
export function buildSyntaxIndex(source: SourceFile): SyntaxIndex {
  const text = source.text;
  const tree = source.tree;
  const calls = new Map<string, SyntaxNode[]>();
  const bindings = new Map<string, SyntaxNode[]>();
  const builtins = new Map<string, SyntaxNode[]>();
  const libSelections = new Map<string, SyntaxNode[]>();
  // Node indices, made node objects after the pass (the pass then only pushes small integers).
  const integerComparisons: number[] = [];
  const paths: number[] = [];
  const indexed = (indexedKinds ??= kindTable(INDEXED_TYPES.flatMap((type) => symbolsOfType(type, 'named'))));
  const kinds = tree.kinds;
  const shapes = symbolTable(tree.grammar, SHAPE_OF_TYPE);
  const field = fieldIdsOf(tree);
  const nameField = field.name;
  const expressionField = field.expression;
  for (let i = 0; i < tree.count; i += 1) {
    if (indexed[kinds[i]!] !== 1) continue;
    // Most variables and selections are not indexed: rule them out from the arrays before making node objects.
    const type = tree.typeOf(i);
    if (type === 'variable_expression') {
      const name = childWithField(tree, i, nameField);
      if (name < 0 || !text.startsWith('__', tree.starts[name]!)) continue;
    } else if (type === 'select_expression') {
      const base = childWithField(tree, i, expressionField);
      if (base < 0 || !isBuiltinsOrLib(tree, childWithField(tree, base, nameField), text)) continue;
    }
    switch (type) {
      case 'apply_expression': {
        // `pkgs.fetchurl x`, `(f a) b`: indexed under the function's last name.
        const name = appliedName(tree, i, text, shapes, field);
        if (name !== undefined) pushTo(calls, name, tree.node(i));
        break;
      }
      case 'binding': {
        // `a.b.url = ...`: indexed under the last attribute, when it is the attrpath's last named child.
        const name = boundName(tree, i, text, shapes, field);
        if (name !== undefined) pushTo(bindings, name, tree.node(i));
        break;
      }
      case 'select_expression': {
        const node = tree.node(i);
        // `builtins.NAME` and `lib.a.b`.
        const base = node.childForFieldName('expression');
        const baseName = isType(base, 'variable_expression') ? base.childForFieldName('name') : null;
        const attrs = node.childForFieldName('attrpath');
        if (!isType(baseName, 'identifier') || !isType(attrs, 'attrpath')) break;
        const baseText = textOf(baseName, text);
        if (baseText !== 'builtins' && baseText !== 'lib') break;
        const names = attrPathNames(attrs, text);
        if (!names) break;
        if (baseText === 'lib') pushTo(libSelections, names[names.length - 1]!, node);
        else if (names.length === 1) pushTo(builtins, names[0]!, node);
        break;
      }
      case 'variable_expression': {
        const node = tree.node(i);
        // `__NAME`: the old spelling of `builtins.NAME`.
        const name = node.childForFieldName('name');
        if (isType(name, 'identifier') && text.startsWith('__', name.startIndex)) pushTo(builtins, textOf(name, text).slice(2), node);
        break;
      }
      case 'binary_expression':
        if (comparesIntegerWithApplication(tree, i, shapes, field)) integerComparisons.push(i);
        break;
      case 'path_expression':
        paths.push(i);
        break;
      default:
        break;
    }
  }
  const nodeOf = (i: number): SyntaxNode => tree.node(i);
  return { calls, bindings, builtins, libSelections, integerComparisons: integerComparisons.map(nodeOf), paths: paths.map(nodeOf) };
}

/** The index as a shared analysis: computed once per file for all rules that ask. */
export const syntaxIndex: Analysis<SyntaxIndex> = { name: 'security/syntax-index', compute: buildSyntaxIndex };

function named(map: ReadonlyMap<string, SyntaxNode[]>, names: Iterable<string>): SyntaxNode[] {
  let lists = 0;
  const found: SyntaxNode[] = [];
  // Rules ask for many names per file and most files have none of them: no set of the names is built then.
  if (map.size === 0) return found;
  if (Array.isArray(names)) {
    const list = names as readonly string[];
    for (let k = 0; k < list.length; k += 1) {
      const nodes = map.get(list[k]!);
      // A name listed twice counts once, as in a set of the names.
      if (nodes === undefined || list.indexOf(list[k]!) < k) continue;
      lists += 1;
      for (const node of nodes) found.push(node);
    }
  } else {
    for (const name of names instanceof Set ? (names as ReadonlySet<string>) : new Set(names)) {
      const nodes = map.get(name);
      if (nodes === undefined) continue;
      lists += 1;
      for (const node of nodes) found.push(node);
    }
  }
  // Each list is in file order already; only several need merging.
  return lists > 1 ? found.sort((a, b) => a.startIndex - b.startIndex) : found;
}

/** The innermost applications of functions whose last name is one of `names`, in file order. */
export function appliesNamed(index: SyntaxIndex, names: Iterable<string>): SyntaxNode[] {
  return named(index.calls, names);
}

/** The bindings whose last attribute is one of `names`, in file order. */
export function bindingsNamed(index: SyntaxIndex, names: Iterable<string>): SyntaxNode[] {
  return named(index.bindings, names);
}

/** References to the builtins `names` (`builtins.NAME`, `__NAME`), in file order. */
export function builtinReferences(index: SyntaxIndex, names: Iterable<string>): SyntaxNode[] {
  return named(index.builtins, names);
}

/** `lib...NAME` selections for `names`, in file order. */
export function libSelectionsNamed(index: SyntaxIndex, names: Iterable<string>): SyntaxNode[] {
  return named(index.libSelections, names);
}
