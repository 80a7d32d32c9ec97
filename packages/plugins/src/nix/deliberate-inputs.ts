/**
 * Where files that Nix rejects are usually rejected on purpose: the inputs of parser, formatter and error-message
 * test suites (NixOS/nix's `tests/functional/lang/parse-fail-*.nix`, nixfmt's `test/`, devenv's
 * `tests/syntax-error/`) and partial snippets kept as documentation (`docs/`). Examples are not among them: an
 * example that does not parse is a bug in the example.
 */
const DELIBERATE_INPUT_DIRECTORY = /^(tests?|testdata|test-?cases|golden|docs?)$/i;
/** Nix's own naming of expected failures: `parse-fail-*.nix`, `eval-fail-*.nix`. */
const EXPECTED_FAILURE_FILE = /(^|[-_.])(parse|eval)-fail([-_.]|$)/i;

/** True for a file in a test suite's or documentation's directory, or named as an expected failure. */
export function isDeliberateNixInput(path: string): boolean {
  const segments = path.split(/[\\/]/);
  const base = segments.pop() ?? '';
  return segments.some((dir) => DELIBERATE_INPUT_DIRECTORY.test(dir)) || EXPECTED_FAILURE_FILE.test(base);
}
