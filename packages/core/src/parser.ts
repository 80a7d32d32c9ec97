import { TreeSitter, type Tree } from './tree-sitter.js';
import { loadNixLanguage } from './native.js';
import { neutraliseTrailingCommas } from './trailing-commas.js';

let parser: InstanceType<typeof TreeSitter> | undefined;

function nixParser(): InstanceType<typeof TreeSitter> {
  if (!parser) {
    parser = new TreeSitter();
    parser.setLanguage(loadNixLanguage() as never);
  }
  return parser;
}

/** The tree-sitter language object for Nix, for building queries. */
export function nixLanguage(): unknown {
  return loadNixLanguage();
}

// tree-sitter's default read buffer is small; large generated files parse much faster with a bigger one.
const BUFFER_SIZE = 1 << 20;

/**
 * Parses Nix source. The text is first passed through the trailing-comma pass, which keeps offsets, so node
 * offsets index the caller's text. Read node text from the original string, not from `node.text`.
 */
export function parseNix(text: string): Tree {
  const prepared = neutraliseTrailingCommas(text);
  return nixParser().parse(prepared, undefined, { bufferSize: Math.min(BUFFER_SIZE, Math.max(1024, prepared.length + 1)) });
}
