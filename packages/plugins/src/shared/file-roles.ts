/**
 * What a file's path says about its role, where that changes whether a finding is worth reporting. The rules
 * differ on purpose in what they leave alone: a security rule skips tests and examples (fake credentials are the
 * point there), the Nix-language rules skip inputs that are rejected on purpose (parser test suites,
 * documentation snippets) but not examples (an example that does not parse is a bug), and the deprecated-syntax
 * rules skip only Nix's own language test cases.
 */
import { lastAnswer } from './last-answer.js';

/** A path's directory names and its file name (`/` or `\` separated). */
function partsOf(path: string): { directories: string[]; base: string } {
  const directories = path.split(/[\\/]/);
  const base = directories.pop() ?? '';
  return { directories, base };
}

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
 * test's `testScript` in its text (pass '' when the text is not at hand).
 */
export function isTestOrExample(path: string, text: string): boolean {
  if (testOrExamplePath(path)) return true;
  // Several rules of a file ask with the same text (the same string, so `===` is a pointer comparison).
  if (text !== lastVmTestText) {
    lastVmTestText = text;
    lastVmTest = text.includes('testScript') && VM_TEST.test(text);
  }
  return lastVmTest;
}
let lastVmTestText: string | undefined;
let lastVmTest = false;

/** The path half of isTestOrExample; every rule of a file asks the same, so the last answer is kept. */
const testOrExamplePath = lastAnswer((path: string): boolean => {
  const { directories, base } = partsOf(path);
  return directories.some((dir) => TEST_DIRECTORY.test(dir)) || TEST_FILE.test(base.replace(/\.nix$/, ''));
});

/** Documentation directories (`docs/`, `doc/`): snippets there show the shape of a call, not working code. */
const DOCS_DIRECTORY = /^docs?$/i;

/** True for a file under a documentation directory. */
export function isDocumentation(path: string): boolean {
  return partsOf(path).directories.some((dir) => DOCS_DIRECTORY.test(dir));
}

/**
 * Where files that Nix rejects are usually rejected on purpose: the inputs of parser, formatter and error-message
 * test suites (NixOS/nix's `tests/functional/lang/parse-fail-*.nix`, nixfmt's `test/`, devenv's
 * `tests/syntax-error/`) and partial snippets kept as documentation (`docs/`).
 */
const DELIBERATE_INPUT_DIRECTORY = /^(tests?|testdata|test-?cases|golden|docs?)$/i;
/** Nix's own naming of expected failures: `parse-fail-*.nix`, `eval-fail-*.nix`. */
const EXPECTED_FAILURE_FILE = /(^|[-_.])(parse|eval)-fail([-_.]|$)/i;

/** True for a file in a test suite's or documentation's directory, or named as an expected failure. */
export const isDeliberateNixInput = lastAnswer((path: string): boolean => {
  const { directories, base } = partsOf(path);
  return directories.some((dir) => DELIBERATE_INPUT_DIRECTORY.test(dir)) || EXPECTED_FAILURE_FILE.test(base);
});

/**
 * Nix's own language test suite (`tests/functional/lang/eval-okay-*.nix`, `parse-fail-*.nix`, ...) keeps
 * deprecated syntax on purpose: its files are the cases that prove the syntax still parses.
 */
const LANGUAGE_TEST_CASE = /^(parse|eval)-(okay|fail)-/;

/** True for a case of Nix's language test suite, by its file name. */
export const isLanguageTestCase = lastAnswer((path: string): boolean => LANGUAGE_TEST_CASE.test(partsOf(path).base));
