import { MODULE_OPTION_ROOTS, type FileType, type SyntaxNode } from '@nixforge/core';

/**
 * Whether a function is a module of some module system (NixOS, nix-darwin, Home Manager, devenv,
 * flake-parts, treefmt...), judged by its syntax: its header names are then the module system's arguments.
 */

/** File types whose top-level function is a module. */
const MODULE_FILES: ReadonlySet<FileType> = new Set(['module', 'home-manager']);

/** Attributes whose value is a module or a list of modules (`imports = [ ({ ... }: { }) ];`, `perSystem`). */
const MODULE_SLOT = /^(imports|modules?|[a-zA-Z]*Modules?|perSystem|configuration|specialisation)$/;

/** Names only module systems pass (`config`, `options`, flake-parts' `self'`/`inputs'`). */
const MODULE_ONLY_ARGS = /^(config|options|modulesPath|osConfig|nixosConfig|darwinConfig|[a-zA-Z]+')$/;

/** Top-level keys of a module's result. */
const MODULE_KEYS = new Set(['imports', 'options', 'config', 'disabledModules', 'freeformType', '_file', '_class']);

/** Strips what does not change the shape of a function's result: parentheses, `let`, `with`, `assert`. */
export function resultOf(body: SyntaxNode | null): SyntaxNode | null {
  let result = body;
  while (result) {
    if (result.type === 'parenthesized_expression') result = result.childForFieldName('expression');
    else if (['let_expression', 'with_expression', 'assert_expression'].includes(result.type)) result = result.childForFieldName('body');
    else return result;
  }
  return result;
}

/** The node a function is the value of, skipping parentheses (a `binding`, a list, an application...). */
export function holderOf(fn: SyntaxNode): SyntaxNode | null {
  let outer = fn.parent;
  while (outer?.type === 'parenthesized_expression') outer = outer.parent;
  return outer;
}

/** The names of a binding's attribute path (identifiers only; `"a b"` or `${x}` give their raw text). */
function bindingNames(binding: SyntaxNode, text: string): string[] {
  const path = binding.childForFieldName('attrpath');
  return path ? path.namedChildren.map((attr) => text.slice(attr.startIndex, attr.endIndex)) : [];
}

/** True when the function sits where a module goes: the file's top level of a module file, or a module slot. */
export function inModuleSlot(fn: SyntaxNode, text: string, fileType: FileType): boolean {
  let outer = holderOf(fn);
  if (outer?.type === 'source_code') return MODULE_FILES.has(fileType);
  if (outer?.type === 'list_expression') outer = outer.parent;
  return outer?.type === 'binding' && bindingNames(outer, text).some((name) => MODULE_SLOT.test(name));
}

function formalNames(fn: SyntaxNode, text: string): string[] {
  const formals = fn.childForFieldName('formals');
  if (!formals) return [];
  return formals.namedChildren.flatMap((formal) => {
    const name = formal.type === 'formal' ? formal.childForFieldName('name') : null;
    return name ? [text.slice(name.startIndex, name.endIndex)] : [];
  });
}

/**
 * True for a module function with a `{ ... }` pattern: in a module slot, taking an argument only module
 * systems pass, or returning a set with module keys or option roots (`{ ... }: { boot.x = ...; }`).
 */
export function isModuleFunction(fn: SyntaxNode, text: string, fileType: FileType): boolean {
  const formals = fn.childForFieldName('formals');
  if (!formals || formals.childForFieldName('ellipses') === null) return false;
  if (inModuleSlot(fn, text, fileType)) return true;
  if (formalNames(fn, text).some((name) => MODULE_ONLY_ARGS.test(name))) return true;
  const result = resultOf(fn.childForFieldName('body'));
  if (result?.type !== 'attrset_expression') return false;
  const bindings = result.namedChildren.find((child) => child.type === 'binding_set');
  return (bindings?.namedChildren ?? []).some((binding) => {
    const first = binding.type === 'binding' ? bindingNames(binding, text)[0] : undefined;
    return first !== undefined && (MODULE_KEYS.has(first) || MODULE_OPTION_ROOTS.has(first));
  });
}
