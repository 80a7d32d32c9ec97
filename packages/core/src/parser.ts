import { loadNixLanguage } from './native.js';
import { SyntaxTree, type GrammarTables } from './syntax-tree.js';
import { neutraliseTrailingCommas } from './trailing-commas.js';

let grammar: GrammarTables | undefined;

/** The grammar's symbol and field tables (read once per thread). */
export function grammarTables(): GrammarTables {
  grammar ??= loadNixLanguage().grammar();
  return grammar;
}

/** The tree-sitter language object for Nix, for tree-sitter's own node binding (benchmarks compare against it). */
export function nixLanguage(): unknown {
  return loadNixLanguage();
}

/**
 * Parses Nix source. The text is first passed through the trailing-comma pass, which keeps offsets, so node
 * offsets index the caller's text. Read node text from the original string, not from `node.text`.
 * One native call parses and flattens the tree; tree-sitter's own tree is freed before it returns.
 */
export function parseNix(text: string): SyntaxTree {
  const prepared = neutraliseTrailingCommas(text);
  return new SyntaxTree(loadNixLanguage().parse(prepared), prepared, grammarTables());
}
