import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { nixLanguage, parseNix } from '../src/parser.js';
import { Query } from '../src/query/index.js';
import { neutraliseTrailingCommas } from '../src/trailing-commas.js';

// tree-sitter's own node binding is the reference implementation of query semantics.
interface ReferenceNode {
  startIndex: number;
  endIndex: number;
}
interface ReferenceQuery {
  matches(node: unknown): Array<{ pattern: number; captures: Array<{ name: string; node: ReferenceNode }> }>;
  captures(node: unknown): Array<{ name: string; node: ReferenceNode }>;
}
interface ReferenceParser {
  setLanguage(language: never): void;
  parse(text: string): { rootNode: unknown };
}
const require = createRequire(import.meta.url);
const TreeSitter = require('tree-sitter') as {
  new (): ReferenceParser;
  Query: new (language: never, source: string) => ReferenceQuery;
};
const referenceParser = new TreeSitter();
referenceParser.setLanguage(nixLanguage() as never);

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

function nixFilesUnder(dir: string): string[] {
  const found: string[] = [];
  const pending = [dir];
  while (pending.length > 0) {
    const current = pending.pop()!;
    for (const entry of readdirSync(current)) {
      const path = join(current, entry);
      if (entry === 'node_modules' || entry === 'dist') continue;
      if (statSync(path).isDirectory()) pending.push(path);
      else if (entry.endsWith('.nix')) found.push(path);
    }
  }
  return found.sort();
}

/** Queries the project runs, read from their sources so the test follows any change to them. */
function projectQueries(): Array<{ where: string; source: string }> {
  const queries: Array<{ where: string; source: string }> = [];
  const rulesDir = join(repoRoot, 'packages/plugins/src/lint/rules');
  for (const file of readdirSync(rulesDir).filter((f) => f.endsWith('.ts')).sort()) {
    const text = readFileSync(join(rulesDir, file), 'utf8');
    for (const m of text.matchAll(/candidatePatterns\(\s*'([^']+)',\s*`([^`]*)`/g)) queries.push({ where: `lint/${m[1]}`, source: m[2]! });
  }
  const indexes = readFileSync(join(repoRoot, 'packages/plugins/src/security/indexes.ts'), 'utf8');
  const indexQuery = /const INDEX_QUERY = `([^`]*)`/.exec(indexes);
  if (indexQuery) queries.push({ where: 'security/indexes INDEX_QUERY', source: indexQuery[1]! });
  // Other single-line queries written as string literals, e.g. `new Query('(path_expression) @path')`.
  for (const file of ['packages/plugins/src/deps/import-graph.ts', 'packages/core/src/engine.ts']) {
    const text = readFileSync(join(repoRoot, file), 'utf8');
    for (const m of text.matchAll(/'(\([a-z_]+[^']*\) @[a-z_]+)'/g)) queries.push({ where: `${file} ${m[1]}`, source: m[1]! });
  }
  return queries;
}

/** One query per feature of the query language, each a pattern the project's rules could write. */
const FEATURE_QUERIES: string[] = [
  '(binding) @b',
  '(binding attrpath: (attrpath) @path expression: (_) @value)',
  '(attrset_expression (binding_set binding: (binding) @b))',
  '(binding_set . (binding) @first)',
  '(binding_set (binding) @last .)',
  '(binding_set (_) @a . (_) @b)',
  '(binding_set (binding) @a (binding) @b)',
  '(attrpath (identifier) @x . "." . (identifier) @y)',
  '(list_expression . (_) @first)',
  '(list_expression (_) @last .)',
  '(list_expression . (_) @only .)',
  '(list_expression _ @any)',
  '(list_expression "[" . _ @after)',
  '(let_expression "let" . "in") @empty',
  '(let_expression "let" @let (binding_set) "in" @in body: (_) @body)',
  '(function_expression formals: (formals !ellipses)) @closed',
  '(function_expression !formals) @simple',
  '(formals "," @comma)',
  '(formals formal: (formal name: (identifier) @name default: (_)? @default))',
  '(binary_expression operator: ["+" "-" "*" "/"] @op)',
  '(binary_expression left: _ @l operator: _ right: _ @r)',
  '[(string_expression) (indented_string_expression)] @string',
  '[(binding attrpath: (attrpath) @key) (inherit attrs: (inherited_attrs attr: (identifier) @key))]',
  '(comment) @comment',
  '(_ (comment) @comment) @parent',
  '(ERROR) @error',
  '(ERROR (identifier) @id)',
  '(_) @named',
  '_ @any',
  '(MISSING) @missing',
  '(MISSING identifier) @missing',
  '(MISSING ";") @missing',
  '((identifier) @id (#eq? @id "lib"))',
  '((identifier) @id (#not-eq? @id "lib"))',
  '((identifier) @id (#match? @id "^mk[A-Z]"))',
  '((identifier) @id (#not-match? @id "^[a-z]+$"))',
  '((identifier) @id (#any-of? @id "pkgs" "lib" "config"))',
  '((identifier) @id (#not-any-of? @id "pkgs" "lib" "config"))',
  '(binding attrpath: (attrpath . (identifier) @key .) expression: (variable_expression name: (identifier) @value) (#eq? @key @value))',
  '(binding attrpath: (attrpath . (identifier) @key .) expression: (_) @value (#not-eq? @key @value))',
  '((binding) @a . (binding) @b)',
  '((comment) @c . (binding) @b)',
  '((binding) @a (inherit) @b)',
  '(apply_expression function: (_) @f argument: (_) @a) @apply (select_expression expression: (_) @e attrpath: (attrpath attr: (_) @last .)) @select',
  '(list_expression (variable_expression)+ @vars)',
  '(list_expression (_)* @items)',
  '(list_expression (_)? @item)',
  '(binding_set ((binding) @a . (binding) @b))',
  '(if_expression condition: (_) @c consequence: (_) @t alternative: (_) @e)',
  '(source_code) @root',
];

/** Sources with the shapes the fixtures lack: comments between children, syntax errors, MISSING nodes. */
const EXTRA_SOURCES: string[] = [
  '{ a = 1; /* one */ b = 2; # two\n c = 3; }',
  '[ a /* x */ b c ] ++ [ ]',
  'let in x',
  'let # nothing\n in x',
  'let a = 1; in let b = a; in b',
  '{ inherit; inherit (x); inherit a b; }',
  '{ a = ; b = 2; }',
  '{ lib, pkgs ? null, ... }: with lib; mkIf (x == 1) (mkDerivation { inherit pkgs; })',
  'x: y: f x y',
  '{ a.b.c = 1; a.d = 2; "e" = 3; ${x} = 4; }',
  'if a then b else c',
  '[ 1 2 3 ((x)) (y.z or 3) ./p.nix <nixpkgs> https://x.org ]',
  '{ a = b: ; c = [ d e',
  'rec { x = 1; y = x; __z = builtins.map; }',
  '{ lib, stdenv, }: stdenv.mkDerivation { pname = "x"; }',
];

function describeMatches(matches: Array<{ pattern: number; captures: Array<{ name: string; node: { startIndex: number; endIndex: number } }> }>): string[] {
  return matches
    .map((m) => `${m.pattern} ${m.captures.map((c) => `${c.name}@${c.node.startIndex}-${c.node.endIndex}`).join(' ')}`)
    .sort();
}

function compare(source: string, texts: Array<{ name: string; text: string }>): string[] {
  const ours = new Query(source);
  const reference = new TreeSitter.Query(nixLanguage() as never, source);
  const differences: string[] = [];
  for (const { name, text } of texts) {
    const tree = parseNix(text);
    const expected = describeMatches(reference.matches(referenceParser.parse(neutraliseTrailingCommas(text)).rootNode));
    const actual = describeMatches(ours.matches(tree.rootNode));
    if (JSON.stringify(actual) !== JSON.stringify(expected)) {
      const missing = expected.filter((m) => !actual.includes(m));
      const extra = actual.filter((m) => !expected.includes(m));
      differences.push(`${name}: missing ${JSON.stringify(missing.slice(0, 4))} extra ${JSON.stringify(extra.slice(0, 4))} (${actual.length} vs ${expected.length})`);
    }
  }
  return differences;
}

const corpus = [
  ...nixFilesUnder(join(repoRoot, 'fixtures')).map((path) => ({ name: path.slice(repoRoot.length), text: readFileSync(path, 'utf8') })),
  ...EXTRA_SOURCES.map((text, k) => ({ name: `extra[${k}]`, text })),
];

describe('Query agrees with tree-sitter', () => {
  it('finds the corpus and the project queries', () => {
    expect(corpus.length).toBeGreaterThan(100);
    const queries = projectQueries();
    expect(queries.filter((q) => q.where.startsWith('lint/')).length).toBeGreaterThanOrEqual(16);
    expect(queries.some((q) => q.where.includes('INDEX_QUERY'))).toBe(true);
  });

  for (const { where, source } of projectQueries()) {
    it(`project query ${where}`, () => {
      expect(compare(source, corpus)).toEqual([]);
    });
  }

  for (const source of FEATURE_QUERIES) {
    it(`feature query ${source}`, () => {
      expect(compare(source, corpus)).toEqual([]);
    });
  }
});
