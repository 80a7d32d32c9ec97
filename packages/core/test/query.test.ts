import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { nixLanguage, parseNix } from '../src/parser.js';
import { Query, type QueryMatch } from '../src/query/index.js';
import { prepareForGrammar } from '../src/trailing-commas.js';

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
    for (const m of text.matchAll(/const QUERY = `([^`]*)`/g)) queries.push({ where: `lint/${file.replace(/\.ts$/, '')}`, source: m[1]! });
  }
  // Other single-line queries written as string literals, e.g. `new Query('(path_expression) @path')`.
  for (const file of ['packages/plugins/src/deps/import-graph.ts', 'packages/core/src/engine.ts']) {
    const text = readFileSync(join(repoRoot, file), 'utf8');
    for (const m of text.matchAll(/'(\([a-z_]+[^']*\) @[a-z_]+)'/g)) queries.push({ where: `${file} ${m[1]}`, source: m[1]! });
  }
  return queries;
}

/** One query per feature of the query language, each a pattern the project's rules could write. */
const FEATURE_QUERIES: string[] = [
  // The security plugin's former index query (its index is now built by a direct pass): predicates on captures.
  `(apply_expression function: [(variable_expression) (select_expression) (parenthesized_expression)] @fn) @apply
(binding attrpath: (attrpath attr: (_) @last .)) @binding
((select_expression expression: (variable_expression name: (identifier) @base) attrpath: (attrpath) @attrs) @select
  (#any-of? @base "builtins" "lib"))
((variable_expression name: (identifier) @alias) (#match? @alias "^__"))
(binary_expression left: (apply_expression) right: (integer_expression)) @comparison
(binary_expression left: (integer_expression) right: (apply_expression)) @comparison
(path_expression) @path`,
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
    const expected = describeMatches(reference.matches(referenceParser.parse(prepareForGrammar(text)).rootNode));
    const actual = describeMatches(ours.matches(tree.rootNode));
    if (JSON.stringify(actual) !== JSON.stringify(expected)) {
      const missing = expected.filter((m) => !actual.includes(m));
      const extra = actual.filter((m) => !expected.includes(m));
      differences.push(`${name}: missing ${JSON.stringify(missing.slice(0, 4))} extra ${JSON.stringify(extra.slice(0, 4))} (${actual.length} vs ${expected.length})`);
    }
  }
  return differences;
}

// NIXFORGE_QUERY_CORPUS=<dir> adds every .nix file under a directory (e.g. a home-manager checkout) for a
// longer run by hand; the default corpus keeps this file fast.
const externalCorpus = process.env['NIXFORGE_QUERY_CORPUS'];
const corpus = [
  ...nixFilesUnder(join(repoRoot, 'fixtures')).map((path) => ({ name: path.slice(repoRoot.length), text: readFileSync(path, 'utf8') })),
  ...EXTRA_SOURCES.map((text, k) => ({ name: `extra[${k}]`, text })),
  ...(externalCorpus ? nixFilesUnder(externalCorpus).map((path) => ({ name: path, text: readFileSync(path, 'utf8') })) : []),
];

describe('Query agrees with tree-sitter', () => {
  it('finds the corpus and the project queries', () => {
    expect(corpus.length).toBeGreaterThan(100);
    const queries = projectQueries();
    expect(queries.filter((q) => q.where.startsWith('lint/')).length).toBeGreaterThanOrEqual(16);
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

describe('Query API', () => {
  it('numbers patterns from 0 and lists capture names in order of first use', () => {
    const query = new Query('(binding) @b ; a comment\n (inherit attrs: (_) @attrs) @b (comment)');
    expect(query.patternCount).toBe(3);
    expect(query.captureNames).toEqual(['b', 'attrs']);
  });

  it('reports the root types a pattern can match at', () => {
    const query = new Query('(binding) @b [(inherit) (inherit_from)] @i (_) @any ((comment) @c (#match? @c "x")) "inherit" @kw (MISSING) @m (ERROR) @e');
    expect([...query.rootTypes(0)!]).toEqual(['binding']);
    expect([...query.rootTypes(1)!].sort()).toEqual(['inherit', 'inherit_from']);
    expect(query.rootTypes(2)).toBeNull();
    expect([...query.rootTypes(3)!]).toEqual(['comment']);
    expect([...query.rootTypes(4)!]).toEqual(['inherit']);
    expect(query.rootTypes(5)).toBeNull();
    expect([...query.rootTypes(6)!]).toEqual(['ERROR']);
    expect(() => query.rootTypes(7)).toThrow(/no pattern 7/);
  });

  it('tells a named node from an anonymous one with the same name', () => {
    const tree = parseNix('{ inherit a; }');
    const named = new Query('(inherit) @x').matches(tree.rootNode).map((m) => m.captures[0]!.node.text);
    const anonymous = new Query('"inherit" @x').matches(tree.rootNode).map((m) => m.captures[0]!.node.text);
    expect(named).toEqual(['inherit a;']);
    expect(anonymous).toEqual(['inherit']);
  });

  it('returns matches in pre-order of their root, then pattern order, then child order', () => {
    const tree = parseNix('{ a = { b = 1; c = 2; }; d = 3; }');
    const query = new Query('(binding attrpath: (_) @key) (attrset_expression (binding_set (binding) @b))');
    const described = query.matches(tree.rootNode).map((m) => `${m.pattern}:${m.captures.map((c) => c.node.text.split(' ')[0]).join(',')}`);
    expect(described).toEqual(['1:a', '1:d', '0:a', '1:b', '1:c', '0:b', '0:c', '0:d']);
  });

  it('matchesAt finds the matches rooted at one node only, in pattern order', () => {
    const tree = parseNix('{ a = b; c = d; }');
    const query = new Query('(binding_set (binding) @b) (binding) @x (binding_set) @set');
    const bindingSet = tree.rootNode.descendantsOfType('binding_set')[0]!;
    const out: QueryMatch[] = [];
    query.matchesAt(tree, bindingSet.id, out);
    expect(out.map((m) => `${m.pattern}:${m.captures.map((c) => c.node.text).join('|')}`)).toEqual([
      '0:a = b;',
      '0:c = d;',
      '2:a = b; c = d;',
    ]);
  });

  it('captures() lists every capture in document order', () => {
    const text = 'let x = [ 1 2 ]; in { y = x; }';
    const tree = parseNix(text);
    const source = '(integer_expression) @int (binding expression: (_) @value) @binding (variable_expression) @var';
    const ours = new Query(source).captures(tree.rootNode);
    const starts = ours.map((c) => c.node.startIndex);
    expect(starts).toEqual([...starts].sort((a, b) => a - b));
    const reference = new TreeSitter.Query(nixLanguage() as never, source).captures(referenceParser.parse(text).rootNode);
    const key = (c: { name: string; node: { startIndex: number; endIndex: number } }): string => `${c.name}@${c.node.startIndex}-${c.node.endIndex}`;
    expect(ours.map(key).sort()).toEqual(reference.map(key).sort());
    expect(ours.map(key)).toEqual(['binding@4-16', 'value@8-15', 'int@10-11', 'int@12-13', 'binding@22-28', 'value@26-27', 'var@26-27']);
  });

  it('searches the subtree of the node it is given, that node included', () => {
    const tree = parseNix('{ a = { b = 1; }; }');
    const inner = tree.rootNode.descendantsOfType('attrset_expression')[1]!;
    const texts = new Query('(attrset_expression) @s (binding) @b').matches(inner).map((m) => m.captures[0]!.node.text);
    expect(texts).toEqual(['{ b = 1; }', 'b = 1;']);
  });

  it('matches in a file nested 20,000 levels deep without overflowing the stack', () => {
    const depth = 20_000;
    const text = '['.repeat(depth) + ' x ' + ']'.repeat(depth);
    const tree = parseNix(text);
    const query = new Query('(list_expression . (list_expression) @inner .) @outer (variable_expression) @var');
    const matches = query.matches(tree.rootNode);
    expect(matches.filter((m) => m.pattern === 0)).toHaveLength(depth - 1);
    expect(matches.filter((m) => m.pattern === 1).map((m) => m.captures[0]!.node.text)).toEqual(['x']);
    expect(query.captures(tree.rootNode)).toHaveLength(2 * (depth - 1) + 1);
  });
});

describe('Query errors', () => {
  const cases: Array<[string, RegExp]> = [
    ['(binding', /line 1, column 1: expected '\)' to close the pattern/],
    ['(binding))', /line 1, column 10: expected a pattern but found "\)"/],
    ['(no_such_node) @x', /line 1, column 2: unknown node type "no_such_node"/],
    ['(binding nofield: (_))', /line 1, column 10: unknown field name "nofield"/],
    ['(formals !nofield)', /unknown field name "nofield"/],
    ['"~~~" @x', /unknown node type "~~~" \(no anonymous node has this text\)/],
    ['(binding) @b\n(attrpath "nope")', /line 2, column 11: unknown node type "nope"/],
    ['(let) @x', /unknown node type "let" \(an anonymous node; write "let"\)/],
    ['((identifier) @x (#eq? @y "a"))', /#eq\? refers to @y, which no pattern captures before it/],
    ['((identifier) @x (#frobnicate? @x))', /unknown predicate #frobnicate\?/],
    ['((identifier) @x (#eq? @x))', /#eq\? takes 2 arguments, got 1/],
    ['((identifier) @x (#match? @x "("))', /#match\?: invalid regular expression/],
    ['((identifier) @x (#any-of? "a" "b"))', /first argument of #any-of\? must be a capture/],
    ['(binding) @', /expected a capture name after @/],
    ['binding', /bare name "binding"/],
    ['field: (binding)', /unknown field name "field"|top-level pattern cannot have a field/],
    ['(binding)+', /top-level pattern cannot have a quantifier/],
    ['(MISSING nonsense)', /unknown node type nonsense after MISSING/],
    ['(binding "unterminated)', /unterminated string/],
    ['[ ]', /alternation needs at least one branch/],
    ['(expression/identifier)', /supertype patterns .* are not supported/],
    ['', /the query has no patterns/],
  ];
  for (const [source, message] of cases) {
    it(`rejects ${JSON.stringify(source)}`, () => {
      expect(() => new Query(source)).toThrow(message);
    });
  }

  it('accepts what tree-sitter accepts: comments, string escapes, bare-word predicate arguments', () => {
    const query = new Query('; leading comment\n((identifier) @id ; trailing\n (#any-of? @id lib "pkgs\\"q"))');
    const texts = query.matches(parseNix('lib.x pkgs').rootNode).map((m) => m.captures[0]!.node.text);
    expect(texts).toEqual(['lib']);
  });
});

describe('Query quantifiers on long child lists', () => {
  it('matches *, + and ? over a list of 20,000 elements without deep recursion or quadratic output', () => {
    const count = 20_000;
    const text = `[ ${Array.from({ length: count }, (_, k) => `x${k}`).join(' ')} 1 ]`;
    const tree = parseNix(text);
    const star = new Query('(list_expression (variable_expression)* @v)').matches(tree.rootNode);
    expect(star).toHaveLength(1);
    expect(star[0]!.captures).toHaveLength(count);
    const plus = new Query('(list_expression (variable_expression)+ @v . (integer_expression) @i)').matches(tree.rootNode);
    expect(plus.map((m) => m.captures.length)).toEqual([count + 1]);
    const optional = new Query('(list_expression (variable_expression)? @v)').matches(tree.rootNode);
    expect(optional).toHaveLength(count);
  });
});
