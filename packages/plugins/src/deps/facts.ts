import { dirname } from 'node:path';
import type { CollectContext, FileLocation, SyntaxNode, TextRange } from '@nixforge/core';
import { syntaxIndex } from '../security/indexes.js';
import { attrPathNames, literalPath, unparen } from '../security/syntax.js';
import { collectImportSpecs, importBaseDir, interpolatedPathSpecs, type ImportKind } from './import-graph.js';
import { readFlakeInputs } from './flake-inputs.js';

/** Where in a file: [line, column, endLine, endColumn] (1-based, as in findings); compact, since facts are cached per file. */
export type At = [number, number, number, number];

/** One import of a file, as written. */
export interface ImportFact {
  kind: ImportKind;
  /** The path literal, e.g. `./lib` (resolved in the project check, against the file system of this run). */
  spec: string;
  at: At;
  /** The file allows the target to be absent (an argument default, or a `pathExists` test of the same path). */
  optional?: true;
}

/** One input a flake.nix declares. */
export interface InputFact {
  name: string;
  url?: string;
  type?: string;
  follows?: string;
  inputFollows?: Record<string, string>;
  /** Present (false) only for `flake = false`. */
  flake?: false;
  at: At;
}

/** What a flake.nix declares. */
export interface FlakeFact {
  inputs: InputFact[];
  /** The `inputs` key of the first binding that declares inputs. */
  inputsAt?: At;
  /** Path literals of `templates.<name>.path` and `defaultTemplate.path`: directories that ship as templates. */
  templates?: string[];
}

/**
 * The facts every deps rule shares (`factsKey: 'deps'`): a file's imports and, for flake.nix, its inputs.
 * Nothing here depends on other files, so the facts can be cached by the file's content alone; the
 * project checks read other files (targets, flake.lock) afresh in every run.
 */
export interface DepsFacts {
  imports?: ImportFact[];
  /** Directory relative imports resolve against, when it is not the file's own (the file is a symlink). */
  baseDir?: string;
  /** Path literals interpolated into strings (`"cp ${./home.nix} …"`): files this one uses as data. */
  copies?: string[];
  flake?: FlakeFact;
}

export const DEPS_FACTS_KEY = 'deps';

function toAt(location: FileLocation): At {
  return [location.line, location.column, location.endLine, location.endColumn];
}

/** `{ line, column, endLine, endColumn }` of an `At`. */
export function locationOfAt(at: At | undefined): FileLocation | undefined {
  return at ? { line: at[0], column: at[1], endLine: at[2], endColumn: at[3] } : undefined;
}

/** The full attrpath of a binding through enclosing attribute-set literals (`templates = { a.path = x; }` -> templates.a.path). */
function bindingPath(binding: SyntaxNode, text: string): string[] | undefined {
  const names: string[] = [];
  for (let node: SyntaxNode | null = binding; node; ) {
    const own = attrPathNames(node.childForFieldName('attrpath'), text);
    if (!own) return undefined;
    names.unshift(...own);
    // binding -> binding_set -> attrset -> (parens...) -> binding
    let up: SyntaxNode | null = node.parent?.parent ?? null;
    if (!up || (up.type !== 'attrset_expression' && up.type !== 'rec_attrset_expression')) break;
    up = up.parent;
    while (up && up.type === 'parenthesized_expression') up = up.parent;
    node = up && up.type === 'binding' ? up : null;
  }
  return names;
}

/** `templates.<name>.path = ./dir` and `defaultTemplate.path = ./dir`, anywhere in the file (usually in `outputs`). */
function templatePaths(bindings: readonly SyntaxNode[], text: string): string[] {
  const specs: string[] = [];
  for (const binding of bindings) {
    const spec = literalPath(unparen(binding.childForFieldName('expression')), text);
    if (spec === undefined) continue;
    const path = bindingPath(binding, text);
    if (!path) continue;
    const n = path.length;
    if ((n >= 3 && path[n - 3] === 'templates') || (n >= 2 && path[n - 2] === 'defaultTemplate')) specs.push(spec);
  }
  return specs;
}

/** Collects the deps facts of one file (runs in the worker, after the walk, from the shared syntax index). */
export function collectDepsFacts(context: CollectContext): DepsFacts | undefined {
  const index = context.getAnalysis(syntaxIndex);
  const at = (range: TextRange): At => toAt(context.locationOf(range));
  const facts: DepsFacts = {};
  const imports = collectImportSpecs(context.source, index);
  if (imports.length > 0) {
    facts.imports = imports.map((ref) => ({ kind: ref.kind, spec: ref.spec, at: at(ref.range), ...(ref.optional ? { optional: true as const } : {}) }));
    if (imports.some((ref) => !ref.spec.startsWith('/'))) {
      const base = importBaseDir(context.source.absolutePath);
      if (base !== dirname(context.source.absolutePath)) facts.baseDir = base;
    }
  }
  const copies = interpolatedPathSpecs(context.source, index);
  if (copies.length > 0) {
    facts.copies = copies;
    if (!facts.baseDir) {
      const base = importBaseDir(context.source.absolutePath);
      if (base !== dirname(context.source.absolutePath)) facts.baseDir = base;
    }
  }
  if (context.fileType === 'flake') {
    const declared = readFlakeInputs(context.source);
    const flake: FlakeFact = {
      inputs: declared.inputs.map((input) => {
        const fact: InputFact = { name: input.name, at: at(input.range) };
        if (input.url !== undefined) fact.url = input.url;
        if (input.type !== undefined) fact.type = input.type;
        if (input.follows !== undefined) fact.follows = input.follows;
        if (Object.keys(input.inputFollows).length > 0) fact.inputFollows = input.inputFollows;
        if (!input.flake) fact.flake = false;
        return fact;
      }),
    };
    if (declared.inputsRange) flake.inputsAt = at(declared.inputsRange);
    const templates = templatePaths(index.bindings.get('path') ?? [], context.sourceText);
    if (templates.length > 0) flake.templates = templates;
    facts.flake = flake;
  }
  return facts.imports || facts.copies || facts.flake ? facts : undefined;
}
