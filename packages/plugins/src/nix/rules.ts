import { nixErrorRule } from './report.js';

export const undefinedVariable = nixErrorRule(
  'undefined-variable',
  'A variable is used that no let, function argument, rec attribute, builtin or enclosing `with` defines.',
  {
    explanation:
      'Nix resolves names while parsing and rejects the whole file when one is unbound. Only names under a ' +
      '`with` are exempt (they are looked up at evaluation). Usually a typo or a missing function argument. ' +
      'Files loaded with `scopedImport` get names from their loader instead: divnix/std loads its cell blocks with ' +
      '`scopedImport { inherit inputs cell; }`. A file that is not a function and whose only unbound names are ' +
      'among `scopedImportNames` (default `["inputs", "cell"]`; `[]` turns this off) is taken as such a file and ' +
      'not reported. Names a loader always provides can also be listed in `globals`.',
    bad: '{ lib }: lib.mkIf enable { }',
    good: '{ lib, enable }: lib.mkIf enable { }',
  },
  { globals: [], scopedImportNames: ['inputs', 'cell'] },
);

export const duplicateAttribute = nixErrorRule(
  'duplicate-attribute',
  'An attribute is defined twice in the same attribute set or let.',
  {
    explanation:
      'Nix merges `a.b = 1; a.c = 2;` and `a = { b = 1; }; a.c = 2;` (attribute set literals merge), but any ' +
      'other second definition of a name is a parse error. Remove one definition or merge them.',
    bad: '{ a = 1; a = 2; }',
    good: '{ a = 1; b = 2; }',
  },
);

export const duplicateFormal = nixErrorRule(
  'duplicate-formal',
  'A function lists the same argument twice (or its @ name repeats an argument).',
  {
    explanation: 'Each name in `{ ... }:` must be unique, and the `@` name must differ from all of them.',
    bad: '{ pkgs, lib, pkgs }: lib',
    good: '{ pkgs, lib }: lib',
  },
);

export const dynamicInherit = nixErrorRule('dynamic-inherit', '`inherit` lists a computed name.', {
  explanation:
    '`inherit` only takes plain names (or constant strings). For a computed name write `${name} = expr;`.',
  bad: 'x: { inherit (x) ${"a" + "b"}; }',
  good: 'x: { ${"a" + "b"} = x.${"a" + "b"}; }',
});

export const invalidInteger = nixErrorRule('invalid-integer', 'An integer literal does not fit in 64 bits.', {
  explanation: 'Nix integers are signed 64-bit: literals above 9223372036854775807 are rejected by the parser.',
  bad: '{ big = 9223372036854775808; }',
  good: '{ big = 9223372036854775807; }',
});
