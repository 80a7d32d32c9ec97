import { describe, expect, it } from 'vitest';
import { SourceFile } from '@nixforge/core';
import { computeNixDiagnostics, firstNixError } from '../src/nix/index.js';

// The rules' findings are tested with RuleTester (nix-rule-tester.test.ts); these are the diagnostics' order and
// Nix's own positions (what `nix-instantiate --parse` reports first), which the findings do not show.
describe('nix diagnostics', () => {
  it('orders parse errors before undefined variables, as Nix does', () => {
    const source = new SourceFile('t.nix', '{\n a = y;\n b = 1;\n b = 2;\n}');
    const first = firstNixError(source)!;
    expect(first.kind).toBe('duplicate-attribute');
    expect(source.positionAt(first.nixOffset).line).toBe(4);
  });

  it('reports errors in a function body before its duplicate formals', () => {
    const source = new SourceFile('t.nix', '{ a, a }: {\n b = 1;\n b = 2;\n}');
    expect(firstNixError(source)!.kind).toBe('duplicate-attribute');
  });

  it('places an undefined `inherit x;` where Nix does but reports the name', () => {
    const source = new SourceFile('t.nix', '{\n x = 1;\n inherit missing;\n}');
    const first = firstNixError(source)!;
    expect(source.positionAt(first.nixOffset).line).toBe(1);
    expect(source.positionAt(first.range.start).line).toBe(3);
  });

  it('handles 20,000 levels of nesting', () => {
    const depth = 20_000;
    const text = '{ a = '.repeat(depth) + 'b' + '; }'.repeat(depth);
    const diagnostics = computeNixDiagnostics(new SourceFile('deep.nix', text));
    expect(diagnostics.map((d) => d.kind)).toEqual(['undefined-variable']);
  });
});
