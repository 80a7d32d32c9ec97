import type { SyntaxNode } from '@nixforge/core';
import { ruleDocsUrl } from './docs-url.js';
import { settingRule } from './setting-rule.js';
import { isTestOrExample } from '../shared/file-roles.js';
import { isBoolean, literalString, unparen } from './syntax.js';

/**
 * Machines of tests are throwaway: NixOS VM tests (`testScript`) and test suites turn the sandbox, the firewall or
 * SSH hardening off on purpose. Such files are skipped unless `includeTests` is set.
 */
const TEST_MACHINES_NOTE =
  ' Test files (`tests/`, `test.nix`, NixOS VM tests with `testScript`) configure throwaway machines and are ' +
  'skipped unless the option `includeTests` is true.';
const skipsTests = (context: { options: Record<string, unknown>; filename: string; sourceText: string }): boolean =>
  context.options.includeTests !== true && isTestOrExample(context.filename, context.sourceText);

/** A check that reports `messageId` when the value is the boolean `expected`. */
const when = <MessageId extends string>(expected: boolean, messageId: MessageId) => (value: SyntaxNode, text: string) =>
  isBoolean(value, text, expected) ? { messageId } : undefined;

/** `nix.settings.sandbox = false` and derivations with `__noChroot = true`. */
export const sandboxDisabled = settingRule(
  {
    description: 'The Nix build sandbox is turned off.',
    severity: 'error',
    messages: {
      sandboxDisabled: 'the Nix build sandbox is disabled',
      noChroot: '`__noChroot` builds this derivation outside the sandbox',
    },
    docs: {
      explanation:
        'Without the sandbox, builders see the network and the whole file system of the build machine: builds ' +
        'become impure and a malicious build can read secrets or tamper with the host. Keep `sandbox = true` ' +
        '(the default); a derivation that needs the network should be a fixed-output derivation.' + TEST_MACHINES_NOTE,
      bad: '{ nix.settings.sandbox = false; }',
      good: '{ nix.settings.sandbox = true; }',
      url: ruleDocsUrl('security', 'sandbox-disabled'),
    },
    defaultOptions: { includeTests: false },
  },
  [
    { path: ['nix', 'settings', 'sandbox'], check: when(false, 'sandboxDisabled') },
    { path: ['nix', 'useSandbox'], check: when(false, 'sandboxDisabled') },
    { path: ['__noChroot'], check: when(true, 'noChroot') },
  ],
  skipsTests,
);

/** `allowUnfree = true` in a nixpkgs config. */
export const allowUnfree = settingRule(
  {
    description: 'Unfree packages are allowed for the whole package set.',
    severity: 'info',
    messages: { allUnfreeAllowed: 'all unfree packages are allowed: list them with `allowUnfreePredicate`' },
    docs: {
      explanation:
        'A global `allowUnfree = true` lets any unfree package in, including ones nobody reviewed the license ' +
        'of, and their source usually cannot be audited. Prefer `allowUnfreePredicate` listing the packages ' +
        'you accept.',
      bad: '{ nixpkgs.config.allowUnfree = true; }',
      good: '{ nixpkgs.config.allowUnfreePredicate = pkg: builtins.elem (pkg.pname or "") [ "steam" ]; }',
      url: ruleDocsUrl('security', 'allow-unfree'),
    },
  },
  [{ path: ['allowUnfree'], check: when(true, 'allUnfreeAllowed') }],
);

/** `permittedInsecurePackages` and `allowInsecurePredicate`. */
export const insecurePackages = settingRule(
  {
    description: 'Packages marked insecure by nixpkgs are allowed.',
    severity: 'warning',
    messages: {
      insecurePackagesPermitted: 'packages with known vulnerabilities are permitted',
      insecurePredicate: 'a predicate permits packages with known vulnerabilities',
    },
    docs: {
      explanation:
        'nixpkgs marks packages with known, unfixed vulnerabilities as insecure and refuses to build them. ' +
        '`permittedInsecurePackages` and `allowInsecurePredicate` override that; every entry should be ' +
        'temporary and reviewed. Upgrade or replace the package instead.',
      bad: '{ nixpkgs.config.permittedInsecurePackages = [ "openssl-1.1.1w" ]; }',
      good: '{ nixpkgs.config.permittedInsecurePackages = [ ]; }',
      url: ruleDocsUrl('security', 'insecure-packages'),
    },
  },
  [
    {
      path: ['permittedInsecurePackages'],
      check: (value) =>
        value.type === 'list_expression' && value.namedChildren.length === 0
          ? undefined
          : { messageId: 'insecurePackagesPermitted' },
    },
    { path: ['allowInsecurePredicate'], check: () => ({ messageId: 'insecurePredicate' }) },
  ],
);

/** `services.openssh.settings.PermitRootLogin = "yes"`. */
export const permitRootLogin = settingRule(
  {
    description: 'SSH allows root to log in with a password.',
    severity: 'warning',
    messages: { rootPasswordLogin: 'root may log in over SSH with a password' },
    docs: {
      explanation:
        '`PermitRootLogin = "yes"` lets anyone who guesses or steals the root password log in remotely. Use ' +
        '`"prohibit-password"` (keys only) or `"no"` and a normal user with sudo.' + TEST_MACHINES_NOTE,
      bad: '{ services.openssh.settings.PermitRootLogin = "yes"; }',
      good: '{ services.openssh.settings.PermitRootLogin = "prohibit-password"; }',
      url: ruleDocsUrl('security', 'permit-root-login'),
    },
    defaultOptions: { includeTests: false },
  },
  [
    ['services', 'openssh', 'settings', 'PermitRootLogin'],
    ['services', 'openssh', 'permitRootLogin'],
  ].map((path) => ({
    path,
    check: (value: SyntaxNode, text: string) =>
      literalString(value, text) === 'yes' ? { messageId: 'rootPasswordLogin' as const } : undefined,
  })),
  skipsTests,
);

/** `services.openssh.settings.PasswordAuthentication = true`. */
export const passwordAuthentication = settingRule(
  {
    description: 'SSH accepts password logins.',
    severity: 'warning',
    messages: { passwordLogin: 'SSH password logins are enabled' },
    docs: {
      explanation:
        'Password authentication exposes every account to online guessing. Use keys ' +
        '(`users.users.<name>.openssh.authorizedKeys.keys`) and set `PasswordAuthentication = false`.' + TEST_MACHINES_NOTE,
      bad: '{ services.openssh.settings.PasswordAuthentication = true; }',
      good: '{ services.openssh.settings.PasswordAuthentication = false; }',
      url: ruleDocsUrl('security', 'password-authentication'),
    },
    defaultOptions: { includeTests: false },
  },
  [
    ['services', 'openssh', 'settings', 'PasswordAuthentication'],
    ['services', 'openssh', 'passwordAuthentication'],
  ].map((path) => ({ path, check: when(true, 'passwordLogin') })),
  skipsTests,
);

/** `networking.firewall.enable = false`. */
export const firewallDisabled = settingRule(
  {
    description: 'The NixOS firewall is turned off.',
    severity: 'warning',
    messages: { firewallDisabled: 'the firewall is disabled' },
    docs: {
      explanation:
        'With the firewall disabled every listening service is reachable from the network, including ones ' +
        'meant to be local. Keep it enabled and open ports with `networking.firewall.allowedTCPPorts`.' + TEST_MACHINES_NOTE,
      bad: '{ networking.firewall.enable = false; }',
      good: '{ networking.firewall.allowedTCPPorts = [ 443 ]; }',
      url: ruleDocsUrl('security', 'firewall-disabled'),
    },
    defaultOptions: { includeTests: false },
  },
  [{ path: ['networking', 'firewall', 'enable'], check: when(false, 'firewallDisabled') }],
  skipsTests,
);

/** `security.sudo.wheelNeedsPassword = false`. */
export const sudoWithoutPassword = settingRule(
  {
    description: 'Members of wheel can become root without a password.',
    severity: 'warning',
    messages: { passwordlessRoot: 'wheel users become root without a password' },
    docs: {
      explanation:
        'Any process running as a wheel user (a compromised browser, a malicious dependency) can become root ' +
        'silently. Keep `wheelNeedsPassword = true`, or allow specific commands with `security.sudo.extraRules`.' + TEST_MACHINES_NOTE,
      bad: '{ security.sudo.wheelNeedsPassword = false; }',
      good: '{ security.sudo.wheelNeedsPassword = true; }',
      url: ruleDocsUrl('security', 'sudo-without-password'),
    },
    defaultOptions: { includeTests: false },
  },
  [
    ['security', 'sudo', 'wheelNeedsPassword'],
    ['security', 'sudo-rs', 'wheelNeedsPassword'],
    ['security', 'doas', 'wheelNeedsPassword'],
  ].map((path) => ({ path, check: when(false, 'passwordlessRoot') })),
  skipsTests,
);

const isStringLiteral = (value: SyntaxNode): boolean => {
  const target = unparen(value);
  return target?.type === 'string_expression' || target?.type === 'indented_string_expression';
};

/**
 * A value the service fills in at run time rather than a password: an environment variable
 * (`"$SYNCTHING_PASSWORD"`, `"\${DB_PASS}"`, substituted from an environment file) or a file or variable
 * reference (`"$__file{/run/secrets/x}"`, `"$__env{X}"` in Grafana). Password hashes (`$6$…`, `$y$…`) are
 * not placeholders.
 */
const FILE_REFERENCE = /^(?:\\|'')?\$__(?:file|env|vault)\{/;
const ENVIRONMENT_VARIABLE = /^(?:\\|'')?\$(?:[A-Za-z_]\w*|\{[A-Za-z_]\w*\})$/;

function isRuntimePlaceholder(value: SyntaxNode, text: string): boolean {
  const target = unparen(value);
  if (!target) return false;
  const body = text.slice(target.startIndex, target.endIndex).replace(/^(''|")/, '').replace(/(''|")$/, '').trim();
  return FILE_REFERENCE.test(body) || ENVIRONMENT_VARIABLE.test(body);
}

/** Literal `password`, `initialPassword` and `hashedPassword` values. */
export const literalPassword = settingRule(
  {
    description: 'A password (or password hash) is written literally in the configuration.',
    severity: 'error',
    messages: { literalPassword: 'literal `{{name}}`: it lands in the world-readable Nix store' },
    docs: {
      explanation:
        'Everything in a Nix expression ends up in the world-readable /nix/store and usually in version control. ' +
        'Use `hashedPasswordFile` pointing outside the store (e.g. managed by sops-nix or agenix), or set the ' +
        'password imperatively with `passwd`. Tests, fixtures and examples (`tests/`, `examples/`, `*test*.nix`, ' +
        'NixOS VM tests with `testScript`) use fake passwords on purpose and are skipped unless the option ' +
        '`includeTests` is true.',
      bad: '{ users.users.alice.initialPassword = "hunter2"; }',
      good: '{ users.users.alice.hashedPasswordFile = "/run/secrets/alice-password"; }',
      url: ruleDocsUrl('security', 'literal-password'),
    },
    defaultOptions: { includeTests: false },
  },
  ['password', 'initialPassword', 'hashedPassword', 'initialHashedPassword'].map((name) => ({
    path: [name],
    check: (value: SyntaxNode, text: string) =>
      isStringLiteral(value) && !isRuntimePlaceholder(value, text) ? { messageId: 'literalPassword' as const, data: { name } } : undefined,
  })),
  skipsTests,
);
