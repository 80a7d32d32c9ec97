import { defineRule, type SyntaxNode } from '@nixforge/core';
import { ruleDocsUrl } from '../security/docs-url.js';
import { attrPathNames } from '../security/syntax.js';
import { libSelectionsNamed, syntaxIndex } from '../security/indexes.js';

/** lib functions that are thin wrappers of a builtin with the same name and arguments. */
const WRAPPED_BUILTINS = new Set(['groupBy', 'zipAttrsWith']);
const LIB_SECTIONS = new Set(['lists', 'attrsets']);

/** `lib.groupBy` / `lib.zipAttrsWith` where `builtins.groupBy` / `builtins.zipAttrsWith` exist. */
export const libOverBuiltin = defineRule({
  meta: {
    description: 'A lib wrapper is used where the builtin of the same name exists.',
    severity: 'info',
    messages: { libWrapper: 'use `builtins.{{name}}` instead of `lib.{{path}}`' },
    fixable: true,
    docs: {
      explanation:
        '`lib.groupBy` and `lib.zipAttrsWith` exist to support old Nix versions; every Nix that current nixpkgs ' +
        'supports has `builtins.groupBy` and `builtins.zipAttrsWith`, which are implemented natively and avoid ' +
        'the lookup through lib.',
      bad: 'lib.groupBy (x: x.type) items',
      good: 'builtins.groupBy (x: x.type) items',
      url: ruleDocsUrl('performance', 'lib-over-builtin'),
    },
  },
  create(context) {
    const text = context.sourceText;
    const check = (select: SyntaxNode): void => {
      const path = attrPathNames(select.childForFieldName('attrpath'), text);
      if (!path || select.childForFieldName('default')) return;
      const name = path[path.length - 1]!;
      const plain = path.length === 1 || (path.length === 2 && LIB_SECTIONS.has(path[0]!));
      if (!plain || !WRAPPED_BUILTINS.has(name)) return;
      context.report({
        node: select,
        messageId: 'libWrapper',
        data: { name, path: path.join('.') },
        fix: { description: `replace with \`builtins.${name}\``, edits: [{ range: { start: select.startIndex, end: select.endIndex }, text: `builtins.${name}` }] },
      });
    };
    return {
      onEnd() {
        for (const select of libSelectionsNamed(context.getAnalysis(syntaxIndex), WRAPPED_BUILTINS)) check(select);
      },
    };
  },
});
