import { defineRule, type QueryMatch, type RuleContext, type SyntaxNode, type TextEdit } from '@nixforge/core';
import { captured, excerpt, field, keepEdits, rangeOf, variableName } from '../syntax.js';
import { parensFor, precedenceOf } from '../precedence.js';
import { dropsComments, mentionsName } from '../subtree.js';
import { declarationAt, isUsedIn } from '../scope.js';

const QUERY = `(function_expression universal: (identifier) body: (apply_expression argument: (variable_expression))) @function`;

/** `x: f x` is `f` when `x` is not used inside `f`. */
export const etaReduction = defineRule({
  meta: {
    description: 'A function that only passes its argument on (`x: f x`) instead of the function itself (`f`).',
    severity: 'warning',
    messages: { etaReduction: 'Found eta-reduction: this function is `{{reduced}}`' },
    fixable: true,
    docs: {
      explanation:
        '`x: f x` is a function that calls `f` with its argument; when `x` does not occur in `f`, it is just `f`. ' +
        'Functions with a pattern (`{ a }: f a`) are not reported: the pattern checks the argument. Where the ' +
        'function is passed to something that reads its formal arguments (`callPackage`, module `imports`), ' +
        'note that `x: f x` has none while `f` may have some. The last function of a curried callback is not ' +
        'reported either: `name: value: nameValuePair "x-${name}" value` names both arguments of `mapAttrs\'` ' +
        'on purpose, and reducing it to `name: nameValuePair "x-${name}"` hides the second.',
      bad: '{ lib }: map (x: lib.toUpper x) [ "a" ]',
      good: '{ lib }: map lib.toUpper [ "a" ]',
    },
  },
  query: QUERY,
  create(context) {
    const onMatch = (match: QueryMatch): void => {
      const node = captured(match, 'function');
      if (!node) return;
      if (field(node, 'formals') || isCurriedInner(node)) return;
      const parameter = field(node, 'universal');
      const body = field(node, 'body');
      if (!parameter || body?.type !== 'apply_expression') return;
      const name = context.getText(parameter);
      if (variableName(context, field(body, 'argument')) !== name) return;
      const fn = field(body, 'function');
      if (!fn) return;
      // The name not occurring at all settles it cheaply; otherwise scopes tell whether it is this argument.
      if (mentionsName(context, fn, new Set([name]))) {
        const declaration = declarationAt(context, parameter);
        if (declaration === undefined || isUsedIn(context, declaration, fn)) return;
      }
      const shown = excerpt(context, fn);
      context.report({
        node,
        messageId: 'etaReduction',
        data: { reduced: shown },
        symbol: name,
        fix: dropsComments(node, [fn])
          ? undefined
          : {
              description: `replace with \`${shown}\``,
              edits: etaEdits(context, node, fn),
            },
      });
    };
    return {
      onMatch,
    };
  },
});

/** `n: v: f n v`-style: the function is the body of a function with a plain argument (a curried callback). */
function isCurriedInner(node: SyntaxNode): boolean {
  let outer = node.parent;
  while (outer?.type === 'parenthesized_expression') outer = outer.parent;
  return outer?.type === 'function_expression' && outer.childForFieldName('universal') !== null &&
    outer.childForFieldName('formals') === null;
}

/**
 * The edits of the fix: `x: f x` becomes `f`. Where the function sat in parentheses that a name or selection
 * does not need (`map (x: f x) xs`), they go too, so the fix leaves `map f xs`, not `map (f) xs`.
 */
function etaEdits(context: RuleContext, node: SyntaxNode, fn: SyntaxNode): TextEdit[] {
  const parens = node.parent;
  const primitive = fn.type === 'variable_expression' || (fn.type === 'select_expression' && !field(fn, 'default'));
  if (primitive && parens?.type === 'parenthesized_expression' && !dropsComments(parens, [fn])) {
    const before = context.sourceText[parens.startIndex - 1] ?? ' ';
    const after = context.sourceText[parens.endIndex] ?? ' ';
    return keepEdits(context, rangeOf(parens), [rangeOf(fn)], [/[\s([{;=,]/.test(before) ? '' : ' ', /[\s)\]};,.]/.test(after) ? '' : ' ']);
  }
  return keepEdits(context, rangeOf(node), [rangeOf(fn)], parensFor(node, precedenceOf(fn)));
}
