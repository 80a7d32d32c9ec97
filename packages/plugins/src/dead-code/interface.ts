import type { Declaration, FileType, SourceFile, SyntaxNode } from '@nixforge/core';
import { holderOf, isModuleFunction } from '../lint/module-shape.js';

/**
 * Unused names that are part of a function's interface, so removing (or renaming) them is not the author's
 * call: the caller decides what is passed. deadnix reports them; well-kept repositories then run it with
 * `--no-lambda-pattern-names` or scatter `_` prefixes. Each case below was seen on real repositories.
 */

/** Entry points of CI and release tooling: every argument is set from outside (`--arg`, Hydra inputs). */
const RELEASE_FILE = /^(release|ci|hydra|jobs|jobsets)([-_.][\w.-]*)?\.nix$/;
/** Entry points whose arguments with a default are overridable settings (`nix-build --arg`, `nix-shell --arg`). */
const ENTRY_POINT_FILE = /^(default|shell|tests?)([-_.][\w.-]*)?\.nix$/;

/** Why an unused name belongs to a function's interface (see `formalInterface` and `lambdaArgInterface`). */
export type InterfaceReason =
  | 'forwarded'
  | 'module-argument'
  | 'flake-outputs'
  | 'entry-point'
  | 'closed-callback'
  | 'package-argument'
  | 'introspected'
  | 'fixed-arity';

/** The `function_expression` that binds `declaration` (a formal, `@` name or lambda argument). */
export function functionOf(declaration: Declaration, source: SourceFile): SyntaxNode | null {
  const range = declaration.scope.range;
  let node: SyntaxNode | null = source.tree.rootNode.descendantForIndex(range.start, range.end);
  while (node !== null && node.type !== 'function_expression') node = node.parent;
  return node;
}

function baseName(path: string): string {
  return path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
}

function isTopLevel(fn: SyntaxNode): boolean {
  return holderOf(fn)?.type === 'source_code';
}

/** `outputs = { self, nixpkgs, ... }: ...` of a flake: its names are the flake's inputs. */
function isFlakeOutputs(fn: SyntaxNode, source: SourceFile): boolean {
  if (baseName(source.path) !== 'flake.nix') return false;
  const holder = holderOf(fn);
  if (holder?.type !== 'binding') return false;
  const path = holder.childForFieldName('attrpath');
  return path !== null && source.text.slice(path.startIndex, path.endIndex) === 'outputs';
}

/** Formals only `callPackage` passes: a file taking them is a package, whose other formals are filled in by name. */
const CALL_PACKAGE_ARGS = /^(stdenv\w*|fetch\w+|buildPackages|callPackage|mkDerivation|runCommand\w*|makeWrapper)$/;

function isCallPackageStyle(fn: SyntaxNode, text: string, fileType: FileType): boolean {
  if (fileType === 'package') return true;
  const formals = fn.childForFieldName('formals');
  return (formals?.namedChildren ?? []).some((formal) => {
    const name = formal.type === 'formal' ? formal.childForFieldName('name') : null;
    return name !== null && CALL_PACKAGE_ARGS.test(text.slice(name.startIndex, name.endIndex));
  });
}

/** Code that reads the formal names of functions. */
const INTROSPECTION = /\b(functionArgs|setFunctionArgs|__functionArgs)\b/;

/** A pattern none of whose names is used declares an interface, not variables (`{ a, b ? 1, ... }: null`). */
function noFormalUsed(declaration: Declaration, live: (declaration: Declaration) => boolean): boolean {
  return [...declaration.scope.declarations.values()].every((d) => d.kind !== 'formal' || !live(d));
}

/** A formal with a default, `x ? d`: an overridable argument. */
function hasDefault(declaration: Declaration, source: SourceFile): boolean {
  const formal = declaration.bindingRanges[0]!;
  const node = source.tree.rootNode.descendantForIndex(formal.start, formal.end);
  let current: SyntaxNode | null = node;
  while (current !== null && current.type !== 'formal') current = current.parent;
  return current?.childForFieldName('default') != null;
}

/**
 * Why an unused formal is part of the interface, or undefined when removing it is the author's call:
 * - `forwarded`: the pattern's `@` name is used, so the whole set (with this name) goes on (`{ a, ... }@args: f args`);
 * - `module-argument`: a module's header (`{ config, lib, pkgs, ... }:`), whose names the module system and
 *   its `specialArgs` pass;
 * - `flake-outputs`: the inputs named by a flake's `outputs` function;
 * - `entry-point`: an argument with a default of a file's top-level function (`{ system ? ..., nixpkgs ? ... }:`
 *   in release, CI, `default.nix`, `shell.nix` files), or any argument of a release/CI file;
 * - `introspected`: the file reads formal names (`functionArgs`), or no name of an inner pattern is used;
 * - `package-argument`: a formal of a `callPackage` package (`{ lib, stdenv, dtc }:`): callPackage fills it by
 *   name, callers may pass it explicitly (removing it from a closed pattern breaks them), and nixpkgs-style
 *   package sets keep such formals for overrides;
 * - `closed-callback`: a closed pattern (`{ name, value }:`, no `...`) of an inner function, or of a file
 *   that is not a `callPackage` package: its caller passes exactly those names, and removing one breaks the call.
 */
export function formalInterface(
  declaration: Declaration,
  live: (declaration: Declaration) => boolean,
  source: SourceFile,
  fileType: FileType,
): InterfaceReason | undefined {
  const fn = functionOf(declaration, source);
  if (fn === null) return undefined;
  const patternName = [...declaration.scope.declarations.values()].find((d) => d.kind === 'pattern-name');
  if (patternName !== undefined && live(patternName)) return 'forwarded';
  if (isFlakeOutputs(fn, source)) return 'flake-outputs';
  // `functionArgs` reads the names of a pattern: removing one changes the value (nixpkgs.lib's own tests
  // build `{ a, b ? false, ... }: null` for exactly that).
  // Every alternative contains `unctionArgs`; the plain search rules most files out far faster than the regex.
  if (source.text.includes('unctionArgs') && INTROSPECTION.test(source.text)) return 'introspected';
  if (!isTopLevel(fn) && noFormalUsed(declaration, live)) return 'introspected';
  if (isModuleFunction(fn, source.text, fileType)) return 'module-argument';
  const topLevel = isTopLevel(fn);
  if (topLevel && fileType !== 'package') {
    if (RELEASE_FILE.test(baseName(source.path))) return 'entry-point';
    if (ENTRY_POINT_FILE.test(baseName(source.path)) && hasDefault(declaration, source)) return 'entry-point';
  }
  if (topLevel && isCallPackageStyle(fn, source.text, fileType)) return 'package-argument';
  const closed = fn.childForFieldName('formals')?.childForFieldName('ellipses') == null;
  if (closed && !topLevel) return 'closed-callback';
  // A file with a closed pattern is called with exactly those names (`import ./doc { inherit pkgs config; }`,
  // nixpkgs' `callLibs ./flakes.nix`), except a package that `callPackage` fills in by name.
  if (closed && topLevel) return 'closed-callback';
  return undefined;
}

/**
 * Whether an unused lambda argument cannot go because of the function's arity: one function of a curried
 * chain (`final: prev:`, `n: v:`, `acc: x:`), or a callback passed to a function (`map (x: 1)`,
 * `genAttrs names (name: ...)`), an element of a list of functions (`overlays = [ (final: prev: ...) ]`), or
 * an attribute of a set, which others call.
 */
export function lambdaArgInterface(declaration: Declaration, source: SourceFile): InterfaceReason | undefined {
  const fn = functionOf(declaration, source);
  if (fn === null) return undefined;
  const body = fn.childForFieldName('body');
  let inner: SyntaxNode | null = body;
  while (inner?.type === 'parenthesized_expression') inner = inner.childForFieldName('expression');
  if (inner?.type === 'function_expression') return 'fixed-arity';
  const holder = holderOf(fn);
  if (holder?.type === 'function_expression') return 'fixed-arity';
  if (holder?.type === 'apply_expression' || holder?.type === 'list_expression') return 'fixed-arity';
  if (holder?.type === 'binary_expression') return 'fixed-arity';
  // The file's own function (its importer calls it), an argument's default (`extraConfig ? cfg: { }`) and an
  // `or` fallback (`lib.literalMD or (x: ...)`) stand for a function of a given arity.
  if (holder?.type === 'source_code' || holder?.type === 'formal' || holder?.type === 'select_expression') return 'fixed-arity';
  // The value of an attribute of a set (not of a `let`) is exported: its callers fix its arity
  // (`crateOverrides = { foo = attrs: { ... }; }`, `lib.x = y: ...`).
  if (holder?.type === 'binding' && holder.parent?.parent?.type !== 'let_expression') return 'fixed-arity';
  return undefined;
}
