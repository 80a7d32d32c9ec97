import { describe, expect, it } from 'vitest';
import security from '../src/security/index.js';
import { runRule } from './rule-harness.js';

/**
 * False-positive classes found on real repositories (issue 12): code each rule must leave alone, next to the
 * true positives it keeps. The path is part of each case: tests and examples are told apart by it.
 */
interface PrecisionCases {
  bad: Array<[path: string, code: string, count: number]>;
  good: Array<[path: string, code: string]>;
}

const CASES: Record<string, PrecisionCases> = {
  'literal-password': {
    bad: [
      ['hosts/web/configuration.nix', '{ users.users.root.initialPassword = "hunter2"; }', 1],
      ['modules/users.nix', '{ ... }: { users.users.alice.password = "x"; }', 1],
      // `latest` is no test directory, `contest.nix` no test file.
      ['latest/contest.nix', '{ users.users.alice.hashedPassword = "$6$x"; }', 1],
      // A hash is no placeholder, and a variable inside other text is part of a literal.
      ['hosts/a.nix', '{ users.users.alice.hashedPassword = "$y$j9T$abc$def"; }', 1],
      ['hosts/b.nix', '{ services.x.password = "pre$FIX"; }', 1],
    ],
    good: [
      ['tests/integration/standalone/kitty.nix', '{ nodes.machine.users.users.alice.password = "foobar"; }'],
      ['nixos-tests/gitea.nix', '{ users.users.root.password = "root"; }'],
      ['dev/test-configurations.nix', '{ users.users.root.initialPassword = "x"; }'],
      ['checks/vm.nix', '{ users.users.a.password = "a"; }'],
      ['vm.nix', '{ nodes.machine = { users.users.alice.password = "x"; }; testScript = "start_all()"; }'],
      ['examples/mysql/devenv.nix', '{ users.users.db.password = "secret"; }'],
      // Filled in at run time: an environment variable (telegraf, from an environment file), Grafana's file reference.
      ['machines/eva/telegraf.nix', '{ services.telegraf.extraConfig.inputs.http = [ { password = "$SYNCTHING_PASSWORD"; } ]; }'],
      ['machines/eve/grafana.nix', '{ config, ... }: { services.grafana.settings.smtp.password = "$__file{${config.sops.secrets.smtp.path}}"; }'],
      ['machines/eve/x.nix', '{ services.x.password = "\\${DB_PASS}"; }'],
    ],
  },
  'secret-in-store': {
    bad: [
      ['modules/app.nix', '{ pkgs, ... }: { services.foo.passwordFile = pkgs.writeText "password" "hunter2"; }', 1],
      ['hosts/x.nix', '{ x = builtins.readFile ./secrets/token; }', 1],
      ['hosts/y.nix', '{ pkgs, k }: { x = pkgs.writeText "server-key.pem" k; }', 1],
    ],
    good: [
      ['tests/modules/programs/sbt/credentials.nix', '{ pkgs, ... }: { passwordFile = pkgs.writeText "password" "x"; }'],
      ['nixos/attestation-server/test.nix', '{ pkgs }: { keyFile = pkgs.writeText "private.key" "x"; }'],
      ['s3.nix', '{ pkgs, ... }: { nodes.server.env.secretFile = pkgs.writeText "secret" "x"; testScript = ""; }'],
      // Certificates and CA bundles are public.
      ['machines/eve/grpc.nix', '{ pkgs, ca }: { bundle = pkgs.writeText "step-ca-bundle.pem" ca; cert = pkgs.writeText "server.crt.pem" ca; }'],
    ],
  },
  'lookup-path': {
    bad: [
      ['default.nix', 'let pkgs = import <nixpkgs> { }; in pkgs.hello', 1],
      ['x.nix', '{ pkgs ? null }: import <nixpkgs/nixos> { }', 1],
    ],
    good: [
      ['default.nix', '{ pkgs ? import <nixpkgs> { } }: pkgs.hello'],
      ['default.nix', '{ configuration ? <darwin-config>, nixpkgs ? <nixpkgs> }: import ./eval.nix { inherit configuration nixpkgs; }'],
      ['cli.nix', '{\n  pkgs ? import <nixpkgs> { },\n  makeTest ? import <nixpkgs/nixos/tests/make-test-python.nix>,\n}:\nmakeTest'],
    ],
  },
  'impure-builtin': {
    bad: [
      ['x.nix', 'let system = builtins.currentSystem; in system', 1],
      ['x.nix', '{ system ? "x86_64-linux" }: builtins.getEnv "HOME"', 1],
    ],
    good: [
      ['release.nix', '{ system ? builtins.currentSystem, nixpkgs ? ./. }: import nixpkgs { inherit system; }'],
      ['default.nix', '{ pkgs ? import ./nixpkgs.nix { system = builtins.currentSystem; } }: pkgs'],
    ],
  },
};

describe('security rules on false-positive classes', () => {
  for (const [rule, cases] of Object.entries(CASES)) {
    describe(rule, () => {
      it.each(cases.bad)('reports %s: %j', (path, code, count) => {
        expect(runRule(security, rule, path, code)).toHaveLength(count);
      });
      it.each(cases.good)('accepts %s: %j', (path, code) => {
        expect(runRule(security, rule, path, code)).toEqual([]);
      });
    });
  }

  it('leaves the throwaway machines of tests and the snippets of docs alone unless includeTests is set', () => {
    const cases: Array<[rule: string, code: string]> = [
      ['sandbox-disabled', '{ nix.settings.sandbox = false; }'],
      ['permit-root-login', '{ services.openssh.settings.PermitRootLogin = "yes"; }'],
      ['password-authentication', '{ services.openssh.settings.PasswordAuthentication = true; }'],
      ['firewall-disabled', '{ networking.firewall.enable = false; }'],
      ['sudo-without-password', '{ security.sudo.wheelNeedsPassword = false; }'],
      ['unpinned-fetcher', 'builtins.fetchTarball "https://example.org/a.tar.gz"'],
    ];
    const vmTest = (code: string): string => `{ nodes.machine = ${code}; testScript = "machine.succeed(\\"true\\")"; }`;
    for (const [rule, code] of cases) {
      expect(runRule(security, rule, 'hosts/web.nix', code), rule).toHaveLength(1);
      expect(runRule(security, rule, 'tests/nixos/web.nix', code), rule).toEqual([]);
      expect(runRule(security, rule, 'nixos/web-vm.nix', vmTest(code)), rule).toEqual([]);
      expect(runRule(security, rule, 'tests/nixos/web.nix', code, { includeTests: true }), rule).toHaveLength(1);
    }
    const tarball = 'builtins.fetchTarball "https://example.org/a.tar.gz"';
    expect(runRule(security, 'unpinned-fetcher', 'docs/tutorials/default.nix', tarball)).toEqual([]);
  });

  it('includeTests: true reports tests too', () => {
    const code = '{ users.users.root.password = "root"; }';
    expect(runRule(security, 'literal-password', 'tests/vm.nix', code, { includeTests: true })).toHaveLength(1);
    const store = '{ pkgs }: { passwordFile = pkgs.writeText "password" "x"; }';
    expect(runRule(security, 'secret-in-store', 'tests/a.nix', store, { includeTests: true })).toHaveLength(1);
  });
});
