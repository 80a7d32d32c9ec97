import type { SyntaxNode } from '@nixforge/core';
import { ancestorsOf, attrPathNames, callAt, lastName, referencePath, unparen } from './syntax.js';

/** Module-system wrappers that leave the option path unchanged: `mkIf c { ... }`, `mkForce false`, ... */
const PASS_THROUGH_CALLS = new Set([
  'mkIf',
  'mkMerge',
  'mkDefault',
  'mkForce',
  'mkOverride',
  'mkBefore',
  'mkAfter',
  'mkOrder',
  'optionalAttrs',
  'mkVMOverride',
]);

/** How many ancestors an option path is assembled from at most. */
const MAX_OPTION_DEPTH = 512;

/** Wrappers of a value that keep its meaning for these checks: `mkForce x` -> `x`. */
const VALUE_WRAPPERS = new Set(['mkDefault', 'mkForce', 'mkOverride', 'mkVMOverride', 'mkOptionDefault']);

function isPassThroughCall(apply: SyntaxNode, text: string): boolean {
  let fn: SyntaxNode | null = apply;
  while (fn && fn.type === 'apply_expression') fn = fn.childForFieldName('function');
  const name = lastName(referencePath(fn, text));
  return name !== undefined && PASS_THROUGH_CALLS.has(name);
}

/**
 * The option path a binding sets, assembled by walking up through nested attribute sets and the module
 * system's wrappers (`mkIf`, `mkMerge [ ... ]`, `let ... in`, `with`, parentheses). For
 * `{ networking = lib.mkIf c { firewall.enable = false; }; }` the binding `firewall.enable` gives
 * `networking.firewall.enable`. Returns undefined for `let` bindings and dynamic keys. The walk stops at a
 * function body or the file's top, so a module's path starts at its top-level attribute set.
 */
export function optionPath(binding: SyntaxNode, text: string): string[] | undefined {
  const own = attrPathNames(binding.childForFieldName('attrpath'), text);
  if (!own) return undefined;
  const path = [...own];
  // Settings sit a few levels deep; the bound keeps pathological nesting linear.
  const ancestors = ancestorsOf(binding, MAX_OPTION_DEPTH);
  let child: SyntaxNode = binding;
  for (let i = 0; i < ancestors.length; i += 1) {
    const node = ancestors[i]!;
    switch (node.type) {
      case 'attrset_expression':
      case 'rec_attrset_expression':
      case 'parenthesized_expression':
      case 'list_expression':
      case 'if_expression':
        break;
      case 'binding_set': {
        const owner = ancestors[i + 1];
        if (owner?.type === 'let_expression' || owner?.type === 'let_attrset_expression') return undefined;
        break;
      }
      case 'with_expression':
      case 'let_expression':
        if (node.childForFieldName('body')?.id !== child.id) return path;
        break;
      case 'apply_expression':
        if (!isPassThroughCall(node, text)) return path;
        break;
      case 'binding': {
        const names = attrPathNames(node.childForFieldName('attrpath'), text);
        if (!names) return undefined;
        path.unshift(...names);
        break;
      }
      default:
        return path;
    }
    child = node;
  }
  return path;
}

/** True when `path` ends with `suffix`. */
export function endsWithPath(path: readonly string[], suffix: readonly string[]): boolean {
  if (suffix.length > path.length) return false;
  const offset = path.length - suffix.length;
  return suffix.every((name, i) => path[offset + i] === name);
}

/** The value of a setting without `mkForce`/`mkDefault`/`mkOverride n` around it. */
export function settingValue(value: SyntaxNode | null, text: string): SyntaxNode | null {
  let current = unparen(value);
  while (current && current.type === 'apply_expression') {
    const call = callAt(innermostApply(current));
    const name = call ? lastName(referencePath(call.callee, text)) : undefined;
    if (!call || !name || !VALUE_WRAPPERS.has(name)) break;
    current = unparen(call.args[call.args.length - 1] ?? null);
  }
  return current;
}

function innermostApply(apply: SyntaxNode): SyntaxNode {
  let current = apply;
  for (;;) {
    const fn = current.childForFieldName('function');
    if (!fn || fn.type !== 'apply_expression') return current;
    current = fn;
  }
}
