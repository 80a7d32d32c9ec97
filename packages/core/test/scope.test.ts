import { describe, expect, it } from 'vitest';
import { SourceFile, analyzeScopes, isDeclaration, scopeAnalysis, type Reference, type ScopeAnalysisResult } from '../src/index.js';

function scopesOf(text: string): ScopeAnalysisResult {
  return analyzeScopes(new SourceFile('test.nix', text));
}

/** `name@offset-of-nth-occurrence -> resolution` rendered as a compact string for table tests. */
function describeResolution(reference: Reference): string {
  const r = reference.resolution;
  return isDeclaration(r) ? r.kind : String(r);
}

function resolutions(text: string): string[] {
  return scopesOf(text).references.map((r) => `${r.name}:${describeResolution(r)}`);
}

describe('scope analysis: resolution', () => {
  const cases: Array<[string, string, string[]]> = [
    ['let binding used in body', 'let a = 1; in a', ['a:let']],
    ['let is recursive', 'let a = b; b = 1; in a', ['b:let', 'a:let']],
    ['undefined name', 'let a = 1; in b', ['b:undefined']],
    ['lambda argument', 'x: x', ['x:lambda-arg']],
    ['formals and defaults see each other', '{ a ? b, b }: a', ['b:formal', 'a:formal']],
    ['@ name before formals', 'args@{ a }: args', ['args:pattern-name']],
    ['@ name after formals', '{ a }@args: args.a', ['args:pattern-name']],
    ['attribute keys and select paths are not uses', '{ a = 1; }.a', []],
    ['has-attr paths are not uses', 'x: x ? y', ['x:lambda-arg']],
    ['interpolated keys are uses', 'k: { ${k} = 1; "${k}x".y = 2; }', ['k:lambda-arg', 'k:lambda-arg']],
    ['interpolation in select path', 'k: x: x.${k}', ['x:lambda-arg', 'k:lambda-arg']],
    ['with makes unknown names dynamic', 'with {}; a', ['a:with']],
    ['with environment is outside the with', 'with a; b', ['a:undefined', 'b:with']],
    ['lexical binding beats with', 'a: with {}; a', ['a:lambda-arg']],
    ['lexical binding beats an inner with', 'let a = 1; in with { a = 2; }; a', ['a:let']],
    ['builtins are global and beat with', 'with {}; [ true null builtins map __curPos __getEnv ]', [
      'true:builtin', 'null:builtin', 'builtins:builtin', 'map:builtin', '__curPos:builtin', '__getEnv:builtin',
    ]],
    ['shadowing a builtin', 'let true = 1; in true', ['true:let']],
    ['rec members see each other', 'rec { a = b; b = 1; }', ['b:rec']],
    ['plain attrset does not bind', '{ a = 1; b = a; }', ['a:undefined']],
    ['rec dynamic keys resolve inside the rec', 'rec { a = "x"; ${a} = 1; }', ['a:rec']],
    ['inherit in let uses the outer scope', 'x: let inherit x; in x', ['x:lambda-arg', 'x:inherit']],
    ['inherit of itself is undefined', 'let inherit a; in a', ['a:undefined', 'a:inherit']],
    ['inherit in rec uses the outer scope', 'a: rec { inherit a; b = a; }', ['a:lambda-arg', 'a:rec']],
    ['inherit in plain attrset is a use', 'a: { inherit a; }', ['a:lambda-arg']],
    ['inherit-from source sees the let', 'let s = {}; inherit (s) a; in a', ['s:let', 'a:inherit-from']],
    ['legacy let', 'let { a = 1; body = a; }', ['a:legacy-let']],
    ['nested attrpath binds the first name', 'let a.b = 1; a.c = 2; in a', ['a:let']],
    ['quoted let key', 'let "a" = 1; in a', ['a:let']],
    ['nested with stays dynamic', 'with a; with b; c', ['a:undefined', 'b:with', 'c:with']],
    ['with whose body is a let', 'with {}; let a = 1; in a + b', ['a:let', 'b:with']],
  ];
  for (const [title, text, expected] of cases) {
    it(title, () => {
      expect(resolutions(text)).toEqual(expected);
    });
  }
});

describe('scope analysis: declarations and owners', () => {
  it('classifies declarations', () => {
    const result = scopesOf('{ a, ... }@p: b: let c = 1; inherit b; inherit (p) d; in rec { e = c; } // let { body = 1; }');
    expect(result.declarations.map((d) => `${d.name}:${d.kind}:${d.scope.kind}`)).toEqual([
      'a:formal:lambda',
      'p:pattern-name:lambda',
      'b:lambda-arg:lambda',
      'c:let:let',
      'b:inherit:let',
      'd:inherit-from:let',
      'e:rec:rec',
      'body:legacy-let:legacy-let',
    ]);
  });

  it('marks declarations made by inherit', () => {
    const result = scopesOf('x: let inherit x; inherit (x) y; z = 1; in rec { inherit z; }');
    expect(result.declarations.map((d) => `${d.name}:${d.inherited === true}`)).toEqual([
      'x:false',
      'x:true',
      'y:true',
      'z:false',
      'z:true',
    ]);
  });

  it('records owners: the innermost let/inherit binding whose value holds the reference', () => {
    const result = scopesOf('x: let a = let b = x; in b; inherit (x) c d; in { inherit a; }');
    const owners = result.references.map((r) => `${r.name}<${r.owners.map((o) => o.name).join(',')}>`);
    expect(owners).toEqual(['x<b>', 'b<a>', 'x<c,d>', 'a<>']);
  });

  it('formal defaults are owned by their formal; rec values are transparent', () => {
    const result = scopesOf('let z = 1; in { a ? z }: let r = rec { q = z; }; in a');
    expect(result.references.map((r) => `${r.name}<${r.owners.map((o) => o.name).join(',')}>`)).toEqual([
      'z<a>',
      'z<r>',
      'a<>',
    ]);
  });

  it('usesOf lists the references of a declaration', () => {
    const text = 'let a = 1; b = a + a; in b';
    const result = scopesOf(text);
    const a = result.declarations.find((d) => d.name === 'a')!;
    const first = text.indexOf('a + a');
    expect(result.usesOf(a).map((r) => r.range.start)).toEqual([first, first + 4]);
  });

  it('records dynamic let/rec bindings', () => {
    const result = scopesOf('k: let ${k} = 1; in rec { "${k}" = 2; }');
    expect(result.dynamicBindings).toHaveLength(2);
  });

  it('scopeAt finds the innermost scope', () => {
    const text = 'x: let a = y: y; in with x; a';
    const result = scopesOf(text);
    expect(result.scopeAt(text.indexOf('y: y') + 3).kind).toBe('lambda');
    expect(result.scopeAt(text.lastIndexOf('a')).kind).toBe('with');
    expect(result.scopeAt(text.indexOf('with')).kind).toBe('let');
    expect(result.scopeAt(0).kind).toBe('lambda');
  });

  it('is usable as a shared Analysis', () => {
    expect(scopeAnalysis.name).toBe('core/scope');
    expect(scopeAnalysis.compute(new SourceFile('a.nix', 'a')).references[0]!.resolution).toBeUndefined();
  });

  it('handles 20,000 levels of nesting without recursion', () => {
    const depth = 20_000;
    const text = 'let a = 1; in ' + 'x: '.repeat(depth) + '['.repeat(depth) + 'a' + ']'.repeat(depth);
    const result = scopesOf(text);
    expect(result.scopes).toHaveLength(depth + 2);
    expect(describeResolution(result.references[0]!)).toBe('let');
  });
});
