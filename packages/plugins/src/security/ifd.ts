import type { SyntaxNode } from '@nixforge/core';
import { fetcherOf } from './fetchers.js';
import { callAt, lastName, referencePath, textOf, unparen } from './syntax.js';

/** Functions that read a file at evaluation time, with the index of the argument that names the file. */
const READERS: Record<string, number> = {
  import: 0,
  scopedImport: 1,
  readFile: 0,
  readDir: 0,
  pathExists: 0,
  fileContents: 0,
  importJSON: 0,
  importTOML: 0,
};

/** Last names of the functions that read files at evaluation time (for the call index). */
export const READER_NAMES: readonly string[] = Object.keys(READERS);

/** Calls that produce a derivation (their value is a store path that must be built first). */
const DERIVATION_BUILDERS = new Set([
  'mkDerivation',
  'derivation',
  'runCommand',
  'runCommandLocal',
  'runCommandNoCC',
  'runCommandCC',
  'writeText',
  'writeTextFile',
  'writeTextDir',
  'writeScript',
  'writeScriptBin',
  'writeShellScript',
  'writeShellScriptBin',
  'writeShellApplication',
  'symlinkJoin',
  'linkFarm',
  'substituteAll',
  'replaceVars',
  'applyPatches',
  'callPackage',
  'srcOnly',
]);

function readerArgument(callee: SyntaxNode, text: string): number | undefined {
  const path = referencePath(callee, text);
  const name = lastName(path);
  if (!path || !name || !(name in READERS)) return undefined;
  // Bare names are only the builtins that are global (`import`, `scopedImport`); others need a prefix.
  if (path.length === 1 && name !== 'import' && name !== 'scopedImport') return undefined;
  return READERS[name];
}

function buildsDerivation(node: SyntaxNode | null, text: string): boolean {
  const target = unparen(node);
  if (!target || target.type !== 'apply_expression') return false;
  let fn: SyntaxNode | null = target;
  while (fn && fn.type === 'apply_expression') fn = fn.childForFieldName('function');
  if (!fn) return false;
  const fetcher = fetcherOf(fn, text);
  if (fetcher) return !fetcher.builtin;
  const name = lastName(referencePath(fn, text));
  return name !== undefined && DERIVATION_BUILDERS.has(name);
}

/** True when a path argument is (or interpolates at its start) a derivation built by a call. */
function isDerivationPath(node: SyntaxNode, text: string): boolean {
  const target = unparen(node);
  if (!target) return false;
  if (buildsDerivation(target, text)) return true;
  if (target.type === 'string_expression' || target.type === 'indented_string_expression') {
    const first = target.namedChildren[0];
    return first?.type === 'interpolation' && buildsDerivation(first.childForFieldName('expression'), text);
  }
  return false;
}

/** An import (or read) of a file produced by a derivation, found at its innermost application. */
export interface ImportFromDerivation {
  /** The reading function, e.g. `import` or `builtins.readFile`: where findings are reported. */
  callee: SyntaxNode;
  name: string;
}

/** Detects import from derivation at an `apply_expression`; undefined when this application is not one. */
export function importFromDerivationAt(apply: SyntaxNode, text: string): ImportFromDerivation | undefined {
  const call = callAt(apply);
  if (!call) return undefined;
  const index = readerArgument(call.callee, text);
  if (index === undefined) return undefined;
  const arg = call.args[index];
  if (!arg || !isDerivationPath(arg, text)) return undefined;
  return { callee: call.callee, name: textOf(call.callee, text) };
}
