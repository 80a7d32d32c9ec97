import { defineRule, type SyntaxNode } from '@nixforge/core';
import { ruleDocsUrl } from '../security/docs-url.js';
import { callAt, lastName, referencePath, textOf, unparen } from '../security/syntax.js';
import { appliesNamed, syntaxIndex } from '../security/indexes.js';

/** Folds and the position of the accumulator among the reducer's two parameters. */
const FOLDS: Record<string, 0 | 1> = { "foldl'": 0, foldl: 0, foldr: 1, "foldr'": 1 };
const COPYING_OPERATORS = new Set(['++', '//']);

function lambdaParam(fn: SyntaxNode | null): { name: SyntaxNode; body: SyntaxNode } | undefined {
  if (!fn || fn.type !== 'function_expression') return undefined;
  const name = fn.childForFieldName('universal');
  const body = fn.childForFieldName('body');
  return name && body && !fn.childForFieldName('formals') ? { name, body } : undefined;
}

/** The expressions a reducer's body can return: through `if` branches and `let`/`with` bodies. */
function resultExpressions(body: SyntaxNode): SyntaxNode[] {
  const results: SyntaxNode[] = [];
  const pending: SyntaxNode[] = [body];
  while (pending.length > 0) {
    const node = unparen(pending.pop()!);
    if (!node) continue;
    if (node.type === 'if_expression') {
      for (const field of ['consequence', 'alternative']) {
        const branch = node.childForFieldName(field);
        if (branch) pending.push(branch);
      }
    } else if (node.type === 'let_expression' || node.type === 'with_expression') {
      const inner = node.childForFieldName('body');
      if (inner) pending.push(inner);
    } else {
      results.push(node);
    }
  }
  return results.sort((a, b) => a.startIndex - b.startIndex);
}

/** `foldl' (acc: x: acc ++ [ x ])` and `foldl' (acc: x: acc // { ... })`. */
export const quadraticAccumulation = defineRule({
  meta: {
    description: 'A fold copies its accumulator with `++` or `//` at every step (quadratic time).',
    severity: 'warning',
    messages: { copiesAccumulator: '`{{operator}}` copies the accumulator `{{accumulator}}` on every step of `{{fold}}`' },
    docs: {
      explanation:
        'Lists and attribute sets are immutable: `acc ++ [ x ]` and `acc // { ... }` copy the whole accumulator, ' +
        'so a fold over n elements does O(n²) work and allocates as much. Build the result in one go: ' +
        '`concatMap`, `map`, `listToAttrs`, `lib.mergeAttrsList` or `builtins.zipAttrsWith`.',
      bad: "builtins.foldl' (acc: x: acc ++ [ (x * 2) ]) [ ] xs",
      good: 'map (x: x * 2) xs',
      url: ruleDocsUrl('performance', 'quadratic-accumulation'),
    },
  },
  create(context) {
    const text = context.sourceText;
    const check = (node: SyntaxNode): void => {
      const call = callAt(node);
      const fold = call ? lastName(referencePath(call.callee, text)) : undefined;
      if (!call || fold === undefined || !(fold in FOLDS) || call.args.length === 0) return;
      const outer = lambdaParam(unparen(call.args[0]!));
      const inner = outer && lambdaParam(unparen(outer.body));
      if (!outer || !inner) return;
      const accumulator = textOf(FOLDS[fold] === 0 ? outer.name : inner.name, text);
      for (const result of resultExpressions(inner.body)) {
        if (result.type !== 'binary_expression') continue;
        const operator = result.childForFieldName('operator')?.type;
        if (!operator || !COPYING_OPERATORS.has(operator)) continue;
        const usesAccumulator = ['left', 'right'].some((side) => {
          const operand = referencePath(result.childForFieldName(side), text);
          return operand !== undefined && operand.length === 1 && operand[0] === accumulator;
        });
        if (usesAccumulator) {
          context.report({ node: result, messageId: 'copiesAccumulator', data: { operator, accumulator, fold } });
          return; // one finding per fold, at its first copying branch
        }
      }
    };
    return {
      onEnd() {
        for (const node of appliesNamed(context.getAnalysis(syntaxIndex), Object.keys(FOLDS))) check(node);
      },
    };
  },
});
