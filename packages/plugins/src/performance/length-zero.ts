import { defineRule, type SyntaxNode } from '@nixforge/core';
import { ruleDocsUrl } from '../security/docs-url.js';
import { lastName, referencePath, textOf } from '../security/syntax.js';

/** `builtins.length x == 0`: compare with `[ ]` instead. */
export const lengthZero = defineRule({
  meta: {
    description: 'A list is tested for emptiness by computing its length.',
    severity: 'info',
    fixable: true,
    docs: {
      explanation:
        '`builtins.length xs == 0` reads better and is as cheap as `xs == [ ]`; with the comparison, a value ' +
        'that is not a list gives a clear error rather than a length error. Write `xs == [ ]` / `xs != [ ]`.',
      bad: 'if builtins.length xs == 0 then "none" else "some"',
      good: 'if xs == [ ] then "none" else "some"',
      url: ruleDocsUrl('performance', 'length-zero'),
    },
  },
  query: `
(binary_expression
  left: (apply_expression function: (_) @fn argument: (_) @list)
  operator: ["==" "!=" ">"] @op
  right: (integer_expression) @zero) @cmp
(binary_expression
  left: (integer_expression) @zero
  operator: ["==" "!=" "<"] @op
  right: (apply_expression function: (_) @fn argument: (_) @list)) @cmp`,
  create(context) {
    const text = context.sourceText;
    return {
      onMatch(match) {
        const get = (name: string): SyntaxNode | undefined => match.captures.find((c) => c.name === name)?.node;
        const [cmp, fn, list, op, zero] = [get('cmp'), get('fn'), get('list'), get('op'), get('zero')];
        if (!cmp || !fn || !list || !op || !zero || textOf(zero, text) !== '0') return;
        const path = referencePath(fn, text);
        if (lastName(path) !== 'length' || path!.length > 2) return;
        const empty = op.type === '==' ? '==' : '!=';
        const replacement = `${textOf(list, text)} ${empty} [ ]`;
        context.report({
          node: cmp,
          message: `compare with \`[ ]\`: \`${replacement}\``,
          fix: { description: `replace with \`${replacement}\``, edits: [{ range: { start: cmp.startIndex, end: cmp.endIndex }, text: replacement }] },
        });
      },
    };
  },
});
