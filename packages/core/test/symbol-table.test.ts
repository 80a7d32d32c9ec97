import { describe, expect, it } from 'vitest';
import { grammarTables, parseNix, symbolTable } from '../src/index.js';

describe('symbolTable', () => {
  const byType = new Map([['identifier', 3], ['binding', 7]]);

  it('maps each node kind to its type value, everything else (ERROR included) to 0, built once', () => {
    const tree = parseNix('{ a = 1; } }');
    const table = symbolTable(tree.grammar, byType);
    expect(symbolTable(grammarTables(), byType)).toBe(table);
    const seen = new Map<string, number>();
    for (let i = 0; i < tree.count; i += 1) seen.set(tree.typeOf(i), table[tree.kinds[i]!]!);
    expect(seen.get('identifier')).toBe(3);
    expect(seen.get('binding')).toBe(7);
    expect(seen.get('attrset_expression')).toBe(0);
    expect(seen.get('ERROR')).toBe(0);
  });
});
