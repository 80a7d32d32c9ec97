import type { SyntaxNode } from '../tree-sitter.js';
import { attrPathNames } from './attrsets.js';
import { textOf, unparen } from './nodes.js';

/** The name of a `variable_expression` (`x` -> 'x'); undefined for any other node. */
export function variableName(node: SyntaxNode | undefined, text: string): string | undefined {
  if (node?.type !== 'variable_expression') return undefined;
  const name = node.childForFieldName('name');
  return name ? textOf(name, text) : undefined;
}

/**
 * The dotted name a reference spells, through parentheses: `builtins.fetchurl` -> [builtins, fetchurl],
 * `fetchurl` -> [fetchurl]. Undefined for anything else (calls, selections with `or`, dynamic attributes).
 * Purely syntactic: it does not tell a global from a local binding of the same name (see `scopeAnalysis`).
 */
export function referencePath(node: SyntaxNode | null | undefined, text: string): string[] | undefined {
  const target = unparen(node);
  if (!target) return undefined;
  if (target.type === 'variable_expression') {
    const name = target.childForFieldName('name');
    return name ? [textOf(name, text)] : undefined;
  }
  if (target.type === 'select_expression' && !target.childForFieldName('default')) {
    const base = target.childForFieldName('expression');
    if (!base || base.type !== 'variable_expression') return undefined;
    const rest = attrPathNames(target.childForFieldName('attrpath'), text);
    const head = base.childForFieldName('name');
    return rest && head ? [textOf(head, text), ...rest] : undefined;
  }
  return undefined;
}

/** The last name of a reference path: [pkgs, fetchurl] -> `fetchurl`; undefined for undefined. */
export function lastName(path: string[] | undefined): string | undefined {
  return path ? path[path.length - 1] : undefined;
}

/** True when `node` is the reference `true` or `false` with that value (by name, not by scope). */
export function isBoolean(node: SyntaxNode | null | undefined, text: string, value: boolean): boolean {
  const path = node ? referencePath(node, text) : undefined;
  return path !== undefined && path.length === 1 && path[0] === String(value);
}

/** A call `f a b` (a chain of `apply_expression`s): the function and its arguments in order. */
export interface Call {
  /** The outermost `apply_expression` of the chain (covers the whole call). */
  node: SyntaxNode;
  /** The function applied: `f` in `f a b`. */
  callee: SyntaxNode;
  /** The arguments, first to last: `a`, `b`. */
  args: SyntaxNode[];
}

/**
 * Reads a call from its innermost `apply_expression` (the one whose function is not itself an application).
 * Returns undefined for every other application, so a visitor on `apply_expression` sees each call once.
 */
export function callAt(apply: SyntaxNode): Call | undefined {
  const callee = apply.childForFieldName('function');
  if (!callee || callee.type === 'apply_expression') return undefined;
  const args: SyntaxNode[] = [];
  let outer = apply;
  for (;;) {
    const arg = outer.childForFieldName('argument');
    if (arg) args.push(arg);
    const parent = outer.parent;
    if (!parent || parent.type !== 'apply_expression' || parent.childForFieldName('function')?.id !== outer.id) break;
    outer = parent;
  }
  return { node: outer, callee, args };
}
