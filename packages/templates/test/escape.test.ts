import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fitsIndentedString, nixAttrName, nixIndentedString, nixString, renderNixValue, type NixValue } from '../src/index.js';
import { evalNixText } from './nix.js';

/** Strings made of the pieces that break naive escapers, plus ordinary and non-ASCII text. */
const hostilePiece = fc.constantFrom('"', '\\', '$', '{', '}', "'", "''", "'''", '${', '$${', "''${", "''\\", '\n', '\r', '\t', ' ', '  ', '#', '/*', '*/', 'a', 'Z', '0', 'é', '😀', '\\n', '${x}');
const hostileString = fc.array(hostilePiece, { maxLength: 30 }).map((pieces) => pieces.join(''));

function roundTrip(values: string[], render: (value: string) => string): unknown {
  return evalNixText(`[\n${values.map((value) => `  ${render(value)}`).join('\n')}\n]\n`);
}

describe('Nix string escaping (checked by nix-instantiate --eval)', () => {
  it('double-quoted strings round-trip exactly', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(hostileString, fc.string({ unit: 'grapheme', maxLength: 20 }).filter((s) => !s.includes('\0'))), { minLength: 50, maxLength: 150 }), (values) => {
        expect(roundTrip(values, nixString)).toEqual(values);
      }),
      { numRuns: 6 },
    );
  });

  it('indented strings round-trip exactly (falling back to double quotes where Nix would change the text)', () => {
    const multiline = fc.array(hostileString, { minLength: 1, maxLength: 5 }).map((lines) => `${lines.join('\n')}\n`);
    fc.assert(
      fc.property(fc.array(fc.oneof(multiline, hostileString), { minLength: 50, maxLength: 150 }), (values) => {
        expect(roundTrip(values, (value) => nixIndentedString(value, 2))).toEqual(values);
      }),
      { numRuns: 6 },
    );
    // The indented form is really used for ordinary multi-line text.
    expect(nixIndentedString("echo '${HOME}'\nif x; then\n  y\nfi\n", 0).startsWith("''")).toBe(true);
    expect(fitsIndentedString('  all lines\n  indented\n')).toBe(false);
  });

  it('attribute names are quoted when they are not identifiers and round-trip', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(hostileString, fc.constantFrom('if', 'or', 'a-b', "a'", '_x', '1a', 'rec', '')), { minLength: 30, maxLength: 80 }), (names) => {
        const result = roundTrip(names, (name) => `(builtins.head (builtins.attrNames { ${nixAttrName(name)} = null; }))`);
        expect(result).toEqual(names);
      }),
      { numRuns: 4 },
    );
  });

  it('refuses NUL, which Nix strings cannot hold', () => {
    expect(() => nixString('a\0b')).toThrow(/NUL/);
  });
});

describe('renderNixValue', () => {
  const json: fc.Arbitrary<NixValue> = fc.letrec<{ value: NixValue }>((tie) => ({
    value: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      hostileString,
      fc.integer({ min: -(2 ** 40), max: 2 ** 40 }),
      fc.boolean(),
      fc.constant(null),
      fc.array(tie('value'), { maxLength: 4 }),
      fc.dictionary(hostileString, tie('value'), { maxKeys: 4 }),
    ),
  })).value;

  it('renders JSON values that evaluate back to the same data', () => {
    fc.assert(
      fc.property(fc.array(json, { minLength: 20, maxLength: 40 }), (values) => {
        const text = `[\n${values.map((value) => `  (${renderNixValue(value, 2)})`).join('\n')}\n]\n`;
        expect(evalNixText(text)).toEqual(values);
      }),
      { numRuns: 4 },
    );
  });

  it('sorts keys, so the same data in any order gives the same text', () => {
    expect(renderNixValue({ b: 1, a: { d: [1, 2], c: 'x' } })).toBe(renderNixValue({ a: { c: 'x', d: [1, 2] }, b: 1 }));
    expect(renderNixValue({ b: 1, a: 2 })).toBe('{\n  a = 2;\n  b = 1;\n}');
  });

  it('handles 20,000 levels of nesting without recursion', () => {
    let deep: NixValue = 'leaf';
    for (let i = 0; i < 20_000; i += 1) deep = i % 2 === 0 ? [deep, 1] : { x: deep, y: 2 };
    const text = renderNixValue(deep);
    expect(text.length).toBeGreaterThan(20_000);
    expect(text).toContain('"leaf"');
  });
});
