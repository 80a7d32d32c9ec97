import type { Declaration, Fix, ScopeAnalysisResult, SourceFile, SyntaxNode, TextRange } from '@nixforge/core';
import { removalRange, skipBlanks, skipBlanksBackward, statementRemovalRange } from './edits.js';

/**
 * Fixes in the spirit of `deadnix --edit`. Each returns undefined where no edit is safe; `applyFixes`
 * still refuses any result that does not parse.
 */

const SUPPRESSION = /deadnix:\s*skip|nixforge-disable/;

/**
 * Removes an unused `let` binding: its `name = ...;` statements, or its name in an `inherit` list (the
 * whole statement when every name in it is dead). When every binding of the `let` is dead the whole
 * `let ... in` goes, keeping the body.
 */
export function removeLetBinding(
  declaration: Declaration,
  dead: ReadonlySet<Declaration>,
  source: SourceFile,
): Fix | undefined {
  const text = source.text;
  const scope = declaration.scope;
  const description = `remove unused binding \`${declaration.name}\``;
  // A suppression comment inside the let may keep one of its bindings: then remove bindings one by one.
  const hasSuppression = SUPPRESSION.test(text.slice(scope.range.start, scope.range.end));
  if (scope.kind === 'let' && !hasSuppression && [...scope.declarations.values()].every((d) => dead.has(d))) {
    const letNode = source.tree.rootNode.descendantForIndex(scope.range.start, scope.range.end);
    const body = letNode.type === 'let_expression' ? letNode.childForFieldName('body') : null;
    if (body !== null) {
      return { description: `${description} (and the now empty let)`, edits: [{ range: { start: scope.range.start, end: body.startIndex }, text: '' }] };
    }
  }
  if (declaration.inherited) {
    const statement = declaration.bindingRanges[0]!;
    const siblings = [...scope.declarations.values()].filter(
      (d) => d.inherited && d.bindingRanges[0]!.start === statement.start,
    );
    const whole = siblings.every((d) => dead.has(d));
    const range = whole ? statementRemovalRange(text, statement) : removalRange(text, declaration.nameRange);
    return { description, edits: [{ range, text: '' }] };
  }
  return {
    description,
    edits: declaration.bindingRanges.map((range) => ({ range: statementRemovalRange(text, range), text: '' })),
  };
}

/**
 * Removes an unused formal with its comma. Only offered when the pattern has `...`: without it, callers
 * that still pass the argument would fail with "called with unexpected argument".
 */
export function removeFormal(declaration: Declaration, source: SourceFile): Fix | undefined {
  const text = source.text;
  const formal = declaration.bindingRanges[0]!;
  const formals = formalsNode(declaration, source);
  if (formals === null || formals.childForFieldName('ellipses') === null) return undefined;
  const after = skipBlanks(text, formal.end);
  let range: TextRange;
  if (text[after] === ',') {
    range = removalRange(text, { start: formal.start, end: after + 1 });
  } else {
    const before = skipBlanksBackward(text, formal.start);
    if (text[before - 1] !== ',') return undefined;
    range = { start: before - 1, end: formal.end };
  }
  return { description: `remove unused argument \`${declaration.name}\``, edits: [{ range, text: '' }] };
}

/** Removes an unused `@` name: `args@{ ... }` or `{ ... }@args` becomes `{ ... }`. */
export function removePatternName(declaration: Declaration, source: SourceFile): Fix | undefined {
  const text = source.text;
  const name = declaration.nameRange;
  const after = skipBlanks(text, name.end);
  if (text[after] === '@') {
    return { description: `remove unused \`${declaration.name}@\``, edits: [{ range: { start: name.start, end: skipBlanks(text, after + 1) }, text: '' }] };
  }
  const before = skipBlanksBackward(text, name.start);
  if (text[before - 1] !== '@') return undefined;
  return {
    description: `remove unused \`@${declaration.name}\``,
    edits: [{ range: { start: skipBlanksBackward(text, before - 1), end: name.end }, text: '' }],
  };
}

/**
 * Renames an unused lambda argument `x` to `_x`, which marks it unused on purpose (removing it would change
 * the function's arity). Not offered when `_x` is used inside the function: the rename would capture it.
 */
export function prefixLambdaArg(declaration: Declaration, scopes: ScopeAnalysisResult): Fix | undefined {
  const renamed = `_${declaration.name}`;
  const lambda = declaration.scope.range;
  const captures = scopes.references.some(
    (r) => r.name === renamed && r.range.start >= lambda.start && r.range.end <= lambda.end,
  );
  if (captures) return undefined;
  return { description: `rename unused argument \`${declaration.name}\` to \`${renamed}\``, edits: [{ range: declaration.nameRange, text: renamed }] };
}

/** The `formals` node a formal belongs to. */
function formalsNode(declaration: Declaration, source: SourceFile): SyntaxNode | null {
  const formal = declaration.bindingRanges[0]!;
  let node: SyntaxNode | null = source.tree.rootNode.descendantForIndex(formal.start, formal.end);
  while (node !== null && node.type !== 'formals') node = node.parent;
  return node;
}
