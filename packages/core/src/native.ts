import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FlatParse, GrammarTables } from './syntax-tree.js';

const require = createRequire(import.meta.url);

/** The language object tree-sitter 0.25's binding accepts: an External tagged as a TSLanguage. */
export interface NixLanguage {
  name: string;
  language: unknown;
  nodeTypeInfo: unknown;
  /** The grammar's symbol and field names. */
  grammar(): GrammarTables;
  /** Parses UTF-16 text and returns the whole tree flattened (see native/binding.cc); no tree is kept. */
  parse(text: string): FlatParse;
}

// The addon sits in build/Release of this package, beside src/ and dist/, so the same relative path
// works from compiled code, from sources run by vitest, and from worker threads.
const ADDON_PATH = fileURLToPath(new URL('../build/Release/nixforge_nix_grammar.node', import.meta.url));

let loaded: NixLanguage | undefined;

/** Loads the Nix grammar once per thread (the addon is context-aware, so every worker may load it). */
export function loadNixLanguage(): NixLanguage {
  if (loaded) return loaded;
  if (!existsSync(ADDON_PATH)) {
    throw new Error(
      `nixforge: the Nix grammar addon is not built (${ADDON_PATH} is missing); run \`npm run build -w @nixforge/core\``,
    );
  }
  const language = require(ADDON_PATH) as NixLanguage;
  language.nodeTypeInfo = require('tree-sitter-nix/src/node-types.json') as unknown;
  loaded = language;
  return language;
}
