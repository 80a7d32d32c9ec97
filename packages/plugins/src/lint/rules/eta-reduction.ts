import { defineRule, type QueryMatch } from '@nixforge/core';
import { captured, excerpt, field, keepEdits, rangeOf, variableName } from '../syntax.js';
import { candidatePatterns, candidatesOf } from '../candidates.js';
import { parensFor, precedenceOf } from '../precedence.js';
import { dropsComments, mentionsName } from '../subtree.js';
import { declarationAt, isUsedIn } from '../scope.js';

candidatePatterns('eta-reduction', `(function_expression universal: (identifier) body: (apply_expression argument: (variable_expression))) @function`);

/** `x: f x` is `f` when `x` is not used inside `f`. */
export const etaReduction = defineRule({
  meta: {
    description: 'A function that only passes its argument on (`x: f x`) instead of the function itself (`f`).',
    severity: 'warning',
    fixable: true,
    docs: {
      explanation:
        '`x: f x` is a function that calls `f` with its argument; when `x` does not occur in `f`, it is just `f`. ' +
        'Functions with a pattern (`{ a }: f a`) are not reported: the pattern checks the argument. Where the ' +
        'function is passed to something that reads its formal arguments (`callPackage`, module `imports`), ' +
        'note that `x: f x` has none while `f` may have some.',
      bad: '{ lib }: map (x: lib.toUpper x) [ "a" ]',
      good: '{ lib }: map lib.toUpper [ "a" ]',
    },
  },
  create(context) {
    const onMatch = (match: QueryMatch): void => {
      const node = captured(match, 'function');
      if (!node) return;
      if (field(node, 'formals')) return;
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
        message: `Found eta-reduction: this function is \`${shown}\``,
        symbol: name,
        fix: dropsComments(node, [fn])
          ? undefined
          : {
              description: `replace with \`${shown}\``,
              edits: keepEdits(context, rangeOf(node), [rangeOf(fn)], parensFor(node, precedenceOf(fn))),
            },
      });
    };
    return {
      onEnd() {
        for (const match of candidatesOf(context, 'eta-reduction')) onMatch(match);
      },
    };
  },
});
