import { defineRule, type SyntaxNode } from '@nixforge/core';
import { ruleDocsUrl } from '../security/docs-url.js';
import { lastName, referencePath, textOf } from '../security/syntax.js';
import { syntaxIndex } from '../security/indexes.js';

/** Comparisons that mean "not empty" or "empty", by where the zero stands: `length x > 0`, `0 < length x`. */
const ALLOWED_OPERATORS = { zeroLast: new Set(['==', '!=', '>']), zeroFirst: new Set(['==', '!=', '<']) };

/** `builtins.length x == 0`: compare with `[ ]` instead. */
export const lengthZero = defineRule({
  meta: {
    description: 'A list is tested for emptiness through its length (style: `builtins.length` is O(1)).',
    severity: 'info',
    messages: { lengthComparedToZero: 'style: test for emptiness with `[ ]`: `{{replacement}}`' },
    fixable: true,
    docs: {
      explanation:
        'A matter of style, not of speed: `builtins.length` is O(1), so `builtins.length xs == 0` costs the same ' +
        'as `xs == [ ]`, which says "is empty" directly. Write `xs == [ ]` / `xs != [ ]`. (For a value that is ' +
        'not a list, `length` fails where `== [ ]` is false.)',
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
      const removed = text.slice(cmp.startIndex, list.startIndex) + text.slice(list.endIndex, cmp.endIndex);
      const dropsComment = removed.includes('#') || removed.includes('/*');
      const replacement = `${textOf(list, text)} ${empty} [ ]`;
      context.report({
        node: cmp,
        messageId: 'lengthComparedToZero',
        data: { replacement },
        ...(dropsComment ? {} : { fix: {
          description: `replace with \`${replacement}\``,
          // Only the text around the list goes, so a multi-line list expression keeps its layout.
          edits: [
            { range: { start: cmp.startIndex, end: list.startIndex }, text: '' },
            { range: { start: list.endIndex, end: cmp.endIndex }, text: ` ${empty} [ ]` },
          ],
        } }),
      });
    };
    return {
      onEnd() {
        for (const cmp of context.getAnalysis(syntaxIndex).integerComparisons) check(cmp);
      },
    };
  },
});
