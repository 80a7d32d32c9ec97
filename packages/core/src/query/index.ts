import { grammarTables } from '../parser.js';
import type { GrammarTables, SyntaxNode, SyntaxTree } from '../syntax-tree.js';
import type { CompiledPattern, NodePattern, Pattern } from './ast.js';
import { Matcher } from './match.js';
import { parseQuery } from './parse.js';

/** One captured node of a match. */
export interface QueryCapture {
  name: string;
  node: SyntaxNode;
}

/** A match of one pattern: its index in the query (from 0) and its captures in document order. */
export interface QueryMatch {
  pattern: number;
  captures: QueryCapture[];
}

const ERROR_SYMBOL = 0xffff;
const NO_PATTERNS: readonly number[] = [];

/**
 * A tree-sitter query (S-expression patterns, https://tree-sitter.github.io/tree-sitter/using-parsers/queries)
 * run in JavaScript over a flat `SyntaxTree`. The set of matches follows tree-sitter 0.25 (test/query.test.ts
 * compares both engines on every project pattern), including its details: wildcards never match ERROR nodes,
 * anchors `.` skip anonymous siblings but not comments (comments are named), one match per distinct capture
 * list, and predicates as tree-sitter's node binding evaluates them. Where tree-sitter's answer depends on its
 * state machine, the choice here is documented where it is made: the order of matches (by pre-order of their
 * root node, then pattern index, then child order; tree-sitter returns them as they complete), and
 * repetitions (longest run from the first fitting sibling; see `Matcher`). Not supported: supertype patterns
 * (`a/b`) and the property predicates (`#set!`, `#is?`); patterns that can never match are accepted (tree-sitter
 * rejects some of them as "impossible pattern").
 */
export class Query {
  readonly patternCount: number;
  readonly captureNames: string[];
  private readonly patterns: CompiledPattern[];
  private readonly rootTypeSets: Array<ReadonlySet<string> | null>;
  /** For each symbol id, the patterns (ascending) whose root can be a node of that symbol. */
  private readonly patternsBySymbol: Array<readonly number[]>;
  private readonly patternsForError: readonly number[];
  /** Patterns rooted at a sibling group of more than one node (tree-sitter does not start them inside ERROR). */
  private readonly unrooted: boolean[];
  /** Patterns with `?`, `*` or `+`, whose matches are filtered to the longest (see `dropContainedMatches`). */
  private readonly quantified: boolean[];
  /** For each pattern, the node patterns its root is one of (see `nodeAlternatives`), for `Matcher.rootFits`. */
  private readonly rootAlternatives: Array<NodePattern[] | null>;
  private readonly matcher = new Matcher();
  /** The run `collect` records matches of (fields, so the callback is bound once rather than per pattern and node). */
  private runTree!: SyntaxTree;
  private runOut: QueryMatch[] = [];
  private runFirst = 0;
  private runPattern = 0;
  private runSeen: Set<string> | undefined;
  private readonly collect = (captured: readonly number[]): void => {
    const out = this.runOut;
    const first = this.runFirst;
    // tree-sitter reports one match per distinct capture list: assignments that differ only in uncaptured
    // nodes coincide. Keys are built only once a root has a second match.
    if (out.length > first) {
      const seen = (this.runSeen ??= new Set(out.slice(first).map((match) => match.captures.map((c) => `${c.name}:${c.node.id}`).join(' '))));
      const parts: string[] = [];
      for (let k = 0; k < captured.length; k += 2) parts.push(`${this.captureNames[captured[k]!]}:${captured[k + 1]}`);
      const key = parts.join(' ');
      if (seen.has(key)) return;
      seen.add(key);
    }
    const tree = this.runTree;
    const captures: QueryCapture[] = [];
    for (let k = 0; k < captured.length; k += 2) {
      captures.push({ name: this.captureNames[captured[k]!]!, node: tree.node(captured[k + 1]!) });
    }
    out.push({ pattern: this.runPattern, captures });
  };

  /** Compiles `source`; throws an Error naming line, column and problem on bad syntax or unknown types/fields. */
  constructor(source: string) {
    const tables = grammarTables();
    const parsed = parseQuery(source, tables);
    this.patterns = parsed.patterns;
    this.captureNames = parsed.captureNames;
    this.patternCount = parsed.patterns.length;
    for (const pattern of this.patterns) {
      markErrorParentQuirk(pattern.root);
      listRequiredChildren(pattern.root);
    }
    this.rootTypeSets = this.patterns.map((pattern) => rootTypeNames(pattern.root));
    this.unrooted = this.patterns.map((pattern) => isUnrooted(pattern.root));
    this.quantified = this.patterns.map((pattern) => hasQuantifier(pattern.root));
    this.rootAlternatives = this.patterns.map((pattern) => nodeAlternatives(pattern.root));
    const bySymbol: number[][] = tables.symbolNames.map(() => []);
    const forError: number[] = [];
    this.patterns.forEach((pattern, index) => {
      tables.symbolNames.forEach((_name, symbol) => {
        if (rootAccepts(pattern.root, symbol, tables)) bySymbol[symbol]!.push(index);
      });
      if (rootAccepts(pattern.root, ERROR_SYMBOL, tables)) forError.push(index);
    });
    this.patternsBySymbol = bySymbol.map((list) => (list.length === 0 ? NO_PATTERNS : list));
    this.patternsForError = forError;
  }

  /** Node types a match of pattern `pattern` can be rooted at (null: any node). */
  rootTypes(pattern: number): ReadonlySet<string> | null {
    const types = this.rootTypeSets[pattern];
    if (types === undefined) throw new RangeError(`query has no pattern ${pattern} (it has ${this.patternCount})`);
    return types;
  }

  /** All matches rooted at node `index` of `tree`, pushed to `out` in pattern order (then in child order). */
  matchesAt(tree: SyntaxTree, index: number, out: QueryMatch[]): void {
    this.matchAt(tree, index, -1, out);
  }

  /** All matches in the subtree of `node` (node included), in pre-order of their root node. */
  matches(node: SyntaxNode): QueryMatch[] {
    const tree = node.tree;
    const out: QueryMatch[] = [];
    const end = tree.subtreeEnds[node.id]!;
    const kinds = tree.kinds;
    for (let i = node.id; i < end; i += 1) {
      const kind = kinds[i]!;
      const candidates = kind === ERROR_SYMBOL ? this.patternsForError : this.patternsBySymbol[kind];
      if (candidates !== undefined && candidates.length > 0) this.matchAt(tree, i, i === node.id ? i : -1, out);
    }
    return out;
  }

  /** Captures of all matches, in document order (by capture node start, then by match order). */
  captures(node: SyntaxNode): QueryCapture[] {
    const all: QueryCapture[] = [];
    for (const match of this.matches(node)) for (const capture of match.captures) all.push(capture);
    const tree = node.tree;
    // Array.prototype.sort is stable, so equal starts keep match order.
    return all.sort((a, b) => tree.starts[a.node.id]! - tree.starts[b.node.id]!);
  }

  /** `searchRoot` is the node a `matches()` search started at, whose siblings are out of bounds (-1: none). */
  private matchAt(tree: SyntaxTree, index: number, searchRoot: number, out: QueryMatch[]): void {
    const kind = tree.kinds[index]!;
    const candidates = kind === ERROR_SYMBOL ? this.patternsForError : (this.patternsBySymbol[kind] ?? NO_PATTERNS);
    const parent = tree.parents[index]!;
    for (let k = 0; k < candidates.length; k += 1) {
      const patternIndex = candidates[k]!;
      const alternatives = this.rootAlternatives[patternIndex]!;
      if (alternatives !== null && !this.matcher.rootFits(tree, alternatives, index)) continue;
      if (this.unrooted[patternIndex] && parent >= 0 && tree.kinds[parent] === ERROR_SYMBOL) continue;
      const siblingLimit = parent < 0 || index === searchRoot ? tree.subtreeEnds[index]! : tree.subtreeEnds[parent]!;
      const pattern = this.patterns[patternIndex]!;
      const first = out.length;
      this.runTree = tree;
      this.runOut = out;
      this.runFirst = first;
      this.runPattern = patternIndex;
      this.runSeen = undefined;
      this.matcher.run(tree, pattern, index, siblingLimit, this.collect);
      if (this.quantified[patternIndex] && out.length - first > 1) dropContainedMatches(out, first);
    }
  }
}

/**
 * tree-sitter's longest-match rule: of two matches of one pattern at one root, where one's captures are a strict
 * subset of the other's, only the larger is reported (optional children are taken when present).
 */
function dropContainedMatches(out: QueryMatch[], first: number): void {
  const size = out[first]!.captures.length;
  if (out.every((match, m) => m < first || match.captures.length === size)) return;
  const keys = out.slice(first).map((match) => new Set(match.captures.map((c) => `${c.name}:${c.node.id}`)));
  const largest = Math.max(...keys.map((key) => key.size));
  // Only matches sharing an entry with `key` can contain it: look them up by entry, not pairwise.
  const byEntry = new Map<string, number[]>();
  keys.forEach((key, k) => {
    for (const entry of key) {
      const list = byEntry.get(entry);
      if (list === undefined) byEntry.set(entry, [k]);
      else list.push(k);
    }
  });
  const kept: QueryMatch[] = [];
  keys.forEach((key, k) => {
    let contained: boolean;
    if (key.size === 0) contained = largest > 0;
    else {
      const [firstEntry] = key;
      contained = byEntry.get(firstEntry!)!.some((o) => keys[o]!.size > key.size && [...key].every((entry) => keys[o]!.has(entry)));
    }
    if (!contained) kept.push(out[first + k]!);
  });
  out.length = first;
  out.push(...kept);
}

function hasQuantifier(p: Pattern): boolean {
  if (p.kind === 'alternation') return p.branches.some(hasQuantifier);
  const items = p.kind === 'group' ? p.sequence.items : p.children.items;
  return items.some((item) => item.quantifier !== '' || hasQuantifier(item.pattern));
}

function rootTypeNames(root: Pattern): ReadonlySet<string> | null {
  const names = new Set<string>();
  const add = (p: Pattern): boolean => {
    if (p.kind === 'alternation') return p.branches.every(add);
    if (p.kind === 'group') return p.sequence.items.length > 0 && add(p.sequence.items[0]!.pattern);
    if (p.typeName === null) return false;
    names.add(p.typeName);
    return true;
  };
  return add(root) ? names : null;
}

function rootAccepts(root: Pattern, symbol: number, tables: GrammarTables): boolean {
  if (root.kind === 'alternation') return root.branches.some((branch) => rootAccepts(branch, symbol, tables));
  if (root.kind === 'group') return root.sequence.items.length > 0 && rootAccepts(root.sequence.items[0]!.pattern, symbol, tables);
  if (symbol === ERROR_SYMBOL) return root.error || root.missing || (root.symbols === null && root.acceptsError);
  if (root.error) return false;
  if (root.symbols !== null) return root.symbols[symbol] === 1;
  return root.missing || !root.named || tables.symbolNamed[symbol] === true;
}

/** A top-level group of several siblings (tree-sitter calls such patterns not "rooted"). */
function isUnrooted(root: Pattern): boolean {
  if (root.kind === 'group') return root.sequence.items.length > 1 || root.sequence.items.some((item) => isUnrooted(item.pattern));
  if (root.kind === 'alternation') return root.branches.some(isUnrooted);
  return false;
}

/** Fills `NodePattern.required` throughout `p`. */
function listRequiredChildren(p: Pattern): void {
  if (p.kind === 'alternation') {
    for (const branch of p.branches) listRequiredChildren(branch);
    return;
  }
  const items = p.kind === 'group' ? p.sequence.items : p.children.items;
  for (const item of items) listRequiredChildren(item.pattern);
  if (p.kind !== 'node') return;
  p.required = [];
  for (const item of items) {
    if (item.quantifier === '?' || item.quantifier === '*') continue;
    const alternatives = nodeAlternatives(item.pattern);
    if (alternatives !== null) p.required.push(alternatives);
  }
  // The checks are a conjunction: the cheapest first, so a node is mostly rejected by a child's kind alone.
  p.required.sort((a, b) => testCost(a) - testCost(b));
}

/** How much work `Matcher.mayMatch` may do for one child against `alternatives`: the pattern nodes it tests. */
function testCost(alternatives: readonly NodePattern[]): number {
  let cost = 0;
  for (const alternative of alternatives) {
    cost += 1 + (alternative.lastChild || alternative.negatedFields.length > 0 ? 1 : 0);
    for (const child of alternative.required) cost += testCost(child);
  }
  return cost;
}

/** The node patterns `p` is a choice of (itself, or an alternation's branches, flattened); null when a group is among them. */
function nodeAlternatives(p: Pattern): NodePattern[] | null {
  if (p.kind === 'node') return [p];
  if (p.kind === 'group') return null;
  const all: NodePattern[] = [];
  for (const branch of p.branches) {
    const alternatives = nodeAlternatives(branch);
    if (alternatives === null) return null;
    all.push(...alternatives);
  }
  return all;
}

/** See `NodePattern.acceptsError`. */
function markErrorParentQuirk(root: Pattern): void {
  if (root.kind === 'alternation') {
    for (const branch of root.branches) markErrorParentQuirk(branch);
    return;
  }
  if (root.kind !== 'node' || root.symbols !== null || root.error || root.missing || root.field !== 0) return;
  const first = root.children.items[0];
  if (first === undefined || first.anchored || first.pattern.kind !== 'node') return;
  const child = first.pattern;
  if (child.symbols !== null || child.error) root.acceptsError = true;
}
