/**
 * A tree-sitter query that captures, as `@ref`, references to the given builtins: `builtins.NAME` (with a
 * single-attribute path) and the global alias `__NAME`. Runs in C, so rules need no visitor on every selection.
 */
export function builtinReferenceQuery(names: readonly string[]): string {
  const quoted = names.map((n) => JSON.stringify(n)).join(' ');
  const aliases = names.map((n) => JSON.stringify(`__${n}`)).join(' ');
  return `
((select_expression
    expression: (variable_expression name: (identifier) @base)
    attrpath: (attrpath . attr: (identifier) @name .)) @ref
  (#eq? @base "builtins")
  (#any-of? @name ${quoted}))
((variable_expression name: (identifier) @name) @ref
  (#any-of? @name ${aliases}))`;
}
