import { loadNixLanguage } from './native.js';
import { ERROR_SYMBOL, SyntaxTree, type GrammarTables } from './syntax-tree.js';
import { prepareForGrammar } from './trailing-commas.js';

let grammar: GrammarTables | undefined;

/**
 * The same string, internalized: V8 compares two internalized strings by pointer, and every rule compares node
 * types (`node.type === 'binding'`) with literals, which are internalized. Names made by the addon are not, so
 * each such comparison would read characters. Property keys are internalized, hence the round trip.
 */
function internalized(name: string): string {
  return Object.keys({ [name]: 0 })[0]!;
}

/** The grammar's symbol and field tables (read once per thread). */
export function grammarTables(): GrammarTables {
  if (grammar === undefined) {
    const tables = loadNixLanguage().grammar();
    grammar = {
      symbolNames: tables.symbolNames.map(internalized),
      symbolNamed: tables.symbolNamed,
      fieldNames: tables.fieldNames.map((name) => (name === null ? null : internalized(name))),
    };
  }
  return grammar;
}

let symbolsByType: Map<string, { named: number[]; anonymous: number[]; any: number[] }> | undefined;

/**
 * The grammar symbol ids of a node type (`kinds` values in a SyntaxTree). One name can be both a named node and
 * an anonymous token (e.g. `inherit`); `which` picks. `ERROR` is tree-sitter's error symbol.
 */
export function symbolsOfType(type: string, which: 'named' | 'anonymous' | 'any' = 'any'): readonly number[] {
  if (!symbolsByType) {
    const tables = grammarTables();
    symbolsByType = new Map([['ERROR', { named: [ERROR_SYMBOL], anonymous: [], any: [ERROR_SYMBOL] }]]);
    tables.symbolNames.forEach((name, id) => {
      let entry = symbolsByType!.get(name);
      if (!entry) symbolsByType!.set(name, (entry = { named: [], anonymous: [], any: [] }));
      (tables.symbolNamed[id] ? entry.named : entry.anonymous).push(id);
      entry.any.push(id);
    });
  }
  const entry = symbolsByType.get(type);
  if (!entry) return [];
  return entry[which];
}

/** The tree-sitter language object for Nix, for tree-sitter's own node binding (benchmarks compare against it). */
export function nixLanguage(): unknown {
  return loadNixLanguage();
}

/**
 * Parses Nix source. The text is first passed through `prepareForGrammar` (trailing commas, comments ended by a
 * lone carriage return), which keeps offsets, so node
 * offsets index the caller's text. Read node text from the original string, not from `node.text`.
 * One native call parses and flattens the tree; tree-sitter's own tree is freed before it returns.
 */
export function parseNix(text: string): SyntaxTree {
  const prepared = prepareForGrammar(text);
  return new SyntaxTree(loadNixLanguage().parse(prepared), prepared, grammarTables());
}
