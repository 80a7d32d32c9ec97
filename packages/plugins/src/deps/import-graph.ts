import { realpathSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { Query, type SourceFile, type SyntaxNode, type TextRange } from '@nixforge/core';
import { inArgumentDefault } from '../shared/argument-default.js';
import type { SyntaxIndex } from '../security/indexes.js';
import { attrPathNames, lastName, literalPath, referencePath, unparen } from '../security/syntax.js';

/** How a file refers to another: `import ./x.nix`, `callPackage ./dir { }`, or a module list `imports = [ ./a.nix ]`. */
export type ImportKind = 'import' | 'callPackage' | 'imports';

/** One reference from a file to another file, as written. */
export interface ImportRef {
  kind: ImportKind;
  /** The path literal as written, e.g. `./lib/default.nix`. */
  spec: string;
  /** Absolute target file: a directory resolves to its `default.nix`. */
  target: string;
  /** False when the target does not exist. */
  exists: boolean;
  /** The path literal's range in the importing file. */
  range: TextRange;
}

/** Functions whose first argument is a file to evaluate. */
const IMPORTERS: Record<string, ImportKind> = {
  import: 'import',
  callPackage: 'callPackage',
  callPackages: 'callPackage',
};
/** Functions whose second argument is a file to evaluate: `scopedImport attrs ./x.nix`. */
const SECOND_ARG_IMPORTERS: Record<string, ImportKind> = { scopedImport: 'import', callPackageWith: 'callPackage' };
/** Attributes holding lists of modules. */
const MODULE_LISTS = new Set(['imports', 'modules']);

function calleeKind(fn: SyntaxNode | null, table: Record<string, ImportKind>, text: string): ImportKind | undefined {
  const path = referencePath(fn, text);
  const name = lastName(path);
  if (!path || !name || path.length > 2 || !Object.hasOwn(table, name)) return undefined;
  return table[name];
}

/** What kind of import a path literal is, judged from where it stands; undefined when it is just a path value. */
function importKindOf(pathNode: SyntaxNode, text: string): ImportKind | undefined {
  const parent = pathNode.parent;
  if (!parent) return undefined;
  if (parent.type === 'apply_expression' && parent.childForFieldName('argument')?.id === pathNode.id) {
    const fn = unparen(parent.childForFieldName('function'));
    if (!fn) return undefined;
    if (fn.type === 'apply_expression') return calleeKind(fn.childForFieldName('function'), SECOND_ARG_IMPORTERS, text);
    return calleeKind(fn, IMPORTERS, text);
  }
  if (parent.type === 'list_expression') {
    const binding = parent.parent;
    if (binding?.type !== 'binding') return undefined;
    const name = lastName(attrPathNames(binding.childForFieldName('attrpath'), text));
    return name !== undefined && MODULE_LISTS.has(name) ? 'imports' : undefined;
  }
  return undefined;
}

/**
 * The real path of a file; Nix follows a symlinked file before resolving the relative paths in it. The native
 * realpath is one system call; the JavaScript one makes an `lstat` per directory of the path.
 */
function realFile(file: string): string {
  try {
    return realpathSync.native(file);
  } catch {
    return file;
  }
}

/**
 * Resolves a path literal as Nix does: against the directory of the importing file's real path (a
 * symlinked file resolves relative to its target), and a directory means its default.nix.
 */
export function resolveImportTarget(spec: string, fromFile: string): { target: string; exists: boolean } | undefined {
  if (spec.startsWith('~') || spec.startsWith('<')) return undefined;
  const base = isAbsolute(spec) ? spec : resolve(dirname(realFile(fromFile)), spec);
  try {
    const stat = statSync(base);
    if (stat.isDirectory()) {
      const entry = join(base, 'default.nix');
      return { target: entry, exists: statSync(entry, { throwIfNoEntry: false })?.isFile() ?? false };
    }
    return { target: base, exists: true };
  } catch {
    return { target: base, exists: false };
  }
}

let pathQuery: Query | undefined;

/** Path literals of a file, by a query that looks for nothing else (for files no rule is running on). */
function pathLiterals(source: SourceFile): SyntaxNode[] {
  pathQuery ??= new Query('(path_expression) @path');
  return pathQuery.captures(source.tree.rootNode).map((capture) => capture.node);
}

/** An import as written, unresolved: what a file's facts keep (the project check resolves it against the file system). */
export interface ImportSpec {
  kind: ImportKind;
  spec: string;
  range: TextRange;
  /**
   * The file allows the target to be absent: the import is the default of a function argument (the caller
   * passes its own, as in `pkgs ? import ../.. { }`), or the file tests the same path with `pathExists`.
   */
  optional?: true;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** `builtins.pathExists ./x.nix` (or `pathExists (./x.nix)`) somewhere in the file (which mentions `pathExists`). */
function testedWithPathExists(spec: string, text: string): boolean {
  return new RegExp(`pathExists\\s*\\(?\\s*${escapeRegExp(spec)}(?![\\w./-])`).test(text);
}

/**
 * Path literals a file interpolates into strings, `"cp ${./home.nix} ~/.config/home.nix"`: files used as
 * data (a test copies them into a VM), whose own relative imports resolve where they are copied to.
 */
export function interpolatedPathSpecs(source: SourceFile, index?: SyntaxIndex): string[] {
  const specs = new Set<string>();
  for (const node of index?.paths ?? pathLiterals(source)) {
    if (node.parent?.type !== 'interpolation') continue;
    const spec = literalPath(node, source.text);
    if (spec !== undefined && !spec.startsWith('~') && !spec.startsWith('<')) specs.add(spec);
  }
  return [...specs];
}

/** The directory a file's relative path literals resolve against: that of its real path (Nix follows symlinks). */
export function importBaseDir(absolutePath: string): string {
  return dirname(realFile(absolutePath));
}

/** Where a path literal points, before looking at the file system (undefined for `<...>` and `~/...`). */
export function importPathOf(spec: string, baseDir: string): string | undefined {
  if (spec.startsWith('~') || spec.startsWith('<')) return undefined;
  return isAbsolute(spec) ? spec : resolve(baseDir, spec);
}

/** The imports of a file as written (no file-system access), from its syntax index when given. */
export function collectImportSpecs(source: SourceFile, index?: SyntaxIndex): ImportSpec[] {
  const text = source.text;
  const specs: ImportSpec[] = [];
  // Read once per file, not once per import: most files never test a path.
  const mentionsPathExists = text.includes('pathExists');
  for (const node of index?.paths ?? pathLiterals(source)) {
    const spec = literalPath(node, text);
    if (spec === undefined || spec.startsWith('~') || spec.startsWith('<')) continue;
    const kind = importKindOf(node, text);
    if (!kind) continue;
    const ref: ImportSpec = { kind, spec, range: { start: node.startIndex, end: node.endIndex } };
    if (inArgumentDefault(node) || (mentionsPathExists && testedWithPathExists(spec, text))) ref.optional = true;
    specs.push(ref);
  }
  return specs;
}

/**
 * The files a Nix file imports, judged from the position of its path literals. `absolutePath` is the
 * importing file's absolute path, used to resolve relative literals; `index` is the file's shared syntax
 * index when a rule has it, otherwise only path literals are looked up.
 */
export function collectImports(source: SourceFile, absolutePath: string, index?: SyntaxIndex): ImportRef[] {
  const text = source.text;
  const refs: ImportRef[] = [];
  for (const node of index?.paths ?? pathLiterals(source)) {
    const spec = literalPath(node, text);
    if (spec === undefined) continue;
    const kind = importKindOf(node, text);
    if (!kind) continue;
    const resolved = resolveImportTarget(spec, absolutePath);
    if (!resolved) continue;
    refs.push({ kind, spec, ...resolved, range: { start: node.startIndex, end: node.endIndex } });
  }
  return refs;
}
