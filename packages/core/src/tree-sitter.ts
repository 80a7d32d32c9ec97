// The syntax tree and query types rules work with. They follow the names of tree-sitter's node binding, but are
// nixforge's own: the tree is parsed and flattened natively in one call (syntax-tree.ts) and queried in
// JavaScript (query/), so analysing a file never crosses into native code per node.
export { SyntaxNode, SyntaxTree as Tree, SyntaxTree, TreeCursor, type Point } from './syntax-tree.js';
export { Query, type QueryMatch, type QueryCapture } from './query/index.js';
