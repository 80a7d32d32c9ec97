import { defineRule, type Fix, type QueryMatch, type RuleContext, type SyntaxNode } from '@nixforge/core';
import { bindingsOf, captured, childOfType, field, plainAttrpath, sameNode } from '../syntax.js';
import { dropsComments, mentionsName } from '../subtree.js';

const QUERY = `(let_expression body: (let_expression)) @outer`;

/** `let a = 1; in let b = 2; in e`: the two `let`s can be one. */
export const collapsibleLetIn = defineRule({
  meta: {
    description: 'A `let ... in` whose body is another `let ... in`.',
    severity: 'warning',
    messages: { collapsibleLetIn: 'This `let in` expression may be collapsed into the enclosing one' },
    fixable: true,
    docs: {
      explanation:
        'Nested `let` blocks directly inside each other can be merged into one. The fix is offered only when ' +
        'merging changes no meaning: no name is bound twice and no outer binding refers to a name the inner ' +
        '`let` would capture.',
      bad: 'let\n  a = 1;\nin\nlet\n  b = a + 1;\nin\nb',
      good: 'let\n  a = 1;\n  b = a + 1;\nin\nb',
    },
  },
  query: QUERY,
  create(context) {
    const onMatch = (match: QueryMatch): void => {
      const node = captured(match, 'outer');
      const inner = node && field(node, 'body');
      if (!node || inner?.type !== 'let_expression') return;
      const outerIn = childOfType(node, 'in');
      const innerLet = childOfType(inner, 'let');
      if (!outerIn || !innerLet) return;
      context.report({
        range: { start: outerIn.startIndex, end: innerLet.endIndex },
        messageId: 'collapsibleLetIn',
        fix: mergeFix(context, node, inner),
      });
    };
    return {
      onMatch,
    };
  },
});

interface BoundNames {
  /** Every name the `let` binds. */
  all: Set<string>;
  /** Names brought in by plain `inherit x;`, which read `x` from the scope around the `let`. */
  inherited: Set<string>;
}

function boundNames(context: RuleContext, letNode: SyntaxNode): BoundNames | undefined {
  const all = new Set<string>();
  const inherited = new Set<string>();
  for (const binding of bindingsOf(letNode)) {
    if (binding.type === 'binding') {
      const path = plainAttrpath(context, field(binding, 'attrpath'));
      if (!path) return undefined;
      all.add(path[0]!);
    } else {
      for (const attr of field(binding, 'attrs')?.namedChildren ?? []) {
        if (attr.type === 'comment') continue;
        if (attr.type !== 'identifier') return undefined;
        const name = context.getText(attr);
        all.add(name);
        if (binding.type === 'inherit') inherited.add(name);
      }
    }
  }
  return { all, inherited };
}

/**
 * Merging `inner` into its enclosing chain of directly nested `let`s must not bind a name twice, re-route a
 * plain `inherit` of an outer name, or capture a name that some outer binding reads from further out. The
 * whole chain is checked because all fixes of one pass are applied together.
 */
function isSafeToMerge(context: RuleContext, outer: SyntaxNode, inner: SyntaxNode): boolean {
  const innerNames = boundNames(context, inner);
  if (!innerNames) return false;
  for (let current: SyntaxNode | null = outer; current?.type === 'let_expression'; ) {
    const names = boundNames(context, current);
    if (!names) return false;
    for (const name of innerNames.all) if (names.all.has(name)) return false;
    for (const name of innerNames.inherited) if (names.all.has(name)) return false;
    for (const binding of bindingsOf(current)) if (mentionsName(context, binding, innerNames.all)) return false;
    const parent: SyntaxNode | null = current.parent;
    current = parent?.type === 'let_expression' && sameNode(field(parent, 'body'), current) ? parent : null;
  }
  return true;
}

/**
 * Removes the text from the end of the outer bindings to the start of the inner ones (`in let`), keeping the
 * inner bindings' indentation: `let a = 1; in let b = 2; in e` becomes `let a = 1; b = 2; in e`.
 */
function mergeFix(context: RuleContext, outer: SyntaxNode, inner: SyntaxNode): Fix | undefined {
  const outerBindings = outer.namedChildren.find((c) => c.type === 'binding_set');
  const innerBindings = inner.namedChildren.find((c) => c.type === 'binding_set');
  const innerLet = childOfType(inner, 'let');
  if (!outerBindings || !innerBindings || !innerLet) return undefined;
  const removed = { start: outerBindings.endIndex, end: innerBindings.startIndex };
  const kept = [
    { start: outer.startIndex, end: removed.start },
    { start: removed.end, end: outer.endIndex },
  ];
  if (dropsComments(outer, kept) || !isSafeToMerge(context, outer, inner)) return undefined;
  const indentation = context.getText({ start: innerLet.endIndex, end: innerBindings.startIndex });
  return {
    description: 'merge the nested `let` into the enclosing one',
    edits: [{ range: removed, text: indentation }],
  };
}
