import { defineRule, type QueryMatch, type RuleContext, type SyntaxNode } from '@nixforge/core';
import { booleanLiteral, captured, excerpt, field, keepEdits, operatorOf, rangeOf, variableName } from '../syntax.js';
import { candidatePatterns, candidatesOf } from '../candidates.js';
import { parensBelow, parensFor, precedenceOf, Precedence } from '../precedence.js';
import { dropsComments } from '../subtree.js';

// Equality tests with a variable on either side; the visitor checks that it is the global `true`/`false`.
candidatePatterns('bool-comparison', `
    (binary_expression left: (variable_expression) operator: ["==" "!="]) @comparison
    (binary_expression operator: ["==" "!="] right: (variable_expression)) @comparison`);

/** Operators whose result is always a boolean. */
const BOOLEAN_OPERATORS = new Set(['==', '!=', '<', '<=', '>', '>=', '&&', '||', '->']);

/** Functions (by their last name: `isString`, `builtins.isString`, `lib.isString`) that return booleans. */
const PREDICATES = new Set([
  'isAttrs', 'isBool', 'isFloat', 'isFunction', 'isInt', 'isList', 'isNull', 'isPath', 'isString',
  'isDerivation', 'isStorePath', 'elem', 'hasAttr', 'pathExists', 'all', 'any', 'hasPrefix', 'hasSuffix',
  'hasInfix', 'versionAtLeast', 'versionOlder', 'lessThan',
]);

/** Options of `lint/bool-comparison`. */
export interface BoolComparisonOptions extends Record<string, unknown> {
  /**
   * Offer the fix for every compared value, assuming it is a boolean (statix's behaviour). By default the fix
   * is offered only where the value is a boolean by its syntax, since `x == true` is `false` for `x = null`
   * while `x` alone would then fail as a condition.
   */
  assumeBooleans?: boolean;
}

/** `x == true`, `x != false` and friends: compare with a boolean literal instead of using the value. */
export const boolComparison = defineRule<BoolComparisonOptions>({
  meta: {
    description: 'Comparison with a boolean literal (`x == true`) instead of using the boolean itself.',
    severity: 'warning',
    fixable: true,
    defaultOptions: { assumeBooleans: false },
    docs: {
      explanation:
        'Comparing a boolean with `true` or `false` adds nothing: `x == true` is `x` and `x == false` is `!x`. ' +
        'Use the value (or its negation) directly. The fix is offered where the value is a boolean by its syntax ' +
        '(a comparison, `!`, `&&`, `?`, `isString x`...); for other values it would change what happens when the ' +
        'value is `null` or not a boolean, so it is offered only with the option `assumeBooleans: true`.',
      bad: '{ enable }: if enable == true then "on" else "off"',
      good: '{ enable }: if enable then "on" else "off"',
    },
  },
  create(context) {
    const seen = new Set<number>();
    const onMatch = (match: QueryMatch): void => {
      const node = captured(match, 'comparison');
      if (!node || seen.has(node.startIndex)) return;
      seen.add(node.startIndex);
      const operator = operatorOf(node);
      const left = field(node, 'left');
      const right = field(node, 'right');
      if (!left || !right) return;
      const rightLiteral = booleanLiteral(context, right);
      const literal = rightLiteral ?? booleanLiteral(context, left);
      if (literal === undefined) return;
      const [operand, literalNode] = rightLiteral !== undefined ? [left, right] : [right, left];
      const keepsValue = (operator === '==') === literal;
      let between: [string, string];
      if (keepsValue) {
        between = parensFor(node, precedenceOf(operand));
      } else {
        const [outerOpen, outerClose] = parensFor(node, Precedence.NOT);
        // `!a + b` means `!(a + b)` in Nix, but few readers know that: parenthesise every operator operand.
        const [innerOpen, innerClose] =
          operand.type === 'binary_expression' ? ['(', ')'] : parensBelow(precedenceOf(operand), Precedence.NOT);
        between = [`${outerOpen}!${innerOpen}`, `${innerClose}${outerClose}`];
      }
      const shown = excerpt(context, operand);
      context.report({
        node,
        message: `Comparing \`${shown}\` with boolean literal \`${context.getText(literalNode)}\``,
        fix:
          dropsComments(node, [operand]) || !(context.options.assumeBooleans === true || isBooleanSyntax(context, operand))
          ? undefined
          : {
              description: keepsValue ? `replace with \`${shown}\`` : `replace with \`!${shown}\``,
              edits: keepEdits(context, rangeOf(node), [rangeOf(operand)], between),
            },
      });
    };
    return {
      onEnd() {
        for (const match of candidatesOf(context, 'bool-comparison')) onMatch(match);
      },
    };
  },
});

/** True when `node` evaluates to a boolean whenever it evaluates at all, judged by its syntax alone. */
function isBooleanSyntax(context: RuleContext, node: SyntaxNode): boolean {
  let expression: SyntaxNode | undefined = node;
  while (expression?.type === 'parenthesized_expression') expression = field(expression, 'expression');
  if (!expression) return false;
  switch (expression.type) {
    case 'has_attr_expression':
      return true;
    case 'unary_expression':
      return operatorOf(expression) === '!';
    case 'binary_expression':
      return BOOLEAN_OPERATORS.has(operatorOf(expression));
    case 'variable_expression':
      return booleanLiteral(context, expression) !== undefined;
    case 'apply_expression': {
      let head: SyntaxNode | undefined = expression;
      while (head?.type === 'apply_expression') head = field(head, 'function');
      const name =
        head?.type === 'select_expression' ? field(head, 'attrpath')?.childrenForFieldName('attr').at(-1) : head;
      const text = name?.type === 'identifier' ? context.getText(name) : variableName(context, name);
      return text !== undefined && PREDICATES.has(text);
    }
    default:
      return false;
  }
}
