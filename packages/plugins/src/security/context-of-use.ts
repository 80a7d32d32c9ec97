import type { SyntaxNode } from '@nixforge/core';
import { ancestorsOf } from './syntax.js';

/**
 * Where code sits, as far as it changes whether a finding is worth reporting: test and example files use fake
 * credentials on purpose, and argument defaults are the overridable entry-point idiom.
 */

/**
 * Directories of tests, checks and examples (`tests/`, `nixos-tests/`, `test-assets/`, `examples/`). Not
 * `fixtures/`: linters keep their bad-code fixtures there, which are meant to be reported.
 */
const TEST_DIRECTORY = /^(tests?|checks?|nixos-tests|integration-tests|test-?assets|testsupport|__fixtures?|examples?|demos?)$/i;
/** File names of tests: `test.nix`, `vm-test.nix`, `tests-foo.nix`, `test-configurations.nix`. */
const TEST_FILE = /(^|[-_.])tests?([-_.]|$)/i;
/** NixOS VM tests say what they are: `testScript = ...` (with `nodes`/`machine`). */
const VM_TEST = /\btestScript\s*=/;

/**
 * True for a file of a test suite, a fixture or an example: by a directory or file name, or a NixOS VM
 * test's `testScript`.
 */
export function isTestOrExample(path: string, text: string): boolean {
  const segments = path.split(/[\\/]/);
  const base = segments.pop() ?? '';
  return segments.some((dir) => TEST_DIRECTORY.test(dir)) || TEST_FILE.test(base.replace(/\.nix$/, '')) || VM_TEST.test(text);
}

/**
 * True inside the default of a function argument, `{ system ? builtins.currentSystem, pkgs ? import <nixpkgs> { } }:`:
 * the caller can override it, and it is the accepted way for a non-flake entry point to have one at all.
 */
export function inArgumentDefault(node: SyntaxNode): boolean {
  for (const ancestor of ancestorsOf(node, 256)) {
    if (ancestor.type === 'formal') return true;
    // The default of a formal is inside the formals; the body of the function is not.
    if (ancestor.type === 'function_expression') return false;
  }
  return false;
}
