import type { GrammarTables } from './syntax-tree.js';

const tablesByGrammar = new WeakMap<GrammarTables, WeakMap<ReadonlyMap<string, number>, Uint8Array>>();

/**
 * A per-symbol lookup table for a hot loop: `table[kinds[i]]` is `byType.get(type of node i)`, and 0 for every
 * other type (ERROR nodes, symbol 0xffff, included), so a walk dispatches on an integer instead of comparing type
 * strings. Values are 0–255; the table is built once per grammar and map (keep `byType` a module constant).
 */
export function symbolTable(grammar: GrammarTables, byType: ReadonlyMap<string, number>): Uint8Array {
  let tables = tablesByGrammar.get(grammar);
  if (tables === undefined) {
    tables = new WeakMap();
    tablesByGrammar.set(grammar, tables);
  }
  let table = tables.get(byType);
  if (table === undefined) {
    table = new Uint8Array(0x10000);
    grammar.symbolNames.forEach((name, symbol) => {
      table![symbol] = byType.get(name) ?? 0;
    });
    tables.set(byType, table);
  }
  return table;
}
