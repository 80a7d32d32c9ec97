import { analyzeScopes, scopeAnalysis, symbolTable, type RuleContext, type ScopeAnalysisResult, type SourceFile } from '@nixforge/core';
import { compareNixOrder, type NixDiagnostic } from './diagnostic.js';
import { AttrSetChecker } from './attr-merge.js';
import { StatementCollector } from './statements.js';
import { checkFormals } from './formals.js';
import { checkInteger } from './integers.js';
import { keywordAsName, syntaxDiagnostics } from './syntax.js';
import { undefinedNameDiagnostics } from './undefined-names.js';
import { walkTree } from './walk.js';

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
 * meets them. One walk over the tree's arrays collects parse errors; undefined variables come from the scope analysis.
 */
export function computeNixDiagnostics(source: SourceFile, scopes: ScopeAnalysisResult = analyzeScopes(source)): NixDiagnostic[] {
  const text = source.text;
  const tree = source.tree;
  const diagnostics: NixDiagnostic[] = syntaxDiagnostics(source);
  const attrSets = new AttrSetChecker(source);
  const statements = new StatementCollector(text);
  const steps = symbolTable(tree.grammar, STEP_OF_TYPE);
  const { kinds, parents } = tree;
  // Functions whose formals were seen, by depth: only they can have duplicate formals.
  const withFormals: boolean[] = [];
  // tree-sitter accepts a keyword as a name only after `.` (`x.with`); skip the check when no such text exists.
  const keywordAfterDot = KEYWORD_AFTER_DOT.test(text);
  walkTree(
    tree,
    (cursor) => {
      statements.enter(cursor);
      const step = steps[cursor.kind]!;
      if (step === Step.Other) return;
      if (step === Step.Function) {
        withFormals[cursor.depth] = false;
      } else if (step === Step.Formals) {
        withFormals[cursor.depth - 1] = true;
      } else if (step === Step.Identifier) {
        if (keywordAfterDot && cursor.depth > 0 && steps[kinds[parents[cursor.index]!]!] === Step.Attrpath) {
          const diagnostic = keywordAsName(cursor.startIndex, cursor.endIndex, text);
          if (diagnostic) diagnostics.push(diagnostic);
        }
      } else if (step === Step.Integer) {
        const diagnostic = checkInteger(cursor.currentNode, text);
        if (diagnostic) diagnostics.push(diagnostic);
      }
    },
    (cursor) => {
      const step = steps[cursor.kind]!;
      if (step === Step.BindingSet) {
        const set = statements.leaveBindingSet(cursor.depth);
        if (set) attrSets.checkBindingSet(set);
      } else if (step === Step.Function && withFormals[cursor.depth]) {
        diagnostics.push(...checkFormals(cursor.currentNode, source));
      }
    },
  );
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
