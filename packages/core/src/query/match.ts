import type { SyntaxTree } from '../syntax-tree.js';
import type { CompiledPattern, NodePattern, Pattern, Predicate, SequenceItem } from './ast.js';

// Mirrors of syntax-tree.ts's flag bits and ERROR symbol.
const FLAG_NAMED = 1;
const FLAG_MISSING = 2;
const ERROR_SYMBOL = 0xffff;

/** How far a child pattern may look for its node among the remaining siblings. */
const enum Scan {
  /** Any later sibling (tree-sitter's default: in order, not necessarily adjacent). */
  Free,
  /** Anchored with `.`: anonymous siblings may be skipped, the first named one must match. */
  Anchored,
  /** Only the node at the position (a pattern's root, or after an anonymous `_` followed by an anchor). */
  First,
}

/** Continues a match after a child pattern consumed siblings up to (not including) `position`. */
type Next = (position: number) => void;

/**
 * Matches compiled patterns against one tree. Child lists are matched by backtracking over the pattern
 * (continuation-passing, so every distinct assignment of children is found); the recursion follows the
 * pattern's nesting and repetitions, never the tree's depth.
 */
export class Matcher {
  private tree!: SyntaxTree;
  private kinds!: Uint16Array;
  private flags!: Uint8Array;
  private fields!: Uint16Array;
  private subtreeEnds!: Uint32Array;
  /** Captures of the match being built: capture id, node index, capture id, node index, ... */
  private readonly captured: number[] = [];
  /** Matches completed so far (repetitions compare it to know whether a longer run led anywhere). */
  private matchCount = 0;
  /** The pattern being run and where its matches go (read by `complete`, bound once instead of per run). */
  private predicates: readonly Predicate[] = [];
  private found: (captured: readonly number[]) => void = () => {};
  private readonly complete: Next = () => {
    if (this.predicates.length === 0 || this.predicatesHold(this.predicates)) {
      this.matchCount += 1;
      this.found(this.captured);
    }
  };
  /** Set by `fitsAlone`, the continuation `firstFit` tests with. */
  private fitted = false;
  private readonly fitsAlone: Next = () => {
    this.fitted = true;
  };

  /**
   * Finds every match of `pattern` rooted at node `root` and calls `found` for each (after predicates), with
   * the captures as flat (capture id, node index) pairs in document order. `siblingLimit` bounds the siblings
   * a top-level group may use.
   */
  run(
    tree: SyntaxTree,
    pattern: CompiledPattern,
    root: number,
    siblingLimit: number,
    found: (captured: readonly number[]) => void,
  ): void {
    this.use(tree);
    if (this.captured.length !== 0) this.captured.length = 0;
    this.predicates = pattern.predicates;
    this.found = found;
    this.matchPattern(pattern.root, root, siblingLimit, Scan.First, this.complete);
  }

  /** A cheap first test, allocating nothing: can a pattern whose root is one of `alternatives` match at `root` at all? */
  rootFits(tree: SyntaxTree, alternatives: readonly NodePattern[], root: number): boolean {
    this.use(tree);
    for (let k = 0; k < alternatives.length; k += 1) if (this.mayMatch(alternatives[k]!, root)) return true;
    return false;
  }

  /**
   * A necessary condition, allocating nothing: node `i` fits `p`, and for every child pattern that must occur
   * (no `?` or `*`), some child of `i` fits it (or one of its alternatives) in turn. Most candidate roots fail
   * here (a `binding` whose value is not the wanted type), so the backtracking matcher runs mostly where a match
   * exists.
   */
  private mayMatch(p: NodePattern, i: number): boolean {
    if (!this.fits(p, i)) return false;
    const required = p.required;
    if (required.length === 0) return true;
    const end = this.subtreeEnds[i]!;
    const kinds = this.kinds;
    const fields = this.fields;
    for (let k = 0; k < required.length; k += 1) {
      const alternatives = required[k]!;
      let found = false;
      for (let c = i + 1; c < end && !found; c = this.subtreeEnds[c]!) {
        const kind = kinds[c]!;
        for (let a = 0; a < alternatives.length; a += 1) {
          const alternative = alternatives[a]!;
          // The field and type parts of `fits`, inline: most children fail them.
          if (alternative.field !== 0 && fields[c] !== alternative.field) continue;
          const symbols = alternative.symbols;
          if (symbols !== null && (kind === ERROR_SYMBOL || symbols[kind] !== 1)) continue;
          if (this.mayMatch(alternative, c)) {
            found = true;
            break;
          }
        }
      }
      if (!found) return false;
    }
    return true;
  }

  private use(tree: SyntaxTree): void {
    if (this.tree === tree) return;
    this.tree = tree;
    this.kinds = tree.kinds;
    this.flags = tree.flags;
    this.fields = tree.fields;
    this.subtreeEnds = tree.subtreeEnds;
  }

  /** Does node `i` itself fit `p` (type, missing, field, negated fields, last-child anchor)? */
  private fits(p: NodePattern, i: number): boolean {
    const kind = this.kinds[i]!;
    const flags = this.flags[i]!;
    if (p.error) {
      if (kind !== ERROR_SYMBOL) return false;
    } else if (p.symbols !== null) {
      // ERROR's symbol (0xffff) is past the end of every symbol set: test it first, not by reading there.
      if (kind === ERROR_SYMBOL || p.symbols[kind] !== 1) return false;
      if (p.missing && (flags & FLAG_MISSING) === 0) return false;
    } else if (p.missing) {
      if ((flags & FLAG_MISSING) === 0) return false;
    } else if (kind === ERROR_SYMBOL) {
      if (!p.acceptsError) return false;
    } else if (p.named && (flags & FLAG_NAMED) === 0) {
      return false;
    }
    if (p.field !== 0 && this.fields[i] !== p.field) return false;
    if (p.lastChild && this.hasLaterNamedSibling(i)) return false;
    const negated = p.negatedFields;
    if (negated.length > 0) {
      const end = this.subtreeEnds[i]!;
      for (let c = i + 1; c < end; c = this.subtreeEnds[c]!) {
        if (negated.includes(this.fields[c]!)) return false;
      }
    }
    return true;
  }

  private hasLaterNamedSibling(i: number): boolean {
    const parent = this.tree.parents[i]!;
    if (parent < 0) return false;
    const end = this.subtreeEnds[parent]!;
    for (let c = this.subtreeEnds[i]!; c < end; c = this.subtreeEnds[c]!) {
      if ((this.flags[c]! & FLAG_NAMED) !== 0) return true;
    }
    return false;
  }

  /** Matches `p` against siblings from `position` (before `limit`), as far as `scan` allows; `next` continues. */
  private matchPattern(p: Pattern, position: number, limit: number, scan: Scan, next: Next): void {
    if (p.kind === 'alternation') {
      for (const branch of p.branches) this.matchPattern(branch, position, limit, scan, next);
      return;
    }
    if (p.kind === 'group') {
      this.matchSequence(p.sequence.items, 0, position, limit, scan, -1, next);
      return;
    }
    for (let c = position; c < limit; c = this.subtreeEnds[c]!) {
      if (this.fits(p, c)) this.matchNode(p, c, next);
      if (scan === Scan.First || (scan === Scan.Anchored && (this.flags[c]! & FLAG_NAMED) !== 0)) break;
    }
  }

  /** `c` fits `p`: record its captures, match its children, continue after it, then undo the captures. */
  private matchNode(p: NodePattern, c: number, next: Next): void {
    const captured = this.captured;
    const mark = captured.length;
    for (const capture of p.captures) captured.push(capture, c);
    const after = this.subtreeEnds[c]!;
    if (p.children.items.length === 0) next(after);
    else this.matchSequence(p.children.items, 0, c + 1, after, Scan.Free, after, next);
    if (captured.length !== mark) captured.length = mark;
  }

  /**
   * Matches `items[index..]` in order from `position`; `firstScan` constrains the first item (a group's anchor).
   * `next` continues at `endAt` when that is not -1 (a child list continues after its parent), else where the
   * last item ended.
   */
  private matchSequence(items: SequenceItem[], index: number, position: number, limit: number, firstScan: Scan, endAt: number, next: Next): void {
    if (index === items.length) {
      next(endAt < 0 ? position : endAt);
      return;
    }
    const item = items[index]!;
    let scan = index === 0 ? firstScan : Scan.Free;
    if (item.anchored && scan === Scan.Free) scan = index > 0 && isAnonymousWildcard(items[index - 1]!.pattern) ? Scan.First : Scan.Anchored;
    // The last item of a group continues straight with `next`, allocating no continuation.
    const rest: Next =
      endAt < 0 && index === items.length - 1 ? next : (after) => this.matchSequence(items, index + 1, after, limit, Scan.Free, endAt, next);
    switch (item.quantifier) {
      case '':
        this.matchPattern(item.pattern, position, limit, scan, rest);
        break;
      case '?':
        this.matchPattern(item.pattern, position, limit, scan, rest);
        rest(position);
        break;
      case '*':
      case '+': {
        // Like tree-sitter: a repetition continues with the very next sibling only, and starts at the first
        // sibling the item fits (tree-sitter drops the state that would skip it, its captures being a subset).
        // Longer runs are tried first; a shorter run only when no longer one completes a match (the shorter
        // one's captures would be a subset, which tree-sitter does not report).
        const before = this.matchCount;
        const start = this.firstFit(item.pattern, position, limit, scan);
        if (start >= 0) {
          if (item.pattern.kind === 'node' && item.pattern.children.items.length === 0) {
            this.repeatLeaf(item.pattern, start, limit, rest);
          } else {
            const again: Next = (after) => {
              const count = this.matchCount;
              this.matchPattern(item.pattern, after, limit, Scan.First, again);
              if (this.matchCount === count) rest(after);
            };
            this.matchPattern(item.pattern, start, limit, Scan.First, again);
          }
        }
        if (item.quantifier === '*' && this.matchCount === before) rest(position);
        break;
      }
    }
  }

  /**
   * A repetition of a childless node pattern, iteratively (runs can be as long as a list is): the run of
   * consecutive siblings from `start` that fit, then `rest` after the longest prefix that completes a match.
   */
  private repeatLeaf(p: NodePattern, start: number, limit: number, rest: Next): void {
    const captured = this.captured;
    const mark = captured.length;
    const marks: number[] = [];
    const nodes: number[] = [];
    for (let c = start; c < limit && this.fits(p, c); c = this.subtreeEnds[c]!) {
      marks.push(captured.length);
      nodes.push(c);
      for (const capture of p.captures) captured.push(capture, c);
    }
    for (let k = nodes.length - 1; k >= 0; k -= 1) {
      const count = this.matchCount;
      rest(this.subtreeEnds[nodes[k]!]!);
      if (this.matchCount !== count) break;
      captured.length = marks[k]!;
    }
    captured.length = mark;
  }

  /** The first sibling from `position` (as far as `scan` allows) where `p` matches on its own, or -1. */
  private firstFit(p: Pattern, position: number, limit: number, scan: Scan): number {
    const outer = this.fitted;
    this.fitted = false;
    for (let c = position; c < limit; c = this.subtreeEnds[c]!) {
      this.matchPattern(p, c, limit, Scan.First, this.fitsAlone);
      if (this.fitted) {
        this.fitted = outer;
        return c;
      }
      if (scan === Scan.First || (scan === Scan.Anchored && (this.flags[c]! & FLAG_NAMED) !== 0)) break;
    }
    this.fitted = outer;
    return -1;
  }

  private textOf(node: number): string {
    return this.tree.text.slice(this.tree.starts[node]!, this.tree.ends[node]!);
  }

  /** Texts of the nodes captured as `capture` in the current match. */
  private textsOf(capture: number): string[] {
    const texts: string[] = [];
    const captured = this.captured;
    for (let k = 0; k < captured.length; k += 2) if (captured[k] === capture) texts.push(this.textOf(captured[k + 1]!));
    return texts;
  }

  /** Is the text of `node` exactly `value`? Compares in place, building no string. */
  private textIs(node: number, value: string): boolean {
    const start = this.tree.starts[node]!;
    return this.tree.ends[node]! - start === value.length && this.tree.text.startsWith(value, start);
  }

  /**
   * For the nodes captured as `capture` in the current match: whether every one (`all`) or some one has a text
   * among `values` (as `positive`); null when none is captured.
   */
  private capturedTextsAmong(capture: number, values: readonly string[], positive: boolean, all: boolean): boolean | null {
    const captured = this.captured;
    let any = false;
    for (let k = 0; k < captured.length; k += 2) {
      if (captured[k] !== capture) continue;
      any = true;
      const node = captured[k + 1]!;
      let among = false;
      for (const value of values) {
        if (this.textIs(node, value)) {
          among = true;
          break;
        }
      }
      if ((among === positive) !== all) return !all;
    }
    return any ? all : null;
  }

  /** tree-sitter's node binding semantics, including what an absent capture means for each predicate. */
  private predicatesHold(predicates: readonly Predicate[]): boolean {
    for (const predicate of predicates) {
      const op = predicate.operator;
      const [first, second] = predicate.arguments;
      const capture = (first as { capture: number }).capture;
      const positive = !op.includes('not-');
      const all = !op.startsWith('any-');
      let holds: boolean;
      if (op.endsWith('any-of?')) {
        // tree-sitter: every captured text among the values (or, negated, not every one); none captured: !positive.
        const everyAmong = this.capturedTextsAmong(capture, predicate.values!, true, true);
        holds = everyAmong === null ? !positive : everyAmong === positive;
      } else if (op.endsWith('match?')) {
        const texts = this.textsOf(capture);
        const regex = predicate.regex!;
        const test = (text: string): boolean => regex.test(text) === positive;
        holds = texts.length === 0 ? !positive : all ? texts.every(test) : texts.some(test);
      } else if (second !== undefined && 'capture' in second) {
        const texts = this.textsOf(capture);
        const others = this.textsOf(second.capture);
        const test = (text: string): boolean => others.some((other) => (text === other) === positive);
        holds = all ? texts.every(test) : texts.some(test);
      } else {
        // Against one literal: "some other equals (or differs)" is the comparison itself; no capture holds
        // for `all`, fails for `any`.
        holds = this.capturedTextsAmong(capture, predicate.values!, positive, all) ?? all;
      }
      if (!holds) return false;
    }
    return true;
  }
}

function isAnonymousWildcard(p: Pattern): boolean {
  return p.kind === 'node' && p.symbols === null && !p.missing && !p.error && !p.named;
}
