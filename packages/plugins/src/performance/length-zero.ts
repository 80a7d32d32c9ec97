import { defineRule, type SyntaxNode } from '@nixforge/core';
import { ruleDocsUrl } from '../security/docs-url.js';
import { lastName, referencePath, textOf } from '../security/syntax.js';
import { syntaxIndex } from '../security/indexes.js';

/** Comparisons that mean "not empty" or "empty", by where the zero stands: `length x > 0`, `0 < length x`. */
const ALLOWED_OPERATORS = { zeroLast: new Set(['==', '!=', '>']), zeroFirst: new Set(['==', '!=', '<']) };

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
  create(context) {
    const text = context.sourceText;
    const check = (cmp: SyntaxNode): void => {
      const left = cmp.childForFieldName('left');
      const right = cmp.childForFieldName('right');
      const op = cmp.childForFieldName('operator');
      if (!left || !right || !op) return;
      const zeroOnLeft = left.type === 'integer_expression';
      const [zero, apply] = zeroOnLeft ? [left, right] : [right, left];
      if (!ALLOWED_OPERATORS[zeroOnLeft ? 'zeroFirst' : 'zeroLast'].has(op.type) || textOf(zero, text) !== '0') return;
      const fn = apply.childForFieldName('function');
      const list = apply.childForFieldName('argument');
      if (!fn || !list) return;
      const path = referencePath(fn, text);
      if (lastName(path) !== 'length' || path!.length > 2) return;
      const empty = op.type === '==' ? '==' : '!=';
      const replacement = `${textOf(list, text)} ${empty} [ ]`;
      context.report({
        node: cmp,
        message: `compare with \`[ ]\`: \`${replacement}\``,
        fix: { description: `replace with \`${replacement}\``, edits: [{ range: { start: cmp.startIndex, end: cmp.endIndex }, text: replacement }] },
      });
    };
    return {
      onEnd() {
        for (const cmp of context.getAnalysis(syntaxIndex).integerComparisons) check(cmp);
      },
    };
  },
});
