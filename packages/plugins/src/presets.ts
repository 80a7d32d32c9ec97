import type { Plugin, PresetMembership, Rule, Severity } from '@nixforge/core';

/**
 * The level and preset membership of one built-in rule, and why. Levels mean: `error` = Nix rejects it, or it
 * is certainly broken or insecure; `warning` = very likely a bug or a real risk; `info` = style or idiom.
 */
export interface RuleCalibration {
  level: Severity;
  /** Presets besides `all`; `recommended` implies `strict`. `[]`: only in `all`. */
  presets: readonly PresetMembership[];
  /** One line: why this level (and, where it is not in `recommended`, why not). */
  reason: string;
  /** Former ids that keep working in configuration and suppressions. */
  aliases?: readonly string[];
  tags?: readonly string[];
  /** Calibrated defaults of the rule's options, merged over the rule's own `defaultOptions`. */
  options?: Readonly<Record<string, unknown>>;
}

const R = ['recommended'] as const;
const S = ['strict'] as const;
const STYLE = ['style'] as const;

/**
 * Every built-in rule's level, presets and reason: the one place they are decided (rule files keep their
 * logic). The precision behind each choice is measured by `npm run precision` over fixtures/labels/.
 */
export const RULE_CALIBRATION: Readonly<Record<string, RuleCalibration>> = {
  'nix/syntax-error': {
    level: 'error',
    presets: R,
    reason: 'Nix refuses to parse the file. Pipe operators (`|>`) are accepted: nobody writes them without the pipe-operators feature.',
    options: { allowPipeOperators: true },
  },
  'nix/undefined-variable': { level: 'error', presets: R, reason: 'Nix rejects the file while parsing (`undefined variable`); checked against nix-instantiate.' },
  'nix/duplicate-attribute': { level: 'error', presets: R, reason: 'Nix rejects the file (`attribute already defined`).' },
  'nix/duplicate-formal': { level: 'error', presets: R, reason: 'Nix rejects the file (`duplicate formal function argument`).' },
  'nix/dynamic-inherit': { level: 'error', presets: R, reason: 'Nix rejects the file (`dynamic attributes not allowed in inherit`).' },
  'nix/invalid-integer': { level: 'error', presets: R, reason: 'Nix rejects the file (`invalid integer`).' },

  'dead-code/unused-let': { level: 'info', presets: R, reason: 'Dead code, never wrong on the labels; a `let` whose use is commented out is left alone (the labeled noise); a cleanup, not a bug, so info.' },
  'dead-code/unused-lambda-arg': { level: 'info', presets: [], reason: '1 of 25 labeled findings useful: most are fixed-arity callbacks (`mapAttrs (n: v: …)`, `final: prev:`); only in `all`.' },
  'dead-code/unused-formal': {
    level: 'info',
    presets: R,
    reason: 'With deadnix-like safe defaults (no module arguments, callPackage package formals, `@args` forwarding, entry-point or closed-callback arguments) every labeled finding is right; the 40 labeled interface findings are no longer reported. Cleanup, so info.',
  },
  'dead-code/unused-pattern-name': { level: 'info', presets: S, reason: 'Right when reported (3 of 3), but removing an `@` name is cleanup.' },

  'security/unpinned-fetcher': { level: 'warning', presets: R, reason: 'What an unpinned fetch downloads can change under you: a real supply-chain risk.' },
  'security/insecure-url': { level: 'warning', presets: R, reason: 'Only downloads no hash protects (unpinned fetches, flake inputs) over http/git/ftp: a real risk. The 8 labeled FPs (test URLs, feed and sync URLs) and 1,228 hash-pinned mirror URLs of the corpus are no longer reported.' },
  'security/weak-hash': { level: 'warning', presets: [], reason: 'MD5/SHA-1 pins no longer prove the content, but 0 of 8 labeled findings were worth a warning (generated vendor files that copy upstream SHA-1s, a test of the rejection); only in `all`.' },
  'security/impure-builtin': { level: 'warning', presets: [], reason: '0 of 29 labeled findings useful: overridable `system ? builtins.currentSystem` defaults and deliberate impure code; only in `all`.' },
  'security/lookup-path': { level: 'warning', presets: [], reason: '0 of 12 labeled findings useful: `<nixpkgs>` defaults of non-flake entry points are the idiom; only in `all`.' },
  'security/builtins-exec': { level: 'error', presets: R, reason: 'Evaluation runs an arbitrary program: certainly insecure.' },
  'security/sandbox-disabled': { level: 'error', presets: R, reason: 'Builds run unsandboxed: certainly insecure.' },
  'security/allow-unfree': { level: 'info', presets: [], reason: 'A licence policy choice, not a defect; only in `all`.' },
  'security/insecure-packages': { level: 'warning', presets: [], reason: 'Allowing packages with known vulnerabilities is a risk, but 0 of 4 labeled findings were worth it (documented, deliberate exceptions and a test); only in `all`.' },
  'security/literal-password': { level: 'warning', presets: S, reason: 'A literal password lands in the world-readable store. Tests and run-time placeholders (`$ENV_VAR`, `$__file{…}`) are left alone now; the remaining labeled finding is the published password of a demo image, so strict.' },
  'security/permit-root-login': { level: 'warning', presets: R, reason: 'Root password logins over SSH are a real risk.' },
  'security/password-authentication': { level: 'info', presets: S, reason: 'Password SSH logins are a hardening choice that many hosts make deliberately.' },
  'security/firewall-disabled': { level: 'warning', presets: R, reason: 'A host without a firewall exposes every listening service.' },
  'security/sudo-without-password': { level: 'info', presets: S, reason: 'Passwordless sudo for wheel is a deliberate trade-off on single-user machines.' },
  'security/secret-in-store': { level: 'warning', presets: S, reason: 'The store is world-readable. Tests and public certificates (`ca-bundle.pem`) are left alone now; too few labeled findings remain to prove it, so strict.' },

  'performance/with-large-scope': { level: 'info', presets: STYLE, reason: 'File-wide `with lib;` hides where names come from (19 of 20 right): readability, so style.' },
  'performance/nested-with': { level: 'info', presets: [], reason: '`with types;` inside `with lib;` is idiomatic (0 of 15 labeled findings useful); only in `all`.' },
  'performance/unneeded-rec': { level: 'info', presets: STYLE, reason: 'Right outside generated files, but a needless `rec` costs nothing measurable: style.' },
  'performance/nixpkgs-reimport': { level: 'warning', presets: S, reason: 'A second nixpkgs doubles evaluation cost, but all 6 labeled findings were the `pkgs ? import <nixpkgs> { }` default, so strict.' },
  'performance/import-from-derivation': {
    level: 'warning',
    presets: S,
    reason: 'Evaluation blocks on a build, and `allow-import-from-derivation = false` (Hydra, flake checks) refuses it; but every IFD seen in the corpus (9: haskell.nix, poetry2nix, robotnix) is by design, so strict.',
    aliases: ['security/import-from-derivation'],
    tags: ['performance', 'security'],
  },
  'performance/quadratic-accumulation': { level: 'info', presets: [], reason: 'Quadratic only on long lists; 2 of 22 labeled folds were over caller-sized input; only in `all`.' },
  'performance/flatten-map': { level: 'info', presets: STYLE, reason: '`concatMap` is the idiom, but 5 of 27 labeled findings mapped to nested lists (not equivalent): style.' },
  'performance/length-zero': { level: 'info', presets: STYLE, reason: '`builtins.length` is O(1): comparing it with 0 is style, not performance.' },
  'performance/lib-over-builtin': { level: 'info', presets: STYLE, reason: 'The lib wrapper costs one extra call: style.' },
  'performance/deep-nesting': { level: 'info', presets: [], reason: 'A readability smell, rarely a defect; only in `all`.' },

  'lint/bool-comparison': { level: 'info', presets: STYLE, reason: 'Style, and wrong in type-test chains (10 of 30 labeled): opt-in.' },
  'lint/empty-let-in': { level: 'info', presets: STYLE, reason: 'An empty `let … in` does nothing: style.' },
  'lint/manual-inherit': { level: 'info', presets: STYLE, reason: '`x = x;` vs `inherit x;` is style.' },
  'lint/manual-inherit-from': { level: 'info', presets: STYLE, reason: '`x = s.x;` vs `inherit (s) x;` is style.' },
  'lint/legacy-let-syntax': { level: 'info', presets: R, reason: '`let { … }` is deprecated syntax that Nix may drop, but it still evaluates as written: an idiom to update, not a likely bug (the one labeled warning was a deliberate test input).' },
  'lint/collapsible-let-in': { level: 'info', presets: STYLE, reason: 'Two nested `let`s vs one is style.' },
  'lint/eta-reduction': { level: 'info', presets: STYLE, reason: '`x: f x` vs `f` is style (14 of 20 useful).' },
  'lint/useless-parens': { level: 'info', presets: STYLE, reason: 'Formatting; parentheses around `or` help reading (8 of 40 labeled useful): opt-in.' },
  'lint/empty-pattern': { level: 'info', presets: [], reason: '`{ ... }:` is the module convention (0 of 29 labeled useful); only in `all`.' },
  'lint/redundant-pattern-bind': { level: 'info', presets: STYLE, reason: '`{ ... }@args:` vs `args:` is style.' },
  'lint/unquoted-uri': { level: 'warning', presets: R, reason: 'Unquoted URIs are deprecated and rejected under the `no-url-literals` feature.' },
  'lint/empty-inherit': { level: 'info', presets: STYLE, reason: 'An `inherit;` that names nothing does nothing: style.' },
  'lint/deprecated-to-path': { level: 'warning', presets: [], reason: '`builtins.toPath` is deprecated and misleading, but 0 of 2 labeled uses were worth a warning (deliberate); only in `all`.' },
  'lint/bool-simplification': { level: 'info', presets: STYLE, reason: '`!(a == b)` vs `a != b` is style.' },
  'lint/useless-has-attr': { level: 'info', presets: STYLE, reason: '`if x ? a then x.a else d` vs `x.a or d` is style.' },
  'lint/repeated-keys': { level: 'info', presets: [], reason: 'Dotted option paths under one key are the normal NixOS style (0 of 25 useful); only in `all`.' },
  'lint/empty-list-concat': { level: 'info', presets: STYLE, reason: '`[] ++ xs` does nothing: style.' },
  'lint/deprecated-is-null': { level: 'info', presets: R, reason: '`isNull` is deprecated (15 of 15 right); it still works, so info.' },

  'deps/missing-input-lock': { level: 'warning', presets: S, reason: 'An unlocked input is not reproducible. Templates, examples, tests and tutorials (all labeled findings, and 40 of 40 in the corpus) are left alone now; no labeled finding remains to prove it, so strict.' },
  'deps/duplicate-nixpkgs': { level: 'info', presets: S, reason: 'Several nixpkgs in one lock cost download and evaluation time; sometimes deliberate.' },
  'deps/stale-input': { level: 'info', presets: [], reason: 'Measures the age of the locked revision, not whether a newer one exists: only in `all`.' },
  'deps/missing-import': { level: 'error', presets: S, reason: 'Evaluating a missing import fails. The 14 labeled FP/noise classes (argument defaults, pathExists guards, templates, files copied by tests, partial mirrors) are left alone now and the labeled findings left are right, but about a third of the corpus findings outside the labels are partial vendoring or generated files, so strict.' },
  'deps/import-cycle': { level: 'warning', presets: [], reason: '0 of 4 labeled cycles were a problem: lazy imports evaluate fine; only in `all`.' },
};

function calibrated(id: string, rule: Rule<any>): Rule<any> {
  const entry = RULE_CALIBRATION[id];
  if (!entry) return rule;
  const meta = { ...rule.meta, severity: entry.level, severityReason: entry.reason, presets: entry.presets };
  if (entry.aliases) meta.aliases = entry.aliases;
  if (entry.tags) meta.tags = entry.tags;
  if (entry.options) meta.defaultOptions = { ...(rule.meta.defaultOptions ?? {}), ...entry.options };
  return { ...rule, meta };
}

/** A built-in plugin with each rule's level, presets and reason taken from {@link RULE_CALIBRATION}. */
export function withCalibration(plugin: Plugin): Plugin {
  const rules: Plugin['rules'] = {};
  for (const [name, rule] of Object.entries(plugin.rules)) rules[name] = calibrated(`${plugin.name}/${name}`, rule);
  return { ...plugin, rules };
}
