import { field, variableName as variableNameIn, type RuleContext, type SyntaxNode, type TextRange } from '@nixforge/core';
import { isGlobal } from './scope.js';

// The general node readers live in @nixforge/core; the lint rules import them from here with the lint-only ones.
export { bindingsOf, captured, childOfType, field, operatorOf, rangeOf } from '@nixforge/core';

/** True when `a` and `b` are the same node (same type and range in the same tree). */
export function sameNode(a: SyntaxNode | undefined, b: SyntaxNode | undefined): boolean {
  return a !== undefined && b !== undefined && a.type === b.type && a.startIndex === b.startIndex && a.endIndex === b.endIndex;
}

/** The name of a `variable_expression`, read from the file (core's `variableName` with the rule's context). */
export function variableName(context: RuleContext, node: SyntaxNode | undefined): string | undefined {
  return variableNameIn(node, context.sourceText);
}

/** `true` or `false` when the node is one of the boolean literals (the unshadowed globals), else undefined. */
export function booleanLiteral(context: RuleContext, node: SyntaxNode | undefined): boolean | undefined {
  const name = variableName(context, node);
  if (name !== 'true' && name !== 'false') return undefined;
  return isGlobal(context, node!) ? name === 'true' : undefined;
}

/** True when `node` is `builtins.<name>` (with the global `builtins`, no `or` default). */
export function isBuiltinSelect(context: RuleContext, node: SyntaxNode, name: string): boolean {
  if (node.type !== 'select_expression' || field(node, 'default')) return false;
  const set = field(node, 'expression');
  if (!set || variableName(context, set) !== 'builtins') return false;
  const path = plainAttrpath(context, field(node, 'attrpath'));
  return path?.length === 1 && path[0] === name && isGlobal(context, set);
}

/** True when `node` is the global variable `name` (not a local binding of that name). */
export function isGlobalVariable(context: RuleContext, node: SyntaxNode, name: string): boolean {
  return variableName(context, node) === name && isGlobal(context, node);
}

/** The identifiers of an `attrpath` when every component is a plain identifier; undefined otherwise. */
export function plainAttrpath(context: RuleContext, attrpath: SyntaxNode | undefined): string[] | undefined {
  if (!attrpath) return undefined;
  const names: string[] = [];
  for (const attr of attrpath.childrenForFieldName('attr')) {
    if (attr.type !== 'identifier') return undefined;
    names.push(context.getText(attr));
  }
  return names;
}

/**
 * Edits that turn `outer` into `between[0] + kept[0] + between[1] + ... + kept[n-1] + between[n]`, leaving the
 * text of every kept range (and any comments in it) untouched. Kept ranges must be ordered and inside `outer`.
 */
export function keepEdits(
  context: RuleContext,
  outer: TextRange,
  kept: readonly TextRange[],
  between: readonly string[],
): Array<{ range: TextRange; text: string }> {
  const edits: Array<{ range: TextRange; text: string }> = [];
  let cursor = outer.start;
  kept.forEach((range, i) => {
    const gap = { start: cursor, end: range.start };
    if (context.getText(gap) !== between[i]) edits.push({ range: gap, text: between[i] ?? '' });
    cursor = range.end;
  });
  const tail = { start: cursor, end: outer.end };
  if (context.getText(tail) !== between[kept.length]) edits.push({ range: tail, text: between[kept.length] ?? '' });
  return edits;
}

/** A short, one-line excerpt of a node for messages: long or multi-line code is cut with `…`. */
export function excerpt(context: RuleContext, node: SyntaxNode | TextRange, limit = 40): string {
  const range = 'startIndex' in node ? { start: node.startIndex, end: node.endIndex } : node;
  const text = context.getText({ start: range.start, end: Math.min(range.end, range.start + limit + 1) });
  const newline = text.indexOf('\n');
  if (newline >= 0) return `${text.slice(0, newline).trimEnd()} …`;
  return text.length > limit ? `${text.slice(0, limit)}…` : text;
}
