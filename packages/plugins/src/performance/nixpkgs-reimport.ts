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

/** The parent of `node`, skipping parentheses. */
function outerOf(node: SyntaxNode): SyntaxNode | null {
  let outer = node.parent;
  while (outer?.type === 'parenthesized_expression') outer = outer.parent;
  return outer;
}

/** `{ pkgs ? import <nixpkgs> { } }:`: the default of an argument is the file's own, overridable nixpkgs. */
function isArgumentDefault(call: SyntaxNode): boolean {
  return outerOf(call)?.type === 'formal';
}

/** `_module.args.pkgs = import <nixpkgs> { ... };` defines the module system's `pkgs`: it is the one nixpkgs. */
function definesModulePkgs(call: SyntaxNode, text: string): boolean {
  const outer = outerOf(call);
  if (outer?.type !== 'binding') return false;
  const path = textOf(outer.childForFieldName('attrpath')!, text);
  return /(^|\.)args\.pkgs$/.test(path);
}

/** True when the top-level function of the file takes `pkgs`: nixpkgs is given, importing it again is a second one. */
function takesPkgs(root: SyntaxNode, text: string): boolean {
  let top: SyntaxNode | null = root.childForFieldName('expression');
  while (top?.type === 'parenthesized_expression') top = top.childForFieldName('expression');
  const formals = top?.type === 'function_expression' ? top.childForFieldName('formals') : null;
  return (formals?.namedChildren ?? []).some((formal) => {
    const name = formal.type === 'formal' ? formal.childForFieldName('name') : null;
    return name !== null && textOf(name, text) === 'pkgs';
  });
}

/**
 * `import <nixpkgs> { }` where the file already has a nixpkgs (a module, a file taking `pkgs`, or an earlier
 * import in the same file), and `import nixpkgs { }` inside a NixOS or home-manager module.
 */
export const nixpkgsReimport = defineRule({
  meta: {
    description: 'nixpkgs is instantiated again instead of reusing `pkgs`.',
    severity: 'warning',
    messages: {
      lookupReimported: '`import <nixpkgs> { ... }` instantiates another nixpkgs: use `pkgs`',
      reimportedInModule: 'a second nixpkgs is instantiated inside a module: use `pkgs`',
    },
    docs: {
      explanation:
        'Each `import <nixpkgs> { ... }` evaluates a whole new package set (seconds of CPU and hundreds of MB), ' +
        'ignores the overlays and config of the system, and in a module duplicates the `pkgs` the module ' +
        'system already passes in. Use the `pkgs` argument, or `pkgs.extend`/`nixpkgs.overlays` for changes. ' +
        'Reported inside modules, in files that take `pkgs` as an argument, and for the second and later ' +
        'imports of a file. The one nixpkgs of an entry point is not reported: an argument default ' +
        '(`{ pkgs ? import <nixpkgs> { } }:`, the idiom of `default.nix`, `shell.nix` and test files), a ' +
        '`let pkgs = import <nixpkgs> { };` of a file that has no other, or `_module.args.pkgs = ...`.',
      bad: '{ config, ... }:\nlet pkgs = import <nixpkgs> { }; in\n{ environment.systemPackages = [ pkgs.hello ]; }',
      good: '{ config, pkgs, ... }:\n{ environment.systemPackages = [ pkgs.hello ]; }',
      url: ruleDocsUrl('performance', 'nixpkgs-reimport'),
    },
  },
  create(context) {
    const text = context.sourceText;
    const inModule = MODULE_TYPES.has(context.fileType);
    const imports = (): Array<{ node: SyntaxNode; source: 'lookup' | 'reference' }> => {
      const found: Array<{ node: SyntaxNode; source: 'lookup' | 'reference' }> = [];
      for (const node of appliesNamed(context.getAnalysis(syntaxIndex), ['import'])) {
        const call = callAt(node);
        if (!call || call.args.length < 2) continue;
        const callee = referencePath(call.callee, text);
        if (lastName(callee) !== 'import' || callee!.length > 2) continue;
        const source = nixpkgsSource(call.args[0]!, text);
        if (source) found.push({ node: call.node, source });
      }
      return found.sort((a, b) => a.node.startIndex - b.node.startIndex);
    };
    return {
      onEnd() {
        const found = imports();
        if (found.length === 0) return;
        const given = inModule || takesPkgs(context.source.tree.rootNode, text);
        let first = true;
        for (const { node, source } of found) {
          if (isArgumentDefault(node) || definesModulePkgs(node, text)) continue;
          const again = !first;
          first = false;
          if (source === 'lookup' && (given || again)) {
            context.report({ node, messageId: 'lookupReimported' });
          } else if (source === 'reference' && inModule) {
            context.report({ node, messageId: 'reimportedInModule' });
          }
        }
      },
    };
  },
});
