import { defineRule, type SyntaxNode } from '@nixforge/core';
import { ruleDocsUrl } from '../security/docs-url.js';

/** Node types that open a visible level of nesting. Curried lambdas (`a: b: ...`) count once. */
const NESTING_TYPES = [
  'attrset_expression',
  'rec_attrset_expression',
  'let_expression',
  'list_expression',
  'if_expression',
  'function_expression',
];

/** The visitor keys of NESTING_TYPES, built once: a key made per file would be a new string to hash each time. */
const EXIT_KEYS = NESTING_TYPES.map((type) => `${type}:exit`);

/** Expressions nested deeper than `maxDepth` levels. */
export const deepNesting = defineRule<{ maxDepth: number }>({
  meta: {
    description: 'Expressions are nested too deeply.',
    severity: 'info',
    messages: { tooDeep: 'nesting depth exceeds {{maxDepth}}: split this expression into named parts' },
    defaultOptions: { maxDepth: 25 },
    docs: {
      explanation:
        'Very deep nesting (attribute sets in lists in functions in ...) is hard to read and review, and ' +
        'extreme depth, common in generated files, slows down every tool that walks the expression. Split ' +
        'the expression into named `let` bindings or separate files. Option `maxDepth` (default 25) sets the ' +
        'limit; one finding is reported per subtree that crosses it.',
      bad: '[[[[[[[[[[[[[[[[[[[[[[[[[[ 1 ]]]]]]]]]]]]]]]]]]]]]]]]]]',
      good: 'let inner = [ 1 ]; in [ inner ]',
      url: ruleDocsUrl('performance', 'deep-nesting'),
    },
  },
  create(context) {
    const maxDepth = Number(context.options.maxDepth);
    let depth = 0;
    // Depth at which the current too-deep subtree was reported; nothing deeper inside it is reported again.
    let reportedAt = 0;
    // Bodies of the functions being visited, innermost last: a function that is exactly the body of the
    // enclosing one is curried (`a: b: ...`) and does not add a level. (`node.parent` would cost O(depth).)
    const functionBodies: Array<{ start: number; end: number }> = [];
    const counts = (node: SyntaxNode): boolean => {
      if (node.type !== 'function_expression') return true;
      const outer = functionBodies[functionBodies.length - 1];
      return !(outer && outer.start === node.startIndex && outer.end === node.endIndex);
    };
    const enter = (node: SyntaxNode): void => {
      const counted = counts(node);
      if (node.type === 'function_expression') {
        const body = node.childForFieldName('body');
        functionBodies.push({ start: body?.startIndex ?? -1, end: body?.endIndex ?? -1 });
        countedFunctions.push(counted);
      }
      if (!counted) return;
      depth += 1;
      if (depth > maxDepth && reportedAt === 0) {
        reportedAt = depth;
        context.report({
          range: { start: node.startIndex, end: node.startIndex + 1 },
          messageId: 'tooDeep',
          data: { maxDepth },
        });
      }
    };
    const countedFunctions: boolean[] = [];
    const exit = (node: SyntaxNode): void => {
      let counted = true;
      if (node.type === 'function_expression') {
        functionBodies.pop();
        counted = countedFunctions.pop()!;
      }
      if (!counted) return;
      if (depth === reportedAt) reportedAt = 0;
      depth -= 1;
    };
    const visitors: Record<string, (node: SyntaxNode) => void> = {};
    NESTING_TYPES.forEach((type, k) => {
      visitors[type] = enter;
      visitors[EXIT_KEYS[k]!] = exit;
    });
    return visitors;
  },
});
