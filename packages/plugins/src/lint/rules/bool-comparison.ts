import { defineRule, type QueryMatch, type RuleContext, type SyntaxNode } from '@nixforge/core';
import { booleanLiteral, captured, excerpt, field, keepEdits, operatorOf, rangeOf, sameNode, variableName } from '../syntax.js';
import { parensBelow, parensFor, precedenceOf, Precedence } from '../precedence.js';
import { dropsComments } from '../subtree.js';
import { referenceAt } from '../scope.js';

// Equality tests with a variable on either side; the visitor checks that it is the global `true`/`false`.
const QUERY = `
    (binary_expression left: (variable_expression) operator: ["==" "!="]) @comparison
    (binary_expression operator: ["==" "!="] right: (variable_expression)) @comparison`;

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
   * Report and fix every compared value, assuming it is a boolean (statix's behaviour). By default only values
   * that are booleans by their syntax, or `enable` options, are reported (and only the former fixed), since
   * `x == true` is `false` for `x = null` or `x = "yes"` while `x` alone would then fail as a condition.
   */
  assumeBooleans?: boolean;
}

/** `x == true`, `x != false` and friends: compare with a boolean literal instead of using the value. */
export const boolComparison = defineRule<BoolComparisonOptions>({
  meta: {
    description: 'Comparison with a boolean literal (`x == true`) instead of using the boolean itself.',
    severity: 'warning',
    messages: { booleanComparison: 'Comparing `{{operand}}` with boolean literal `{{literal}}`' },
    fixable: true,
    defaultOptions: { assumeBooleans: false },
    schema: { type: 'object', properties: { assumeBooleans: { type: 'boolean' } }, additionalProperties: false },
    docs: {
      explanation:
        'Comparing a boolean with `true` or `false` adds nothing: `x == true` is `x` and `x == false` is `!x`. ' +
        'Use the value (or its negation) directly. Reported where the value is a boolean by its syntax (a ' +
        'comparison, `!`, `&&`, `?`, `isString x`...; these get a fix) and for `enable` options (`cfg.enable == ' +
        'true`, not under freeform `settings`). Other values may be null or not booleans at all (nullable options, type dispatch such as ' +
        '`if v == true then "on" else if isString v then v else ...`), where the comparison is the right test; ' +
        'they are reported and fixed only with the option `assumeBooleans: true`.',
      bad: '{ enable }: if enable == true then "on" else "off"',
      good: '{ enable }: if enable then "on" else "off"',
    },
  },
  query: QUERY,
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
      const assumeBooleans = context.options.assumeBooleans === true;
      const booleanSyntax = isBooleanSyntax(context, operand);
      if (!assumeBooleans && !booleanSyntax && (!isEnableOption(context, operand) || isTypeTested(context, node, operand))) return;
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
        messageId: 'booleanComparison',
        data: { operand: shown, literal: context.getText(literalNode) },
        fix:
          dropsComments(node, [operand]) || !(assumeBooleans || booleanSyntax)
          ? undefined
          : {
              description: keepsValue ? `replace with \`${shown}\`` : `replace with \`!${shown}\``,
              edits: keepEdits(context, rangeOf(node), [rangeOf(operand)], between),
            },
      });
    };
    return {
      onMatch,
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
      return booleanLiteral(context, expression) !== undefined || hasBooleanDefault(context, expression);
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

/** The names of a variable or attribute selection without a default: `cfg.enable` -> [cfg, enable]. */
function namesOf(context: RuleContext, node: SyntaxNode): string[] | undefined {
  let expression: SyntaxNode | undefined = node;
  while (expression?.type === 'parenthesized_expression') expression = field(expression, 'expression');
  if (expression?.type === 'variable_expression') return [context.getText(expression)];
  if (expression?.type !== 'select_expression' || field(expression, 'default')) return undefined;
  const attrs = field(expression, 'attrpath')?.childrenForFieldName('attr') ?? [];
  return attrs.map((attr) => context.getText(attr));
}

/**
 * `enable` options are booleans (`mkEnableOption`). Not under `settings`: freeform settings are often
 * nullable (`settings.x.enable = null` means "unset"). Other names (`enableUpdateCheck`) may be nullable too.
 */
function isEnableOption(context: RuleContext, node: SyntaxNode): boolean {
  const names = namesOf(context, node);
  return names !== undefined && names.at(-1) === 'enable' && !names.includes('settings');
}

/**
 * True when the `if` chain the comparison is a condition of also tests the operand's type or compares it
 * with a value that is not a boolean: then `== true` is a case of a type dispatch, not a redundant test.
 */
function isTypeTested(context: RuleContext, comparison: SyntaxNode, operand: SyntaxNode): boolean {
  let chain: SyntaxNode | undefined = comparison;
  while (chain && chain.type !== 'if_expression') chain = chain.parent ?? undefined;
  while (chain?.parent?.type === 'if_expression' && sameNode(field(chain.parent, 'alternative'), chain)) chain = chain.parent;
  const subject = context.getText(operand).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const typeTest = new RegExp(`(\\b(is[A-Z]\\w*|typeOf)\\s+\\(?${subject}\\b)|(${subject}\\s*[!=]=\\s*(null|"|[0-9{[]))`);
  for (let link = chain; link?.type === 'if_expression'; link = field(link, 'alternative')) {
    const condition = field(link, 'condition');
    if (condition && typeTest.test(context.getText(condition))) return true;
  }
  return false;
}

/** `{ withDocs ? false }: ... withDocs == true`: an argument whose default is a boolean literal is a boolean. */
function hasBooleanDefault(context: RuleContext, variable: SyntaxNode): boolean {
  const resolution = referenceAt(context, variable.startIndex)?.resolution;
  if (typeof resolution !== 'object' || resolution.kind !== 'formal') return false;
  const formalRange = resolution.bindingRanges[0]!;
  let formal: SyntaxNode | null = context.source.tree.rootNode.descendantForIndex(formalRange.start, formalRange.end);
  while (formal !== null && formal.type !== 'formal') formal = formal.parent;
  const value = formal?.childForFieldName('default');
  return value != null && value.type === 'variable_expression' && booleanLiteral(context, value) !== undefined;
}
