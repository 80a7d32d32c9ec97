import { scopeAnalysis, type Declaration, type Reference, type RuleContext, type ScopeAnalysisResult } from '@nixforge/core';

/** Which declarations of a file are dead, computed once per file for all `dead-code/*` rules. */
export interface Liveness {
  scopes: ScopeAnalysisResult;
  /** Declarations no live code uses (rec members excepted: they are part of the set's value). */
  dead: ReadonlySet<Declaration>;
  /** Dead declarations worth reporting: not inside the value of another dead binding (removed along with it). */
  reportable: readonly Declaration[];
}

/**
 * Least fixpoint: code outside any `let`/`inherit`/formal value is live; a declaration is live when a live
 * reference resolves to it; references inside a live declaration's value are live. So bindings used only
 * by dead bindings (or by themselves) stay dead, and `inherit (e) a b;` keeps `e`'s names alive only while
 * `a` or `b` is. Iterative worklist, no recursion.
 */
export function computeLiveness(scopes: ScopeAnalysisResult): Liveness {
  const owned = new Map<Declaration, Reference[]>();
  const work: Reference[] = [];
  for (const reference of scopes.references) {
    if (reference.owners.length === 0) {
      work.push(reference);
      continue;
    }
    for (const owner of reference.owners) {
      const list = owned.get(owner);
      if (list) list.push(reference);
      else owned.set(owner, [reference]);
    }
  }
  const live = new Set<Declaration>();
  // Only owned references can be reached twice; the unowned ones start the work and are in no `owned` list.
  const seen = new Set<Reference>();
  while (work.length > 0) {
    const target = work.pop()!.resolution;
    if (typeof target !== 'object' || live.has(target)) continue;
    live.add(target);
    const uses = owned.get(target);
    if (uses === undefined) continue;
    for (const reference of uses) {
      if (seen.has(reference)) continue;
      seen.add(reference);
      work.push(reference);
    }
  }
  const dead = new Set<Declaration>();
  for (const declaration of scopes.declarations) {
    if (live.has(declaration) || declaration.kind === 'rec') continue;
    if (declaration.kind === 'legacy-let' && declaration.name === 'body') continue;
    dead.add(declaration);
  }
  return { scopes, dead, reportable: outermostDead(dead) };
}

/**
 * Drops dead declarations that sit inside the binding of another dead declaration: removing the outer one
 * removes them too (deadnix reports them only after that). Names of one `inherit` share its span and are
 * not nested in each other.
 */
function outermostDead(dead: ReadonlySet<Declaration>): Declaration[] {
  const spans = [...dead].flatMap((declaration) =>
    declaration.bindingRanges.map((range) => ({ declaration, start: range.start, end: range.end })),
  );
  spans.sort((a, b) => a.start - b.start || b.end - a.end);
  const nested = new Set<Declaration>();
  let outerStart = -1;
  let outerEnd = -1;
  for (const span of spans) {
    if (span.end <= outerEnd) {
      if (span.start !== outerStart || span.end !== outerEnd) nested.add(span.declaration);
    } else {
      outerStart = span.start;
      outerEnd = span.end;
    }
  }
  return [...dead].filter((declaration) => !nested.has(declaration));
}

const cache = new WeakMap<ScopeAnalysisResult, Liveness>();

/** Liveness for the file of `context`, sharing the scope analysis with every other rule. */
export function livenessOf(context: RuleContext): Liveness {
  const scopes = context.getAnalysis(scopeAnalysis);
  let liveness = cache.get(scopes);
  if (!liveness) {
    liveness = computeLiveness(scopes);
    cache.set(scopes, liveness);
  }
  return liveness;
}
