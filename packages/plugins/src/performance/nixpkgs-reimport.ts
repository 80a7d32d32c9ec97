import { defineRule, type SyntaxNode } from '@nixforge/core';
import { ruleDocsUrl } from '../security/docs-url.js';
import { callAt, lastName, referencePath, textOf, unparen } from '../security/syntax.js';
import { appliesNamed, syntaxIndex } from '../security/indexes.js';

const MODULE_TYPES = new Set(['module', 'home-manager']);

/** True for `<nixpkgs>` and for references whose last name starts with `nixpkgs` (`inputs.nixpkgs-unstable`). */
function nixpkgsSource(node: SyntaxNode, text: string): 'lookup' | 'reference' | undefined {
  const target = unparen(node);
  if (!target) return undefined;
  if (target.type === 'spath_expression') return textOf(target, text) === '<nixpkgs>' ? 'lookup' : undefined;
  const name = lastName(referencePath(target, text));
  return name !== undefined && /^nixpkgs/.test(name) ? 'reference' : undefined;
}

/** `import <nixpkgs> { }` anywhere, and `import nixpkgs { }` inside a NixOS or home-manager module. */
export const nixpkgsReimport = defineRule({
  meta: {
    description: 'nixpkgs is instantiated again instead of reusing `pkgs`.',
    severity: 'warning',
    docs: {
      explanation:
        'Each `import <nixpkgs> { ... }` evaluates a whole new package set (seconds of CPU and hundreds of MB), ' +
        'ignores the overlays and config of the system, and in a module duplicates the `pkgs` the module ' +
        'system already passes in. Use the `pkgs` argument, or `pkgs.extend`/`nixpkgs.overlays` for changes.',
      bad: '{ config, ... }:\nlet pkgs = import <nixpkgs> { }; in\n{ environment.systemPackages = [ pkgs.hello ]; }',
      good: '{ config, pkgs, ... }:\n{ environment.systemPackages = [ pkgs.hello ]; }',
      url: ruleDocsUrl('performance', 'nixpkgs-reimport'),
    },
  },
  create(context) {
    const text = context.sourceText;
    const inModule = MODULE_TYPES.has(context.fileType);
    const check = (node: SyntaxNode): void => {
      const call = callAt(node);
      if (!call || call.args.length < 2) return;
      if (lastName(referencePath(call.callee, text)) !== 'import' || referencePath(call.callee, text)!.length > 2) return;
      const source = nixpkgsSource(call.args[0]!, text);
      if (source === 'lookup') {
        context.report({ node: call.node, message: '`import <nixpkgs> { ... }` instantiates another nixpkgs: use `pkgs`' });
      } else if (source === 'reference' && inModule) {
        context.report({ node: call.node, message: 'a second nixpkgs is instantiated inside a module: use `pkgs`' });
      }
    };
    return {
      onEnd() {
        for (const node of appliesNamed(context.getAnalysis(syntaxIndex), ['import'])) check(node);
      },
    };
  },
});
