/**
 * The compiled form of a tree-sitter query: patterns with node types and fields already resolved to the
 * grammar's ids, so matching compares integers.
 */

/** How a child pattern repeats: once, `?`, `*` or `+`. */
export type Quantifier = '' | '?' | '*' | '+';

/** `(type child...)`, `(_)`, `_`, `"literal"`, `(MISSING ...)` or `(ERROR)`. */
export interface NodePattern {
  kind: 'node';
  /** Symbol ids this pattern accepts (1 at the id); null for a wildcard. */
  symbols: Uint8Array | null;
  /** The type name, for `rootTypes` (null for wildcards and `(MISSING)`). */
  typeName: string | null;
  /** `(ERROR)`: matches ERROR nodes only. */
  error: boolean;
  /**
   * Wildcards never match ERROR nodes, except (a tree-sitter quirk kept for parity) a root wildcard whose first
   * child pattern is a concrete node type: tree-sitter starts such patterns at the child and takes the parent
   * as it is.
   */
  acceptsError: boolean;
  /** For wildcards: `(_)` accepts named nodes only, `_` any node. */
  named: boolean;
  /** `(MISSING ...)`: the node must be a MISSING node. */
  missing: boolean;
  /** Field id the node must sit under in its parent (0: any). */
  field: number;
  /** Field ids the node must have no child under (`!field`). */
  negatedFields: number[];
  children: Sequence;
  /**
   * The child patterns that must occur (no `?` or `*`), for `Matcher`'s cheap pre-test, each as the node patterns
   * one of which a child must fit (an alternation of nodes has several; groups are left out); set by `Query`.
   */
  required: NodePattern[][];
  /** Capture ids, in the order written. */
  captures: number[];
  /** Anchored before `)`: no named sibling may follow the node. */
  lastChild: boolean;
}

/** `[ a b ... ]`: any one of the branches. */
export interface AlternationPattern {
  kind: 'alternation';
  branches: Pattern[];
}

/** `( (a) (b) )`: consecutive siblings, in order. */
export interface GroupPattern {
  kind: 'group';
  sequence: Sequence;
}

export type Pattern = NodePattern | AlternationPattern | GroupPattern;

/** One entry of a child list. */
export interface SequenceItem {
  pattern: Pattern;
  quantifier: Quantifier;
  /** Preceded by `.`: matches the first named sibling after the previous item (or the first named child). */
  anchored: boolean;
}

export interface Sequence {
  items: SequenceItem[];
}

/** A predicate argument: a capture id or a literal string. */
export type PredicateArgument = { capture: number } | { text: string };

/** `(#eq? @a "x")` and friends. */
export interface Predicate {
  operator: string;
  arguments: PredicateArgument[];
  /** Compiled regex for `match?` family. */
  regex?: RegExp;
  /** The literal strings compared with: the values of `any-of?`, the second argument of `eq?` when a string. */
  values?: string[];
}

/** One top-level pattern of a query. */
export interface CompiledPattern {
  root: Pattern;
  predicates: Predicate[];
  /** Offset of the pattern in the query source (for messages). */
  offset: number;
}
