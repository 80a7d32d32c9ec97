import { defineRule, type SyntaxNode } from '@nixforge/core';
import { ruleDocsUrl } from '../security/docs-url.js';
import { callAt, lastName, referencePath, textOf, unparen } from '../security/syntax.js';
import { appliesNamed, syntaxIndex } from '../security/indexes.js';

/** A `map f xs` call with exactly two arguments, seen through parentheses (`(map f) xs` too). */
function mapCall(node: SyntaxNode, text: string): { fn: SyntaxNode; list: SyntaxNode } | undefined {
  const args: SyntaxNode[] = [];
  let target = unparen(node);
  while (target && target.type === 'apply_expression') {
    const arg = target.childForFieldName('argument');
    if (arg) args.unshift(arg);
    target = unparen(target.childForFieldName('function'));
  }
  const path = referencePath(target, text);
  if (args.length !== 2 || lastName(path) !== 'map' || path!.length > 2) return undefined;
  return { fn: args[0]!, list: args[1]! };
}

/** `lib.flatten (map f xs)` and `concatLists (map f xs)`: use `concatMap`. */
export const flattenMap = defineRule({
  meta: {
    description: 'A list is built with `map` and then flattened; `concatMap` does both in one pass.',
    severity: 'info',
    fixable: true,
    docs: {
      explanation:
        '`lib.flatten (map f xs)` builds an intermediate list and then walks it again, recursively; ' +
        '`concatLists (map f xs)` builds the intermediate list too. `builtins.concatMap f xs` (or `lib.concatMap`) ' +
        'does it in one native call. The `concatLists` form is fixed automatically; `flatten` also flattens ' +
        'nested lists, so check that `f` returns flat lists before switching.',
      bad: 'builtins.concatLists (map (x: [ x x ]) xs)',
      good: 'builtins.concatMap (x: [ x x ]) xs',
      url: ruleDocsUrl('performance', 'flatten-map'),
    },
  },
  create(context) {
    const text = context.sourceText;
    const check = (node: SyntaxNode): void => {
      const call = callAt(node);
      if (!call || call.args.length !== 1) return;
      const path = referencePath(call.callee, text);
      const name = lastName(path);
      if (name !== 'flatten' && name !== 'concatLists') return;
      const mapped = mapCall(call.args[0]!, text);
      if (!mapped) return;
      const callee = textOf(call.callee, text);
      if (name === 'flatten') {
        context.report({ node: call.node, message: `\`${callee} (map ...)\`: use \`concatMap\` when the mapped lists are flat` });
        return;
      }
      const concatMap = callee.slice(0, callee.length - name.length) + 'concatMap';
      context.report({
        node: call.node,
        message: `\`${callee} (map ...)\`: use \`${concatMap}\``,
        fix: {
          description: `replace with \`${concatMap}\``,
          edits: [
            {
              range: { start: call.node.startIndex, end: call.node.endIndex },
              text: `${concatMap} ${textOf(mapped.fn, text)} ${textOf(mapped.list, text)}`,
            },
          ],
        },
      });
    };
    return {
      onEnd() {
        for (const node of appliesNamed(context.getAnalysis(syntaxIndex), ['flatten', 'concatLists'])) check(node);
      },
    };
  },
});
