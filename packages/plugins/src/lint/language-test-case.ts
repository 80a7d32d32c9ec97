/**
 * Nix's own language test suite (`tests/functional/lang/eval-okay-*.nix`, `parse-fail-*.nix`, ...) keeps
 * deprecated syntax on purpose: its files are the cases that prove the syntax still parses. Rules about
 * deprecated syntax leave them alone.
 */
const LANGUAGE_TEST_CASE = /^(parse|eval)-(okay|fail)-/;

export function isLanguageTestCase(path: string): boolean {
  return LANGUAGE_TEST_CASE.test(path.split(/[\\/]/).pop() ?? '');
}
