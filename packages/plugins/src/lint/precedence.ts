import type { SyntaxNode } from '@nixforge/core';
import { field, operatorOf, sameNode } from './syntax.js';

/**
 * Nix operator precedence, used so that fixes never change how the surrounding code parses. Higher binds
 * tighter. Keywords that extend as far right as possible (`x:`, `let`, `with`, `if`, `assert`) are LOWEST.
 */
export const Precedence = {
  LOWEST: 0,
  IMPLICATION: 5,
  OR: 10,
  AND: 15,
  EQUALITY: 20,
  COMPARISON: 25,
  UPDATE: 30,
  NOT: 35,
  SUM: 40,
  PRODUCT: 50,
  CONCAT: 60,
  HAS_ATTR: 70,
  NEGATION: 80,
  APPLY: 90,
  SELECT: 100,
  ATOM: 110,
} as const;

type Associativity = 'left' | 'right' | 'none';

const BINARY: Record<string, [number, Associativity]> = {
  '->': [Precedence.IMPLICATION, 'right'],
  '||': [Precedence.OR, 'left'],
  '&&': [Precedence.AND, 'left'],
  '==': [Precedence.EQUALITY, 'none'],
  '!=': [Precedence.EQUALITY, 'none'],
  '<': [Precedence.COMPARISON, 'none'],
  '<=': [Precedence.COMPARISON, 'none'],
  '>': [Precedence.COMPARISON, 'none'],
  '>=': [Precedence.COMPARISON, 'none'],
  '//': [Precedence.UPDATE, 'right'],
  '+': [Precedence.SUM, 'left'],
  '-': [Precedence.SUM, 'left'],
  '*': [Precedence.PRODUCT, 'left'],
  '/': [Precedence.PRODUCT, 'left'],
  '++': [Precedence.CONCAT, 'right'],
};

/** Contexts that accept any expression: delimited on both sides by tokens no operator can cross. */
const OPEN_CONTEXTS = new Set([
  'source_code',
  'parenthesized_expression',
  'binding',
  'inherit_from',
  'interpolation',
  'formal',
  'let_expression',
  'if_expression',
  'function_expression',
  'with_expression',
  'assert_expression',
]);

/** How tightly an expression node binds. */
export function precedenceOf(node: SyntaxNode): number {
  switch (node.type) {
    case 'binary_expression':
      return BINARY[operatorOf(node)]?.[0] ?? Precedence.LOWEST;
    case 'unary_expression':
      return operatorOf(node) === '!' ? Precedence.NOT : Precedence.NEGATION;
    case 'has_attr_expression':
      return Precedence.HAS_ATTR;
    case 'apply_expression':
      return Precedence.APPLY;
    case 'select_expression':
      return Precedence.SELECT;
    case 'function_expression':
    case 'let_expression':
    case 'with_expression':
    case 'if_expression':
    case 'assert_expression':
      return Precedence.LOWEST;
    default:
      return Precedence.ATOM;
  }
}

/** The least precedence an expression must have to take the place of `node` without parentheses. */
export function requiredPrecedence(node: SyntaxNode): number {
  const parent = node.parent;
  if (!parent || OPEN_CONTEXTS.has(parent.type)) return Precedence.LOWEST;
  switch (parent.type) {
    case 'list_expression':
      return Precedence.SELECT;
    case 'apply_expression':
      return sameNode(field(parent, 'function'), node) ? Precedence.APPLY : Precedence.SELECT;
    case 'select_expression':
      return sameNode(field(parent, 'expression'), node) ? Precedence.ATOM : Precedence.SELECT;
    case 'unary_expression':
      return operatorOf(parent) === '!' ? Precedence.NOT : Precedence.NEGATION;
    case 'has_attr_expression':
      return Precedence.HAS_ATTR;
    case 'binary_expression': {
      const [precedence, associativity] = BINARY[operatorOf(parent)] ?? [Precedence.ATOM, 'none'];
      const isLeft = sameNode(field(parent, 'left'), node);
      const sameSideAllowed = isLeft ? associativity === 'left' : associativity === 'right';
      return sameSideAllowed ? precedence : precedence + 1;
    }
    default:
      return Precedence.ATOM;
  }
}

/** The parentheses to write around an expression of `precedence` put where `node` stands: `['(', ')']` or none. */
export function parensFor(node: SyntaxNode, precedence: number): [string, string] {
  return precedence >= requiredPrecedence(node) ? ['', ''] : ['(', ')'];
}

/** The parentheses an operand of `precedence` needs where at least `least` is required. */
export function parensBelow(precedence: number, least: number): [string, string] {
  return precedence >= least ? ['', ''] : ['(', ')'];
}
