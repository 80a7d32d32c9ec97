import { type SyntaxNode } from '@nixforge/core';

/**
 * True inside the default of a function argument, `{ system ? builtins.currentSystem, pkgs ? import <nixpkgs> { } }:`:
 * the caller can override it, and it is the accepted way for a non-flake entry point to have one at all.
 */
export function inArgumentDefault(node: SyntaxNode): boolean {
  let ancestor = node.parent;
  for (let depth = 0; ancestor !== null && depth < 256; depth++, ancestor = ancestor.parent) {
    if (ancestor.type === 'formal') return true;
    // The default of a formal is inside the formals; the body of the function is not.
    if (ancestor.type === 'function_expression') return false;
  }
  return false;
}
