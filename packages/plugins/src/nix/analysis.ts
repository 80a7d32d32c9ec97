import { analyzeScopes, scopeAnalysis, symbolTable, type RuleContext, type ScopeAnalysisResult, type SourceFile } from '@nixforge/core';
import { compareNixOrder, type NixDiagnostic } from './diagnostic.js';
import { AttrSetChecker } from './attr-merge.js';
import { readBindingSet, type BindingSetRecord } from './statements.js';
import { checkFormals } from './formals.js';
import { checkInteger } from './integers.js';
import { keywordAsName, syntaxDiagnostics } from './syntax.js';
import { undefinedNameDiagnostics } from './undefined-names.js';

const KEYWORD_AFTER_DOT = /\.\s*(?:if|then|else|assert|with|let|in|rec|inherit)(?![A-Za-z0-9_'-])/;

/** The node kinds the walk below acts on, as integers (one table read per node instead of a type name). */
const enum Step {
  Other,
  Function,
  Formals,
  Identifier,
  Integer,
  BindingSet,
  Attrpath,
}

const STEP_OF_TYPE: ReadonlyMap<string, Step> = new Map([
  ['function_expression', Step.Function],
  ['formals', Step.Formals],
  ['identifier', Step.Identifier],
  ['integer_expression', Step.Integer],
  ['binding_set', Step.BindingSet],
  ['attrpath', Step.Attrpath],
]);

/**
 * Every error `nix-instantiate --parse` would raise for a file (not only the first), in the order Nix
 * meets them. One pass over the tree's arrays collects parse errors; undefined variables come from the scope analysis.
 */
export function computeNixDiagnostics(source: SourceFile, scopes: ScopeAnalysisResult = analyzeScopes(source)): NixDiagnostic[] {
  const text = source.text;
  const tree = source.tree;
  const diagnostics: NixDiagnostic[] = syntaxDiagnostics(source);
  const attrSets = new AttrSetChecker(source);
  const steps = symbolTable(tree.grammar, STEP_OF_TYPE);
  const { count, kinds, parents, subtreeEnds, starts, ends } = tree;
  // Binding sets and functions with formals still open, innermost last: each is checked when the pass leaves it
  // (post-order), so the sets nested in a binding are known when it is checked, and a function's body comes first.
  const open: number[] = [];
  const openSets: Array<BindingSetRecord | undefined> = [];
  let nextLeave = count;
  // tree-sitter accepts a keyword as a name only after `.` (`x.with`); skip the check when no such text exists.
  const keywordAfterDot = KEYWORD_AFTER_DOT.test(text);
  for (let i = 0; i < count; i += 1) {
    while (i >= nextLeave) {
      const node = open.pop()!;
      const set = openSets.pop();
      if (set !== undefined) attrSets.checkBindingSet(set);
      else diagnostics.push(...checkFormals(tree.node(node), source));
      nextLeave = open.length > 0 ? subtreeEnds[open[open.length - 1]!]! : count;
    }
    const step = steps[kinds[i]!]!;
    if (step === Step.Other || step === Step.Function || step === Step.Attrpath) continue;
    if (step === Step.BindingSet) {
      const set = readBindingSet(tree, i, text);
      if (set === undefined) continue;
      open.push(i);
      openSets.push(set);
      nextLeave = subtreeEnds[i]!;
    } else if (step === Step.Formals) {
      const fn = parents[i]!;
      if (fn < 0 || steps[kinds[fn]!] !== Step.Function || (open.length > 0 && open[open.length - 1] === fn)) continue;
      open.push(fn);
      openSets.push(undefined);
      nextLeave = subtreeEnds[fn]!;
    } else if (step === Step.Identifier) {
      if (keywordAfterDot && i > 0 && steps[kinds[parents[i]!]!] === Step.Attrpath) {
        const diagnostic = keywordAsName(starts[i]!, ends[i]!, text);
        if (diagnostic) diagnostics.push(diagnostic);
      }
    } else if (step === Step.Integer) {
      const diagnostic = checkInteger(starts[i]!, ends[i]!, text);
      if (diagnostic) diagnostics.push(diagnostic);
    }
  }
  for (let top = open.length - 1; top >= 0; top -= 1) {
    const set = openSets[top];
    if (set !== undefined) attrSets.checkBindingSet(set);
    else diagnostics.push(...checkFormals(tree.node(open[top]!), source));
  }
  diagnostics.push(...attrSets.diagnostics, ...undefinedNameDiagnostics(scopes, source));
  return diagnostics.sort(compareNixOrder);
}

const cache = new WeakMap<ScopeAnalysisResult, NixDiagnostic[]>();

/** The Nix diagnostics of the rule's file: computed once per file, on the scopes all rules share. */
export function nixDiagnosticsOf(context: RuleContext): NixDiagnostic[] {
  const scopes = context.getAnalysis(scopeAnalysis);
  let diagnostics = cache.get(scopes);
  if (!diagnostics) {
    diagnostics = computeNixDiagnostics(context.source, scopes);
    cache.set(scopes, diagnostics);
  }
  return diagnostics;
}

/** The error `nix-instantiate --parse` reports for the file (it stops at the first), or undefined. */
export function firstNixError(source: SourceFile): NixDiagnostic | undefined {
  return computeNixDiagnostics(source)[0];
}
