import { defineRule, type QueryMatch } from '@nixforge/core';
import { captured, excerpt, field, keepEdits, plainAttrpath, rangeOf } from '../syntax.js';
import { dropsComments } from '../subtree.js';

const QUERY = `(binding attrpath: (attrpath . (identifier) .) expression: (select_expression)) @binding`;

/** `{ x = set.x; }`: `inherit (set) x;` says the same. */
export const manualInheritFrom = defineRule({
  meta: {
    description: 'An attribute assigned the same-named attribute of a set (`x = set.x;`) instead of `inherit (set) x;`.',
    severity: 'warning',
    messages: { manualInheritFrom: 'This assignment is better written with `{{inherit}}`' },
    fixable: true,
    docs: {
      explanation:
        '`x = set.x;` copies one attribute out of `set`; `inherit (set) x;` does the same, and several names can ' +
        'share one `inherit (set)`.',
      bad: '{ pkgs }: { hello = pkgs.hello; }',
      good: '{ pkgs }: { inherit (pkgs) hello; }',
    },
  },
  query: QUERY,
  create(context) {
    const onMatch = (match: QueryMatch): void => {
      const node = captured(match, 'binding');
      if (!node) return;
      const key = plainAttrpath(context, field(node, 'attrpath'));
      if (key?.length !== 1) return;
      const name = key[0]!;
      const value = field(node, 'expression');
      if (value?.type !== 'select_expression' || field(value, 'default')) return;
      const attrs = field(value, 'attrpath')?.childrenForFieldName('attr') ?? [];
      const last = attrs[attrs.length - 1];
      if (last?.type !== 'identifier' || context.getText(last) !== name) return;
      // The set is everything before the last `.`: `a.b.c` inherits `c` from `a.b`.
      const selected = attrs.length === 1 ? field(value, 'expression') : undefined;
      // `inherit (...)` brings its own parentheses: `x = (a).x;` becomes `inherit (a) x;`.
      const set = selected?.type === 'parenthesized_expression' ? field(selected, 'expression') : selected;
      const dot = set ? undefined : last.previousSibling;
      const setRange = set ? rangeOf(set) : { start: value.startIndex, end: dot?.startIndex ?? value.startIndex };
      if (setRange.end <= setRange.start) return;
      // `inherit ((eval {\n ... \n}).config) x;` is no improvement on `x = (eval { ... }).config.x;`: only
      // sets written on one line are worth an `inherit`.
      if (context.getText(setRange).includes('\n')) return;
      const shown = `inherit (${excerpt(context, setRange)}) ${name};`;
      context.report({
        node,
        messageId: 'manualInheritFrom',
        data: { inherit: shown },
        symbol: name,
        fix: dropsComments(node, [setRange])
          ? undefined
          : {
              description: `replace with \`${shown}\``,
              edits: keepEdits(context, rangeOf(node), [setRange], ['inherit (', `) ${name};`]),
            },
      });
    };
    return {
      onMatch,
    };
  },
});
