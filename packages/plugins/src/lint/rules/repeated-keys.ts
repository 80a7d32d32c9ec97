import { defineRule, type SyntaxNode } from '@nixforge/core';
import { bindingsOf, field } from '../syntax.js';

/** How many bindings must share a first key before grouping them is suggested (statix uses 3). */
const MIN_OCCURRENCES = 3;

/** `{ foo.a = 1; foo.b = 2; foo.c = 3; }`: the same first key assigned again and again. */
export const repeatedKeys = defineRule({
  meta: {
    description: 'An attribute set that assigns several nested paths under the same first key.',
    severity: 'info',
    docs: {
      explanation:
        'When three or more bindings of one set start with the same key (`foo.a = ...; foo.b = ...;`), grouping ' +
        'them as `foo = { a = ...; b = ...; };` shows the structure at a glance.',
      bad: '{ foo.a = 1; foo.b = 2; foo.c = 3; }',
      good: '{ foo = { a = 1; b = 2; c = 3; }; }',
    },
  },
  create(context) {
    const check = (set: SyntaxNode): void => {
      const groups = new Map<string, SyntaxNode[]>();
      for (const binding of bindingsOf(set)) {
        if (binding.type !== 'binding') continue;
        const first = field(binding, 'attrpath')?.childrenForFieldName('attr')[0];
        if (first?.type !== 'identifier') continue;
        const key = context.getText(first);
        const group = groups.get(key);
        if (group) group.push(binding);
        else groups.set(key, [binding]);
      }
      for (const [key, group] of groups) {
        if (group.length < MIN_OCCURRENCES) continue;
        const firstPath = field(group[0]!, 'attrpath')!;
        if (firstPath.childrenForFieldName('attr').length < 2) continue;
        const lines = group.slice(1).map((b) => context.source.positionAt(b.startIndex).line);
        context.report({
          node: firstPath,
          message: `The key \`${key}\` is assigned ${group.length} times (here and on line${lines.length > 1 ? 's' : ''} ${lines.join(', ')}); consider grouping them as \`${key} = { ... };\``,
          symbol: key,
        });
      }
    };
    return { attrset_expression: check, rec_attrset_expression: check };
  },
});
