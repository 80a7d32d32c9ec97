import { createRequire } from 'node:module';
import type TreeSitterParser from 'tree-sitter';

const require = createRequire(import.meta.url);

/** tree-sitter's CommonJS binding, loaded from ESM. */
export const TreeSitter = require('tree-sitter') as typeof TreeSitterParser;

export type SyntaxNode = TreeSitterParser.SyntaxNode;
export type Tree = TreeSitterParser.Tree;
export type TreeCursor = TreeSitterParser.TreeCursor;
export type Query = TreeSitterParser.Query;
export type QueryMatch = TreeSitterParser.QueryMatch;
export type QueryCapture = TreeSitterParser.QueryCapture;
