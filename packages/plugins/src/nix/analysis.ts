import { scopeAnalysis, type Analysis, type SourceFile } from '@nixforge/core';
import { compareNixOrder, type NixDiagnostic } from './diagnostic.js';
import { AttrSetChecker, type ContainerInfo } from './attr-merge.js';
import { checkFormals } from './formals.js';
import { checkInteger } from './integers.js';
import { keywordAsName, syntaxDiagnostics } from './syntax.js';
import { undefinedNameDiagnostics } from './undefined-names.js';
import { walkTree } from './walk.js';

/** Node types whose `binding_set` Nix assembles into an attribute set. */
const BINDING_CONTAINERS = new Set([
  'attrset_expression',
  'rec_attrset_expression',
  'let_expression',
  'let_attrset_expression',
]);

/**
 * Every error `nix-instantiate --parse` would raise for a file (not only the first), in the order Nix
 * meets them. One cursor walk collects parse errors; undefined variables come from the shared scope
 * analysis. Shared by all `nix/*` rules through `context.getAnalysis(nixDiagnosticsAnalysis)`.
 */
export function computeNixDiagnostics(source: SourceFile, scopes = scopeAnalysis.compute(source)): NixDiagnostic[] {
  const text = source.text;
  const diagnostics: NixDiagnostic[] = syntaxDiagnostics(source);
  const attrSets = new AttrSetChecker(source);
  // Open nodes from the root down; `node.parent` costs O(depth) in tree-sitter, this stack costs nothing.
  const open: ContainerInfo[] = [];
  walkTree(
    source.tree.walk(),
    (cursor) => {
      const type = cursor.nodeType;
      open.push({ type, startIndex: cursor.startIndex, endIndex: cursor.endIndex });
      if (type === 'identifier') {
        const diagnostic = keywordAsName(cursor.startIndex, cursor.endIndex, text);
        if (diagnostic) diagnostics.push(diagnostic);
      } else if (type === 'integer_expression') {
        const diagnostic = checkInteger(cursor.currentNode, text);
        if (diagnostic) diagnostics.push(diagnostic);
      }
    },
    (cursor) => {
      open.pop();
      const type = cursor.nodeType;
      if (type === 'binding_set') {
        const container = open[open.length - 1];
        if (container !== undefined && BINDING_CONTAINERS.has(container.type)) {
          attrSets.checkBindingSet(cursor.currentNode, container);
        }
      } else if (type === 'function_expression') {
        diagnostics.push(...checkFormals(cursor.currentNode, source));
      }
    },
  );
  diagnostics.push(...attrSets.diagnostics, ...undefinedNameDiagnostics(scopes, source));
  return diagnostics.sort(compareNixOrder);
}

export const nixDiagnosticsAnalysis: Analysis<NixDiagnostic[]> = {
  name: 'nix/diagnostics',
  compute: (source) => computeNixDiagnostics(source),
};

/** The error `nix-instantiate --parse` reports for the file (it stops at the first), or undefined. */
export function firstNixError(source: SourceFile): NixDiagnostic | undefined {
  return computeNixDiagnostics(source)[0];
}
