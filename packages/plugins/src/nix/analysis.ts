import { analyzeScopes, scopeAnalysis, type RuleContext, type ScopeAnalysisResult, type SourceFile } from '@nixforge/core';
import { compareNixOrder, type NixDiagnostic } from './diagnostic.js';
import { AttrSetChecker } from './attr-merge.js';
import { StatementCollector } from './statements.js';
import { checkFormals } from './formals.js';
import { checkInteger } from './integers.js';
import { keywordAsName, syntaxDiagnostics } from './syntax.js';
import { undefinedNameDiagnostics } from './undefined-names.js';
import { walkTree } from './walk.js';

const KEYWORD_AFTER_DOT = /\.\s*(?:if|then|else|assert|with|let|in|rec|inherit)(?![A-Za-z0-9_'-])/;

/**
 * Every error `nix-instantiate --parse` would raise for a file (not only the first), in the order Nix
 * meets them. One cursor walk collects parse errors; undefined variables come from the scope analysis.
 */
export function computeNixDiagnostics(source: SourceFile, scopes: ScopeAnalysisResult = analyzeScopes(source)): NixDiagnostic[] {
  const text = source.text;
  const diagnostics: NixDiagnostic[] = syntaxDiagnostics(source);
  const attrSets = new AttrSetChecker(source);
  const statements = new StatementCollector(text);
  // Types of the open nodes from the root down: `node.parent` costs O(depth) in tree-sitter, and each
  // read of a range is a native call, so ranges are read only where needed.
  const types: string[] = [];
  // Functions whose formals were seen, by depth: only they can have duplicate formals.
  const withFormals: boolean[] = [];
  // tree-sitter accepts a keyword as a name only after `.` (`x.with`); skip the check when no such text exists.
  const keywordAfterDot = KEYWORD_AFTER_DOT.test(text);
  walkTree(
    source.tree,
    (cursor) => {
      const type = cursor.nodeType;
      types.push(type);
      statements.enter(cursor, types);
      if (type === 'function_expression') {
        withFormals[types.length - 1] = false;
      } else if (type === 'formals') {
        withFormals[types.length - 2] = true;
      } else if (type === 'identifier') {
        if (keywordAfterDot && types[types.length - 2] === 'attrpath') {
          const diagnostic = keywordAsName(cursor.startIndex, cursor.endIndex, text);
          if (diagnostic) diagnostics.push(diagnostic);
        }
      } else if (type === 'integer_expression') {
        const diagnostic = checkInteger(cursor.currentNode, text);
        if (diagnostic) diagnostics.push(diagnostic);
      }
    },
    (cursor) => {
      const type = types.pop()!;
      if (type === 'binding_set') {
        const set = statements.leaveBindingSet(types.length);
        if (set) attrSets.checkBindingSet(set);
      } else if (type === 'function_expression' && withFormals[types.length]) {
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
