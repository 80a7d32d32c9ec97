import { afterAll, describe, expect, it } from 'vitest';
import {
  attributeValue,
  attrName,
  attrPathNames,
  attrsetBindings,
  bindingsOf,
  callAt,
  captured,
  childOfType,
  field,
  hasAttribute,
  isBoolean,
  lastName,
  literalPath,
  literalString,
  operatorOf,
  Query,
  rangeOf,
  referencePath,
  SourceFile,
  stringValue,
  textOf,
  unparen,
  variableName,
  type SyntaxNode,
} from '../src/index.js';

const sources: SourceFile[] = [];
afterAll(() => sources.forEach((source) => source.dispose()));

/** Parses `text` and returns its nodes of `type` in document order, with the text to read them from. */
function nodes(text: string, type: string): { all: SyntaxNode[]; first: SyntaxNode; text: string } {
  const source = new SourceFile('t.nix', text);
  sources.push(source);
  const all = source.tree.rootNode.descendantsOfType(type);
  if (all.length === 0) throw new Error(`no ${type} in ${text}`);
  return { all, first: all[0]!, text };
}

describe('node helpers', () => {
  it('field, childOfType, unparen, textOf, rangeOf', () => {
    const { first: apply, text } = nodes('f (( x ))', 'apply_expression');
    expect(textOf(field(apply, 'function')!, text)).toBe('f');
    expect(field(apply, 'nonexistent')).toBeUndefined();
    const argument = field(apply, 'argument')!;
    expect(argument.type).toBe('parenthesized_expression');
    expect(textOf(unparen(argument)!, text)).toBe('x');
    expect(unparen(null)).toBeNull();
    expect(unparen(undefined)).toBeNull();
    expect(rangeOf(argument)).toEqual({ start: 2, end: 9 });
    const { first: letIn } = nodes('let a = 1; in a', 'let_expression');
    expect(childOfType(letIn, 'in')?.startIndex).toBe(11);
    expect(childOfType(letIn, 'with')).toBeUndefined();
  });

  it('operatorOf reads the operator token of binary, unary and has-attr expressions', () => {
    expect(operatorOf(nodes('a == b', 'binary_expression').first)).toBe('==');
    expect(operatorOf(nodes('!a', 'unary_expression').first)).toBe('!');
    expect(operatorOf(nodes('a ? b', 'has_attr_expression').first)).toBe('?');
    expect(operatorOf(nodes('a', 'variable_expression').first)).toBe('');
  });

  it('captured finds a capture of a query match by name', () => {
    const source = new SourceFile('t.nix', '{ a = 1; }');
    sources.push(source);
    const [match] = new Query('(binding attrpath: (_) @key expression: (_) @value)').matches(source.tree.rootNode);
    expect(textOf(captured(match!, 'value')!, source.text)).toBe('1');
    expect(captured(match!, 'missing')).toBeUndefined();
  });
});

describe('string helpers', () => {
  it('stringValue decodes escapes up to the first interpolation', () => {
    const read = (code: string) => {
      const { first, text } = nodes(`{ x = ${code}; }`, 'binding');
      return stringValue(field(first, 'expression')!, text);
    };
    expect(read('"a\\nb\\"c"')).toEqual({ prefix: 'a\nb"c', complete: true });
    expect(read('"https://${host}/x"')).toEqual({ prefix: 'https://', complete: false });
    expect(read("''a''$b'''c''\\n''")).toEqual({ prefix: "a$b''c\n", complete: true });
    expect(read('("p")')).toEqual({ prefix: 'p', complete: true });
    expect(read('1')).toBeUndefined();
  });

  it('literalString is the value of a string without interpolation', () => {
    const { all, text } = nodes('[ "a" "${b}" c ]', 'list_expression');
    const [a, b, c] = all[0]!.namedChildren;
    expect(literalString(a!, text)).toBe('a');
    expect(literalString(b!, text)).toBeUndefined();
    expect(literalString(c!, text)).toBeUndefined();
    expect(literalString(null, text)).toBeUndefined();
    expect(literalString(field(a!, 'nonexistent'), text)).toBeUndefined();
  });

  it('literalPath is the text of a path literal without interpolation', () => {
    const { all, text } = nodes('[ ./a/b.nix (./c) ./${d}.nix "e" ]', 'list_expression');
    expect(all[0]!.namedChildren.map((item) => literalPath(item, text))).toEqual(['./a/b.nix', './c', undefined, undefined]);
  });
});

describe('attribute set helpers', () => {
  const text = '{ a = 1; b.c = 2; "d" = 3; ${e} = 4; inherit f; inherit (g) h; /* k */ i = 5; }';

  it('attrName and attrPathNames read static names, undefined when dynamic', () => {
    const { all } = nodes(text, 'attrpath');
    expect(all.map((attrpath) => attrPathNames(attrpath, text))).toEqual([['a'], ['b', 'c'], ['d'], undefined, ['i']]);
    expect(attrName(all[2]!.namedChildren[0]!, text)).toBe('d');
    expect(attrPathNames(null, text)).toBeUndefined();
  });

  it('bindingsOf lists the bindings of attrsets and lets', () => {
    expect(bindingsOf(nodes(text, 'attrset_expression').first).map((b) => b.type)).toEqual([
      'binding', 'binding', 'binding', 'binding', 'inherit', 'inherit_from', 'binding',
    ]);
    expect(bindingsOf(nodes('let x = 1; y = 2; in x', 'let_expression').first)).toHaveLength(2);
    expect(bindingsOf(nodes('{ }', 'attrset_expression').first)).toEqual([]);
  });

  it('attrsetBindings gives the static bindings in order, inherits name by name', () => {
    const set = nodes(text, 'attrset_expression').first;
    const bindings = attrsetBindings(set, text);
    expect(bindings.map((b) => [b.names, textOf(b.key, text), b.value && textOf(b.value, text)])).toEqual([
      [['a'], 'a', '1'],
      [['b', 'c'], 'b.c', '2'],
      [['d'], '"d"', '3'],
      [['f'], 'f', undefined],
      [['h'], 'h', undefined],
      [['i'], 'i', '5'],
    ]);
    expect(attrsetBindings(nodes('(rec { x = 1; })', 'parenthesized_expression').first, '(rec { x = 1; })')).toHaveLength(1);
    expect(attrsetBindings(nodes('[ ]', 'list_expression').first, '[ ]')).toEqual([]);
  });

  it('hasAttribute and attributeValue look up a top-level name', () => {
    const set = nodes(text, 'attrset_expression').first;
    expect(['a', 'b', 'd', 'e', 'f', 'h', 'g', 'c'].map((name) => hasAttribute(set, text, name))).toEqual([
      true, true, true, false, true, true, false, false,
    ]);
    expect(textOf(attributeValue(set, text, 'a')!, text)).toBe('1');
    expect(attributeValue(set, text, 'b')).toBeUndefined(); // only `b.c` is bound
    expect(attributeValue(set, text, 'f')).toBeUndefined(); // inherited: no value node
  });
});

describe('reference and call helpers', () => {
  it('variableName reads a variable, undefined for anything else', () => {
    const { all, text } = nodes('[ x y.z ]', 'list_expression');
    expect(all[0]!.namedChildren.map((item) => variableName(item, text))).toEqual(['x', undefined]);
    expect(variableName(undefined, text)).toBeUndefined();
  });

  it('referencePath spells plain references, lastName takes the last name', () => {
    const text = '[ fetchurl builtins.fetchurl (pkgs."a b".c) a.${b} a.b or c (f x).y ]';
    const { all } = nodes(text, 'list_expression');
    const paths = all[0]!.namedChildren.map((item) => referencePath(item, text));
    expect(paths).toEqual([['fetchurl'], ['builtins', 'fetchurl'], ['pkgs', 'a b', 'c'], undefined, undefined, undefined]);
    expect(paths.map(lastName)).toEqual(['fetchurl', 'fetchurl', 'c', undefined, undefined, undefined]);
  });

  it('isBoolean matches `true` and `false` by name', () => {
    const { all, text } = nodes('[ true false (true) "true" ]', 'list_expression');
    const items = all[0]!.namedChildren;
    expect(items.map((item) => isBoolean(item, text, true))).toEqual([true, false, true, false]);
    expect(items.map((item) => isBoolean(item, text, false))).toEqual([false, true, false, false]);
    expect(isBoolean(undefined, text, true)).toBe(false);
  });

  it('callAt reads a call once, from its innermost application', () => {
    const text = 'f a (g b) c';
    const { all } = nodes(text, 'apply_expression');
    const calls = all.map(callAt).filter((call) => call !== undefined);
    expect(calls.map((call) => [textOf(call.node, text), textOf(call.callee, text), call.args.map((arg) => textOf(arg, text))])).toEqual([
      ['f a (g b) c', 'f', ['a', '(g b)', 'c']],
      ['g b', 'g', ['b']],
    ]);
  });
});
