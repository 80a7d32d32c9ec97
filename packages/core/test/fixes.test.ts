import { describe, expect, it } from 'vitest';
import { applyFixes, toFix, type Fix } from '../src/index.js';

function replace(start: number, end: number, text: string, description = `${start}-${end}`): Fix {
  return { description, edits: [{ range: { start, end }, text }] };
}

describe('applyFixes', () => {
  it('applies non-overlapping fixes in one pass', () => {
    const text = 'let a = 1; b = 2; in b';
    const result = applyFixes(text, [replace(4, 11, ''), replace(21, 22, '(b)')]);
    expect(result.text).toBe('let b = 2; in (b)');
    expect(result.applied.map((f) => f.description)).toEqual(['4-11', '21-22']);
    expect(result.skipped).toEqual([]);
  });

  it('skips a fix overlapping an earlier one, keeping the order given', () => {
    const result = applyFixes('[ 1 2 3 ]', [replace(2, 5, '9', 'first'), replace(4, 7, '8', 'second')]);
    expect(result.text).toBe('[ 9 3 ]');
    expect(result.skipped.map((f) => f.description)).toEqual(['second']);
  });

  it('treats two insertions at one offset as overlapping', () => {
    const result = applyFixes('[ ]', [replace(2, 2, '1 ', 'a'), replace(2, 2, '2 ', 'b')]);
    expect(result.text).toBe('[ 1 ]');
    expect(result.skipped.map((f) => f.description)).toEqual(['b']);
  });

  it('skips a fix whose own edits overlap', () => {
    const fix: Fix = { description: 'self', edits: [{ range: { start: 0, end: 3 }, text: '' }, { range: { start: 1, end: 2 }, text: 'x' }] };
    expect(applyFixes('abc', [fix])).toEqual({ text: 'abc', applied: [], skipped: [fix] });
  });

  it('does not apply a fix that leaves the file unparseable, but applies the others', () => {
    const text = '{ a = 1; b = 2; }';
    const breaking = replace(7, 8, '', 'drops a semicolon');
    const fine = replace(13, 14, '3', 'changes b');
    const result = applyFixes(text, [breaking, fine]);
    expect(result.text).toBe('{ a = 1; b = 3; }');
    expect(result.applied).toEqual([fine]);
    expect(result.skipped).toEqual([breaking]);
  });

  it('applies nothing to a file that already has a syntax error', () => {
    const fix = replace(0, 1, '[');
    expect(applyFixes('{ a = 1 }', [fix])).toEqual({ text: '{ a = 1 }', applied: [], skipped: [fix] });
  });

  it('also applies only what an extra condition accepts', () => {
    const keepsB = (result: string): boolean => result.includes('b');
    const result = applyFixes('[ a b ]', [replace(2, 3, 'x', 'a->x'), replace(4, 5, 'y', 'b->y')], keepsB);
    expect(result.text).toBe('[ x b ]');
    expect(result.skipped.map((f) => f.description)).toEqual(['b->y']);
  });

  it('returns the text unchanged when nothing applies', () => {
    expect(applyFixes('1', [])).toEqual({ text: '1', applied: [], skipped: [] });
  });

  it('converts reported fixes back to ranges', () => {
    const fix = toFix({
      description: 'd',
      edits: [{ start: 1, end: 2, line: 1, column: 2, endLine: 1, endColumn: 3, text: 'x' }],
    });
    expect(fix).toEqual({ description: 'd', edits: [{ range: { start: 1, end: 2 }, text: 'x' }] });
  });
});
