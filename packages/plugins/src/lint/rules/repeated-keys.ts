import { defineRule, MODULE_OPTION_ROOTS, type QueryMatch, type SyntaxNode } from '@nixforge/core';
import { bindingsOf, captured, field } from '../syntax.js';

/** How many bindings must share a first key before grouping them is suggested (statix uses 3). */
const MIN_OCCURRENCES = 3;

// Sets with at least one dotted binding (`a.b = ...`); each is checked once. The dotted binding must be
// captured too: without a capture on it, tree-sitter 0.25 only tries the first binding of the set.
const QUERY = `[
    (attrset_expression (binding_set binding: (binding attrpath: (attrpath ".")) @dotted))
    (rec_attrset_expression (binding_set binding: (binding attrpath: (attrpath ".")) @dotted))
  ] @set`;

/** Keys whose dotted sub-paths are module options (`_module.args.x`). */
const OPTION_KEYS = new Set(['config', 'options', '_module']);

/** Flake inputs and outputs, written as dotted paths in flakes. */
const FLAKE_KEYS = /^(inputs|packages|legacyPackages|devShells?|checks|apps|formatter|overlays?|templates|lib|[a-zA-Z]*Modules|[a-zA-Z]*Configurations|hydraJobs|defaultPackage)$/;

/** `{ foo.a = 1; foo.b = 2; foo.c = 3; }`: the same first key assigned again and again. */
export const repeatedKeys = defineRule({
  meta: {
    description: 'An attribute set that assigns several nested paths under the same first key.',
    severity: 'info',
    messages: {
      repeatedKeys:
        'The key `{{key}}` is assigned {{count}} times (here and on {{otherLines}}); consider grouping them as `{{key}} = { ... };`',
    },
    docs: {
      explanation:
        'When three or more bindings of one set start with the same key (`foo.a = ...; foo.b = ...;`), grouping ' +
        'them as `foo = { a = ...; b = ...; };` shows the structure at a glance. Dotted option paths are the ' +
        'normal style of modules (`boot.loader.grub.enable = ...; boot.kernelParams = ...;`): they are not ' +
        'reported in module files, nor under the option roots of NixOS, nix-darwin and Home Manager (`boot`, ' +
        '`services`, `programs`...) or `config`/`options`/`_module` anywhere, nor flake inputs and outputs (`inputs.*`, `packages.*`, `nixosModules.*`...) in flakes.',
      bad: '{ foo.a = 1; foo.b = 2; foo.c = 3; }',
      good: '{ foo = { a = 1; b = 2; c = 3; }; }',
    },
  },
  query: QUERY,
  create(context) {
    if (context.fileType === 'module' || context.fileType === 'home-manager') return {};
    const seen = new Set<number>();
    const check = (set: SyntaxNode): void => {
      if (seen.has(set.startIndex)) return;
      seen.add(set.startIndex);
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
        if (group.length < MIN_OCCURRENCES || OPTION_KEYS.has(key) || MODULE_OPTION_ROOTS.has(key)) continue;
        // `inputs.nixpkgs.url = ...;` and `packages.x86_64-linux.default = ...;` are how flakes are written.
        if (context.fileType === 'flake' && FLAKE_KEYS.test(key)) continue;
        const firstPath = field(group[0]!, 'attrpath')!;
        if (firstPath.childrenForFieldName('attr').length < 2) continue;
        const lines = group.slice(1).map((b) => context.source.positionAt(b.startIndex).line);
        context.report({
          node: firstPath,
          messageId: 'repeatedKeys',
          data: { key, count: group.length, otherLines: `line${lines.length > 1 ? 's' : ''} ${lines.join(', ')}` },
          symbol: key,
        });
      }
    };
    const onMatch = (match: QueryMatch): void => {
      const set = captured(match, 'set');
      if (set) check(set);
    };
    return {
      onMatch,
    };
  },
});
