import { Query, type Analysis, type SourceFile, type SyntaxNode } from '@nixforge/core';
import { attrName, attrPathNames, lastName, referencePath, textOf, unparen } from './syntax.js';

/**
 * One shared, per-file index of the syntax the security, performance and deps rules start from. Most of
 * their checks begin at a call of a known function (`fetchurl`, `import`, `foldl'`...), a binding of a known
 * attribute (`url`, `enable`...), a `builtins.x`/`lib.x` selection, a comparison with an integer, or a path
 * literal. A single tree-sitter query finds all of them in one pass in C (every separate query costs about
 * as much as a full walk of the tree), each is named once, and rules look up only the names they need.
 */
export interface SyntaxIndex {
  /** Innermost applications keyed by their function's last name (`pkgs.fetchurl x` -> `fetchurl`). */
  calls: ReadonlyMap<string, SyntaxNode[]>;
  /** Bindings keyed by the last attribute of their attrpath (`a.b.url = ...` -> `url`). */
  bindings: ReadonlyMap<string, SyntaxNode[]>;
  /** `builtins.NAME` selections (one attribute) and `__NAME` variables, keyed by NAME. */
  builtins: ReadonlyMap<string, SyntaxNode[]>;
  /** `lib.a.b` selections, keyed by the last attribute. */
  libSelections: ReadonlyMap<string, SyntaxNode[]>;
  /** Binary expressions with an integer literal on one side and an application on the other. */
  integerComparisons: readonly SyntaxNode[];
  /** Path literals (`./x.nix`). */
  paths: readonly SyntaxNode[];
}

const INDEX_QUERY = `
(apply_expression function: [(variable_expression) (select_expression) (parenthesized_expression)] @fn) @apply
(binding attrpath: (attrpath attr: (_) @last .)) @binding
((select_expression expression: (variable_expression name: (identifier) @base) attrpath: (attrpath) @attrs) @select
  (#any-of? @base "builtins" "lib"))
((variable_expression name: (identifier) @alias) (#match? @alias "^__"))
(binary_expression left: (apply_expression) right: (integer_expression)) @comparison
(binary_expression left: (integer_expression) right: (apply_expression)) @comparison
(path_expression) @path
`;

/** What each pattern of INDEX_QUERY finds, by pattern index. */
const PATTERN_KINDS = ['apply', 'binding', 'select', 'alias', 'comparison', 'comparison', 'path'] as const;

let indexQuery: Query | undefined;

function pushTo<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Builds the index of one file (used directly by tools that have no rule context, e.g. the deps graph). */
export function buildSyntaxIndex(source: SourceFile): SyntaxIndex {
  indexQuery ??= new Query(INDEX_QUERY);
  const text = source.text;
  const calls = new Map<string, SyntaxNode[]>();
  const bindings = new Map<string, SyntaxNode[]>();
  const builtins = new Map<string, SyntaxNode[]>();
  const libSelections = new Map<string, SyntaxNode[]>();
  const integerComparisons: SyntaxNode[] = [];
  const paths: SyntaxNode[] = [];
  for (const match of indexQuery.matches(source.tree.rootNode)) {
    const captures = match.captures;
    const capture = (name: string): SyntaxNode | undefined => captures.find((c) => c.name === name)?.node;
    switch (PATTERN_KINDS[match.pattern]) {
      case 'apply': {
        const apply = capture('apply');
        const name = lastName(referencePath(unparen(capture('fn') ?? null), text));
        if (apply && name !== undefined) pushTo(calls, name, apply);
        break;
      }
      case 'binding': {
        const binding = capture('binding');
        const last = capture('last');
        const name = last ? attrName(last, text) : undefined;
        if (binding && name !== undefined) pushTo(bindings, name, binding);
        break;
      }
      case 'select': {
        const select = capture('select');
        const base = capture('base');
        const names = attrPathNames(capture('attrs') ?? null, text);
        if (!select || !base || !names) break;
        if (textOf(base, text) === 'lib') pushTo(libSelections, names[names.length - 1]!, select);
        else if (names.length === 1) pushTo(builtins, names[0]!, select);
        break;
      }
      case 'alias': {
        const alias = capture('alias');
        const variable = alias?.parent;
        if (alias && variable) pushTo(builtins, textOf(alias, text).slice(2), variable);
        break;
      }
      case 'comparison':
        integerComparisons.push(capture('comparison')!);
        break;
      case 'path':
        paths.push(capture('path')!);
        break;
      default:
        break;
    }
  }
  return { calls, bindings, builtins, libSelections, integerComparisons, paths };
}

/** The index as a shared analysis: computed once per file for all rules that ask. */
export const syntaxIndex: Analysis<SyntaxIndex> = { name: 'security/syntax-index', compute: buildSyntaxIndex };

function named(map: ReadonlyMap<string, SyntaxNode[]>, names: Iterable<string>): SyntaxNode[] {
  const found: SyntaxNode[] = [];
  for (const name of new Set(names)) found.push(...(map.get(name) ?? []));
  return found.sort((a, b) => a.startIndex - b.startIndex);
}

/** The innermost applications of functions whose last name is one of `names`, in file order. */
export function appliesNamed(index: SyntaxIndex, names: Iterable<string>): SyntaxNode[] {
  return named(index.calls, names);
}

/** The bindings whose last attribute is one of `names`, in file order. */
export function bindingsNamed(index: SyntaxIndex, names: Iterable<string>): SyntaxNode[] {
  return named(index.bindings, names);
}

/** References to the builtins `names` (`builtins.NAME`, `__NAME`), in file order. */
export function builtinReferences(index: SyntaxIndex, names: Iterable<string>): SyntaxNode[] {
  return named(index.builtins, names);
}

/** `lib...NAME` selections for `names`, in file order. */
export function libSelectionsNamed(index: SyntaxIndex, names: Iterable<string>): SyntaxNode[] {
  return named(index.libSelections, names);
}
