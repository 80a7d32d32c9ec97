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
}

const R = ['recommended'] as const;
const S = ['strict'] as const;
const STYLE = ['style'] as const;

/**
 * Every built-in rule's level, presets and reason: the one place they are decided (rule files keep their
 * logic). The precision behind each choice is measured by `npm run precision` over fixtures/labels/.
 */
export const RULE_CALIBRATION: Readonly<Record<string, RuleCalibration>> = {
  'nix/syntax-error': { level: 'error', presets: R, reason: 'Nix refuses to parse the file.' },
  'nix/undefined-variable': { level: 'error', presets: R, reason: 'Nix rejects the file while parsing (`undefined variable`).' },
  'nix/duplicate-attribute': { level: 'error', presets: R, reason: 'Nix rejects the file (`attribute already defined`).' },
  'nix/duplicate-formal': { level: 'error', presets: R, reason: 'Nix rejects the file (`duplicate formal function argument`).' },
  'nix/dynamic-inherit': { level: 'error', presets: R, reason: 'Nix rejects the file (`dynamic attributes not allowed in inherit`).' },
  'nix/invalid-integer': { level: 'error', presets: R, reason: 'Nix rejects the file (`invalid integer`).' },

  'dead-code/unused-let': { level: 'warning', presets: R, reason: 'A binding nobody reads is usually a leftover or a name that was meant to be used.' },
  'dead-code/unused-lambda-arg': { level: 'info', presets: STYLE, reason: 'Most unused positional arguments are fixed by the caller (`mapAttrs (n: v: …)`, `final: prev:`); renaming to `_n` is style.' },
  'dead-code/unused-formal': { level: 'info', presets: S, reason: 'Unused pattern names are mostly interface (callPackage, module arguments, forwarded `@args`); removing one is cleanup, not a fix.' },
  'dead-code/unused-pattern-name': { level: 'info', presets: S, reason: 'An unused `@` name is harmless; removing it is cleanup.' },

  'security/unpinned-fetcher': { level: 'warning', presets: R, reason: 'What an unpinned fetch downloads can change under you: a real supply-chain risk.' },
  'security/insecure-url': { level: 'warning', presets: R, reason: 'Plain http/git/ftp downloads can be tampered with; a fixed hash protects only the first fetch.' },
  'security/weak-hash': { level: 'warning', presets: R, reason: 'MD5 and SHA-1 collisions are practical: the pin no longer proves the content.' },
  'security/impure-builtin': { level: 'warning', presets: S, reason: 'The result depends on the machine or moment; overridable defaults (`system ? builtins.currentSystem`) are an accepted idiom, so not in recommended.' },
  'security/lookup-path': { level: 'warning', presets: S, reason: 'The result depends on NIX_PATH; entry-point defaults (`<nixpkgs>`) are an accepted idiom, so not in recommended.' },
  'security/builtins-exec': { level: 'error', presets: R, reason: 'Evaluation runs an arbitrary program: certainly insecure.' },
  'security/sandbox-disabled': { level: 'error', presets: R, reason: 'Builds run unsandboxed: certainly insecure.' },
  'security/allow-unfree': { level: 'info', presets: S, reason: 'A licence policy choice, not a defect.' },
  'security/insecure-packages': { level: 'warning', presets: R, reason: 'Packages nixpkgs marks insecure have known vulnerabilities.' },
  'security/literal-password': { level: 'warning', presets: R, reason: 'A literal password or hash ends up world-readable in the store; test fixtures use fake ones.' },
  'security/permit-root-login': { level: 'warning', presets: R, reason: 'Root password logins over SSH are a real risk.' },
  'security/password-authentication': { level: 'info', presets: S, reason: 'Password SSH logins are a hardening choice that many hosts make deliberately.' },
  'security/firewall-disabled': { level: 'warning', presets: R, reason: 'A host without a firewall exposes every listening service.' },
  'security/sudo-without-password': { level: 'info', presets: S, reason: 'Passwordless sudo for wheel is a deliberate trade-off on single-user machines.' },
  'security/secret-in-store': { level: 'warning', presets: R, reason: 'The Nix store is world-readable: a secret read into it is exposed to every local user.' },

  'performance/with-large-scope': { level: 'info', presets: STYLE, reason: 'Large `with` scopes hide where names come from; readability, not a measurable cost.' },
  'performance/nested-with': { level: 'info', presets: STYLE, reason: 'Nested `with` makes names ambiguous; style unless a name is actually shadowed.' },
  'performance/unneeded-rec': { level: 'info', presets: STYLE, reason: 'A needless `rec` costs nothing measurable; removing it is style.' },
  'performance/nixpkgs-reimport': { level: 'warning', presets: R, reason: 'A second nixpkgs instance doubles evaluation time and memory.' },
  'performance/import-from-derivation': {
    level: 'warning',
    presets: R,
    reason: 'Evaluation blocks on a build, and `allow-import-from-derivation = false` (Hydra, flake checks) refuses it.',
    aliases: ['security/import-from-derivation'],
    tags: ['performance', 'security'],
  },
  'performance/quadratic-accumulation': { level: 'warning', presets: S, reason: 'Quadratic time on long lists; harmless on the short lists most folds see.' },
  'performance/flatten-map': { level: 'info', presets: STYLE, reason: '`concatMap` is an idiom improvement; the saving is small.' },
  'performance/length-zero': { level: 'info', presets: STYLE, reason: '`builtins.length` is O(1): comparing it with 0 is style, not performance.' },
  'performance/lib-over-builtin': { level: 'info', presets: STYLE, reason: 'The lib wrapper costs one extra call: style.' },
  'performance/deep-nesting': { level: 'info', presets: S, reason: 'Deep nesting is a readability and stack-depth smell, rarely a defect.' },

  'lint/bool-comparison': { level: 'info', presets: STYLE, reason: '`x == true` is redundant when `x` is a boolean: style.' },
  'lint/empty-let-in': { level: 'info', presets: STYLE, reason: 'An empty `let … in` does nothing: style.' },
  'lint/manual-inherit': { level: 'info', presets: STYLE, reason: '`x = x;` vs `inherit x;` is style.' },
  'lint/manual-inherit-from': { level: 'info', presets: STYLE, reason: '`x = s.x;` vs `inherit (s) x;` is style.' },
  'lint/legacy-let-syntax': { level: 'warning', presets: R, reason: '`let { … }` is deprecated syntax that Nix may drop.' },
  'lint/collapsible-let-in': { level: 'info', presets: STYLE, reason: 'Two nested `let`s vs one is style.' },
  'lint/eta-reduction': { level: 'info', presets: STYLE, reason: '`x: f x` vs `f` is style (and changes strictness only in corner cases).' },
  'lint/useless-parens': { level: 'info', presets: STYLE, reason: 'Parentheses that change nothing are formatting.' },
  'lint/empty-pattern': { level: 'info', presets: STYLE, reason: '`{ ... }:` vs `_:` is style, and NixOS modules need the pattern.' },
  'lint/redundant-pattern-bind': { level: 'info', presets: STYLE, reason: '`{ ... }@args:` vs `args:` is style.' },
  'lint/unquoted-uri': { level: 'warning', presets: R, reason: 'Unquoted URIs are deprecated and rejected under the `no-url-literals` feature.' },
  'lint/empty-inherit': { level: 'info', presets: STYLE, reason: 'An `inherit;` that names nothing does nothing: style.' },
  'lint/deprecated-to-path': { level: 'warning', presets: R, reason: '`builtins.toPath` is deprecated and does not do what its name says.' },
  'lint/bool-simplification': { level: 'info', presets: STYLE, reason: '`!(a == b)` vs `a != b` is style.' },
  'lint/useless-has-attr': { level: 'info', presets: STYLE, reason: '`if x ? a then x.a else d` vs `x.a or d` is style.' },
  'lint/repeated-keys': { level: 'info', presets: STYLE, reason: 'Dotted option paths under one key are the normal NixOS style.' },
  'lint/empty-list-concat': { level: 'info', presets: STYLE, reason: '`[] ++ xs` does nothing: style.' },
  'lint/deprecated-is-null': { level: 'info', presets: STYLE, reason: '`isNull` still works; `== null` is the idiom.' },

  'deps/missing-input-lock': { level: 'warning', presets: R, reason: 'An unlocked input is resolved anew by every evaluation: not reproducible.' },
  'deps/duplicate-nixpkgs': { level: 'info', presets: S, reason: 'Several nixpkgs in one lock cost download and evaluation time; sometimes deliberate.' },
  'deps/stale-input': { level: 'info', presets: [], reason: 'Measures the age of the locked revision, not whether a newer one exists: only in `all`.' },
  'deps/missing-import': { level: 'error', presets: R, reason: 'Evaluating the import fails: the file does not exist.' },
  'deps/import-cycle': { level: 'warning', presets: S, reason: 'Import cycles usually recurse forever; lazy ones can be deliberate.' },
};

function calibrated(id: string, rule: Rule<any>): Rule<any> {
  const entry = RULE_CALIBRATION[id];
  if (!entry) return rule;
  const meta = { ...rule.meta, severity: entry.level, severityReason: entry.reason, presets: entry.presets };
  if (entry.aliases) meta.aliases = entry.aliases;
  if (entry.tags) meta.tags = entry.tags;
  return { ...rule, meta };
}

/** A built-in plugin with each rule's level, presets and reason taken from {@link RULE_CALIBRATION}. */
export function withCalibration(plugin: Plugin): Plugin {
  const rules: Plugin['rules'] = {};
  for (const [name, rule] of Object.entries(plugin.rules)) rules[name] = calibrated(`${plugin.name}/${name}`, rule);
  return { ...plugin, rules };
}
