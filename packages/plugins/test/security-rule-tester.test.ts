import { describe, expect, it } from 'vitest';
import { RuleTester, type RuleTesterRun } from '@nixforge/core';
import security from '../src/security/index.js';

RuleTester.describe = describe;
RuleTester.it = it;
const tester = new RuleTester();
const tested = new Set<string>();

function run(rule: string, tests: RuleTesterRun): void {
  tested.add(rule);
  tester.run(`security/${rule}`, security.rules[rule]!, tests);
}

/** The documentation of a rule: its bad example must be reported, its good one not. */
const docs = (rule: string) => security.rules[rule]!.meta.docs!;

/**
 * Where most cases are analysed: rules that skip tests and examples need a path that is neither (RuleTester's
 * default `test.nix` is a test file to them). Cases that name a file keep it.
 */
const HOST = 'hosts/web.nix';

function inFile(filename: string, tests: RuleTesterRun): RuleTesterRun {
  return {
    valid: tests.valid.map((test) => (typeof test === 'string' ? { code: test, filename } : { filename, ...test })),
    invalid: tests.invalid.map((test) => ({ filename, ...test })),
  };
}

/** A NixOS VM test (it has a `testScript`) whose machine is `machine`: a throwaway machine. */
const vmTest = (machine: string): string => `{ nodes.machine = ${machine}; testScript = "machine.succeed(\\"true\\")"; }`;

run('unpinned-fetcher', inFile(HOST, {
  valid: [
    '{\n  a = builtins.fetchTarball {\n    url = "https://github.com/NixOS/nixpkgs/archive/1a2b3c.tar.gz";\n    sha256 = "0000000000000000000000000000000000000000000000000000";\n  };\n}',
    'builtins.fetchGit { url = "https://github.com/a/b"; rev = "0123456789abcdef0123456789abcdef01234567"; }',
    '{ fetchurl }: fetchurl { url = "https://example.org/a.tar.gz"; hash = "sha256-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="; }',
    '{ fetchFromGitHub, args }: fetchFromGitHub { owner = "a"; repo = "b"; rev = "v1"; inherit (args) hash; }',
    '{ fetchurl, args }: fetchurl args',
    '{ pkgs }: pkgs.fetchzip rec { version = "1"; url = "https://example.org/${version}.zip"; sha256 = "x"; }',
    'builtins.fetchTree { type = "github"; owner = "a"; repo = "b"; narHash = "sha256-x"; }',
    '{ pkgs }: pkgs.fetchgit { url = "https://example.org/r.git"; rev = "abc"; outputHash = "x"; }',
    'builtins.fetchurl { url = "https://example.org/x"; sha256 = "x"; }',
    // A local wrapper that adds the hash is no fetcher.
    'let fetchTarball = args: builtins.fetchTarball (args // { sha256 = "x"; }); in fetchTarball { url = "https://example.org/j.tar.gz"; }',
    '{ pkgs }: let fetchurl = args: pkgs.fetchurl (args // { hash = "sha256-x"; }); in fetchurl { url = "https://example.org/k"; }',
    // Documentation snippets track a branch on purpose.
    { filename: 'docs/tutorials/default.nix', code: 'builtins.fetchTarball "https://example.org/a.tar.gz"' },
    { name: 'docs: good example', code: docs('unpinned-fetcher').good! },
    { filename: 'tests/nixos/web.nix', code: 'builtins.fetchTarball "https://example.org/a.tar.gz"' },
    { filename: 'nixos/web-vm.nix', code: vmTest('builtins.fetchTarball "https://example.org/a.tar.gz"') },
  ],
  invalid: [
    {
      code: 'builtins.fetchTarball "https://github.com/NixOS/nixpkgs/archive/master.tar.gz"',
      errors: [
        { messageId: 'onlyUrl', message: '`builtins.fetchTarball` is given only a URL: pin it with `sha256`/`narHash`', line: 1, column: 1, endLine: 1, endColumn: 22 },
      ],
    },
    {
      code: 'fetchTarball { url = "https://example.org/x.tar.gz"; }',
      errors: [
        { messageId: 'notPinned', message: '`fetchTarball` without `sha256`, `narHash`: the download is not pinned', line: 1, column: 1, endLine: 1, endColumn: 13 },
      ],
    },
    {
      code: 'builtins.fetchGit { url = "https://github.com/a/b"; ref = "main"; }',
      errors: [{ messageId: 'notPinned', line: 1, column: 1, endLine: 1, endColumn: 18 }],
    },
    {
      code: '{ fetchurl }: fetchurl { url = "https://example.org/a.tar.gz"; }',
      errors: [
        { messageId: 'notPinned', message: '`fetchurl` without `hash`: the download is not pinned', line: 1, column: 15, endLine: 1, endColumn: 23 },
      ],
    },
    {
      code: '{ pkgs }: pkgs.fetchFromGitHub {\n  owner = "a";\n  repo = "b";\n  rev = "v1.0";\n}',
      errors: [{ messageId: 'notPinned', line: 1, column: 11, endLine: 1, endColumn: 31 }],
    },
    {
      code: 'builtins.fetchurl "https://example.org/data.json"',
      errors: [
        { messageId: 'onlyUrl', message: '`builtins.fetchurl` is given only a URL: pin it with `sha256`/`hash`', line: 1, column: 1, endLine: 1, endColumn: 18 },
      ],
    },
    {
      code: '(builtins.fetchGit) { url = "https://example.org/r.git"; }',
      errors: [
        { messageId: 'notPinned', message: '`(builtins.fetchGit)` without `rev`, `narHash`: the download is not pinned', line: 1, column: 1, endLine: 1, endColumn: 20 },
      ],
    },
    {
      code: '__fetchurl { url = "https://example.org/x"; }',
      errors: [{ messageId: 'notPinned', line: 1, column: 1, endLine: 1, endColumn: 11 }],
    },
    {
      code: '{ pkgs }: pkgs.fetchpatch { url = "https://example.org/p.patch"; name = "p"; }',
      errors: [{ messageId: 'notPinned', line: 1, column: 11, endLine: 1, endColumn: 26 }],
    },
    // Documentation is only skipped by directory.
    {
      filename: 'hosts/docs.nix',
      code: 'builtins.fetchTarball "https://example.org/a.tar.gz"',
      errors: [{ messageId: 'onlyUrl', line: 1, column: 1, endLine: 1, endColumn: 22 }],
    },
    {
      filename: 'docs/tutorials/default.nix',
      options: { includeTests: true },
      code: 'builtins.fetchTarball "https://example.org/a.tar.gz"',
      errors: [{ messageId: 'onlyUrl', line: 1, column: 1, endLine: 1, endColumn: 22 }],
    },
    {
      name: 'docs: bad example',
      code: docs('unpinned-fetcher').bad!,
      errors: [{ messageId: 'onlyUrl', line: 1, column: 1, endLine: 1, endColumn: 22 }],
    },
    {
      filename: 'tests/nixos/web.nix',
      options: { includeTests: true },
      code: 'builtins.fetchTarball "https://example.org/a.tar.gz"',
      errors: [{ messageId: 'onlyUrl', line: 1, column: 1, endLine: 1, endColumn: 22 }],
    },
  ],
}));

run('insecure-url', inFile(HOST, {
  valid: [
    // URLs that are configuration, not downloads: feeds, health checks, sync servers, XML namespaces.
    '{ programs.newsboat.urls = [ { url = "http://example.org/feed.xml"; } ]; }',
    '{\n  services.telegraf.extraConfig.inputs.http_response = [\n    { urls = [ "http://wiki.r/Home" ]; tags.host = "hotdog"; }\n  ];\n}',
    '{ programs.anki.profiles.foo.sync.url = "http://foo.com/anki-sync/"; }',
    '{ xml = { xmlns = "http://www.w3.org/2000/svg"; }; }',
    // A fixed-output hash (or a Git revision) verifies what arrives: http mirrors are fine then.
    '{ pkgs }:\npkgs.lib.mkDefault (pkgs.fetchurl {\n  url = "http://hackage.haskell.org/package/HTTP-4000.4.1.tar.gz";\n  sha256 = "df31d8efec775124dab856d7177ddcba31be9f9e0836ebdab03d94392f2dd453";\n})',
    '{ fetchgit }:\nfetchgit {\n  url = "git://git.openwrt.org/project/make_ext4fs.git";\n  rev = "eebda1d55d9701ace2700d7ae461697fadf52d1f";\n  hash = "sha256-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";\n}',
    'builtins.fetchTarball { url = "http://example.org/c.tar.gz"; sha256 = "0000000000000000000000000000000000000000000000000000"; }',
    '{ fetchurl }: fetchurl { urls = [ "http://mirror.example.org/d.tar.gz" ]; hash = "sha256-x"; }',
    '{ fetchurl }: fetchurl { url = "https://example.org/a.tar.gz"; hash = "sha256-x"; }',
    // Local addresses, hosts that are not literal, other attributes and schemes.
    '{ b = { url = "http://localhost:8080/a"; }; }',
    '{ c = { url = "http://127.0.0.1/x"; }; }',
    '{ host }: { d = { url = "http://${host}/dynamic-host"; }; }',
    '{ e = { homepage = "http://example.org"; }; }',
    '{ f = { url = "git+https://example.org/r"; }; }',
    '{ g = { url = "github:NixOS/nixpkgs"; }; }',
    '{ h = { url = "http://[::1]:9000/"; }; }',
    // Option documentation.
    '{ lib }: { i = lib.mkOption { example = [ { url = "http://example.com/feed"; } ]; }; }',
    // Outside a flake, `inputs` is any attribute.
    '{ inputs.old.url = "git://git.example.org/repo.git"; }',
    // A test fixture: fake URLs on purpose, even for a download.
    { filename: 'tests/modules/programs/newsboat/basics.nix', code: '{ pkgs, ... }:\n{\n  src = builtins.fetchTarball "http://example.org/fixture.tar.gz";\n  programs.newsboat.urls = [ { url = "http://example.org/feed.xml"; } ];\n}' },
    { name: 'docs: good example', code: docs('insecure-url').good! },
  ],
  invalid: [
    {
      code: '{ fetchurl }: fetchurl { url = "http://example.org/a.tar.gz"; }',
      errors: [
        { messageId: 'insecureScheme', message: 'insecure http:// URL: use an encrypted transport', line: 1, column: 32, endLine: 1, endColumn: 61 },
      ],
    },
    {
      code: '{ fetchzip, version }:\nfetchzip {\n  urls = [\n    "https://example.org/b.tar.gz"\n    "http://mirror.example.org/b-${version}.tar.gz"\n  ];\n}',
      errors: [{ messageId: 'insecureScheme', line: 5, column: 5, endLine: 5, endColumn: 52 }],
    },
    {
      code: 'builtins.fetchTarball "http://example.org/c.tar.gz"',
      errors: [{ messageId: 'insecureScheme', line: 1, column: 23, endLine: 1, endColumn: 52 }],
    },
    {
      code: 'builtins.fetchurl { url = http://example.org/unquoted; }',
      errors: [{ messageId: 'insecureScheme', line: 1, column: 27, endLine: 1, endColumn: 54 }],
    },
    {
      code: 'builtins.fetchGit { url = "git+http://example.org/r"; }',
      errors: [
        { messageId: 'insecureScheme', message: 'insecure http:// URL: use an encrypted transport', line: 1, column: 27, endLine: 1, endColumn: 53 },
      ],
    },
    {
      code: '{ fetchurl }: fetchurl ({ url = "ftp://ftp.example.org/pub/f.tar"; })',
      errors: [
        { messageId: 'insecureScheme', message: 'insecure ftp:// URL: use an encrypted transport', line: 1, column: 33, endLine: 1, endColumn: 66 },
      ],
    },
    // Flake inputs are fetched afresh by `nix flake update`.
    {
      filename: 'flake.nix',
      code: '{\n  inputs.old.url = "git://git.example.org/repo.git";\n  inputs.mirror = {\n    url = "http://example.org/nixpkgs.tar.gz";\n    flake = false;\n  };\n  outputs = { self, ... }: { };\n}',
      errors: [
        { messageId: 'insecureScheme', line: 2, column: 20, endLine: 2, endColumn: 52 },
        { messageId: 'insecureScheme', line: 4, column: 11, endLine: 4, endColumn: 46 },
      ],
    },
    {
      filename: 'tests/modules/programs/newsboat/basics.nix',
      options: { includeTests: true },
      code: '{ pkgs, ... }:\n{\n  src = builtins.fetchTarball "http://example.org/fixture.tar.gz";\n  programs.newsboat.urls = [ { url = "http://example.org/feed.xml"; } ];\n}',
      errors: [{ messageId: 'insecureScheme', line: 3, column: 31, endLine: 3, endColumn: 66 }],
    },
    {
      name: 'docs: bad example',
      code: docs('insecure-url').bad!,
      errors: [{ messageId: 'insecureScheme', line: 1, column: 23, endLine: 1, endColumn: 57 }],
    },
  ],
}));

run('weak-hash', {
  valid: [
    '{ fetchurl }: fetchurl { url = "https://example.org/a"; hash = "sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="; }',
    '{ outputHashAlgo = "sha256"; }',
    // A `let` name is no attribute of a fetcher.
    'let sha1 = "not a binding of a fetcher"; in { c = sha1; }',
    '{ md5 = null; }',
    { name: 'docs: good example', code: docs('weak-hash').good! },
  ],
  invalid: [
    {
      code: '{ fetchurl }: fetchurl { url = "https://example.org/a"; md5 = "d41d8cd98f00b204e9800998ecf8427e"; }',
      errors: [
        { messageId: 'weakHashAttribute', message: '`md5` hashes are broken: use `hash` with sha256', line: 1, column: 57, endLine: 1, endColumn: 60 },
      ],
    },
    {
      code: '{ fetchurl }:\nfetchurl {\n  url = "https://example.org/b";\n  sha1 = "da39a3ee5e6b4b0d3255bfef95601890afd80709";\n}',
      errors: [{ messageId: 'weakHashAttribute', line: 4, column: 3, endLine: 4, endColumn: 7 }],
    },
    {
      code: '{ stdenv }:\nstdenv.mkDerivation {\n  name = "c";\n  outputHashAlgo = "sha1";\n  outputHash = "x";\n}',
      errors: [
        { messageId: 'weakHashAlgorithm', message: '`outputHashAlgo = "sha1"` is broken: use sha256', line: 4, column: 20, endLine: 4, endColumn: 26 },
      ],
    },
    {
      code: '{ fetchurl }: fetchurl { url = "https://example.org/d"; hash = "sha1-2jmj7l5rSw0yVb/vlWAYkK/YBwk="; }',
      errors: [
        { messageId: 'weakSriHash', message: 'sha1 SRI hash is broken: use sha256', line: 1, column: 64, endLine: 1, endColumn: 99 },
      ],
    },
    {
      code: 'derivation { outputHash = "md5-1B2M2Y8AsgTpgAmY7PhCfg=="; }',
      errors: [{ messageId: 'weakSriHash', line: 1, column: 27, endLine: 1, endColumn: 57 }],
    },
    {
      name: 'docs: bad example',
      code: docs('weak-hash').bad!,
      errors: [{ messageId: 'weakHashAttribute', line: 3, column: 3, endLine: 3, endColumn: 7 }],
    },
  ],
});

run('impure-builtin', {
  valid: [
    '{ system }: system',
    'builtins ? currentSystem',
    '{ builtinsLike }: builtinsLike.currentSystem',
    '{ currentSystem = 1; }.currentSystem',
    'builtins.currentSystemX',
    // A local `builtins` is not the global one.
    'let builtins = { currentSystem = "x86_64-linux"; }; in builtins.currentSystem',
    'builtins: builtins.getEnv "HOME"',
    // Argument defaults are the overridable entry-point idiom.
    { filename: 'release.nix', code: '{ system ? builtins.currentSystem, nixpkgs ? ./. }: import nixpkgs { inherit system; }' },
    { filename: 'default.nix', code: '{ pkgs ? import ./nixpkgs.nix { system = builtins.currentSystem; } }: pkgs' },
    { name: 'docs: good example', code: docs('impure-builtin').good! },
  ],
  invalid: [
    {
      code: '{ a = builtins.currentSystem; }',
      errors: [
        { messageId: 'impureBuiltin', message: '`builtins.currentSystem` is impure: pass the value in instead', line: 1, column: 7, endLine: 1, endColumn: 29 },
      ],
    },
    {
      code: 'builtins.getEnv "HOME"',
      errors: [{ messageId: 'impureBuiltin', line: 1, column: 1, endLine: 1, endColumn: 16 }],
    },
    {
      code: '__currentTime',
      errors: [
        { messageId: 'impureBuiltin', message: '`__currentTime` is impure: pass the value in instead', line: 1, column: 1, endLine: 1, endColumn: 14 },
      ],
    },
    {
      code: 'builtins.currentTime or 0',
      errors: [{ messageId: 'impureBuiltin', line: 1, column: 1, endLine: 1, endColumn: 26 }],
    },
    {
      code: 'builtins.nixPath',
      errors: [{ messageId: 'impureBuiltin', line: 1, column: 1, endLine: 1, endColumn: 17 }],
    },
    {
      filename: 'x.nix',
      code: 'let system = builtins.currentSystem; in system',
      errors: [{ messageId: 'impureBuiltin', line: 1, column: 14, endLine: 1, endColumn: 36 }],
    },
    // The body of a function with defaults is no default.
    {
      filename: 'x.nix',
      code: '{ system ? "x86_64-linux" }: builtins.getEnv "HOME"',
      errors: [{ messageId: 'impureBuiltin', line: 1, column: 30, endLine: 1, endColumn: 45 }],
    },
    {
      name: 'docs: bad example',
      code: docs('impure-builtin').bad!,
      errors: [{ messageId: 'impureBuiltin', line: 1, column: 14, endLine: 1, endColumn: 36 }],
    },
  ],
});

run('lookup-path', {
  valid: [
    '{ nixpkgs ? builtins.fetchTarball { url = "https://example.org/n.tar.gz"; sha256 = "x"; } }:\nimport nixpkgs { a = 1 < 2; }',
    // Argument defaults are the overridable entry-point idiom.
    { filename: 'default.nix', code: '{ pkgs ? import <nixpkgs> { } }: pkgs.hello' },
    { filename: 'default.nix', code: '{ configuration ? <darwin-config>, nixpkgs ? <nixpkgs> }: import ./eval.nix { inherit configuration nixpkgs; }' },
    { filename: 'cli.nix', code: '{\n  pkgs ? import <nixpkgs> { },\n  makeTest ? import <nixpkgs/nixos/tests/make-test-python.nix>,\n}:\nmakeTest' },
    { name: 'docs: good example', code: docs('lookup-path').good! },
  ],
  invalid: [
    {
      code: 'let\n  pkgs = import <nixpkgs> { };\n  nixos = <nixpkgs/nixos>;\nin\npkgs',
      errors: [
        { messageId: 'dependsOnNixPath', message: '`<nixpkgs>` depends on NIX_PATH', line: 2, column: 17, endLine: 2, endColumn: 26 },
        { messageId: 'dependsOnNixPath', message: '`<nixpkgs/nixos>` depends on NIX_PATH', line: 3, column: 11, endLine: 3, endColumn: 26 },
      ],
    },
    {
      filename: 'default.nix',
      code: 'let pkgs = import <nixpkgs> { }; in pkgs.hello',
      errors: [{ messageId: 'dependsOnNixPath', line: 1, column: 19, endLine: 1, endColumn: 28 }],
    },
    {
      filename: 'x.nix',
      code: '{ pkgs ? null }: import <nixpkgs/nixos> { }',
      errors: [{ messageId: 'dependsOnNixPath', line: 1, column: 25, endLine: 1, endColumn: 40 }],
    },
    {
      name: 'docs: bad example',
      code: docs('lookup-path').bad!,
      errors: [{ messageId: 'dependsOnNixPath', line: 1, column: 8, endLine: 1, endColumn: 17 }],
    },
  ],
});

run('builtins-exec', {
  valid: [
    '{ pkgs }: pkgs.runCommand "value" { } "echo 1 > $out"',
    // A local `exec`, another builtin.
    '{ exec }: exec [ "x" ]',
    'builtins.execve or null',
    { name: 'docs: good example', code: docs('builtins-exec').good! },
  ],
  invalid: [
    {
      code: '{ a = builtins.exec [ "sh" "-c" "echo 1" ]; }',
      errors: [
        { messageId: 'runsProgram', message: '`builtins.exec` runs a program while evaluating', line: 1, column: 7, endLine: 1, endColumn: 20 },
      ],
    },
    {
      code: '__exec [ "date" ]',
      errors: [
        { messageId: 'runsProgram', message: '`__exec` runs a program while evaluating', line: 1, column: 1, endLine: 1, endColumn: 7 },
      ],
    },
    {
      name: 'docs: bad example',
      code: docs('builtins-exec').bad!,
      errors: [{ messageId: 'runsProgram', line: 1, column: 1, endLine: 1, endColumn: 14 }],
    },
  ],
});

run('sandbox-disabled', inFile(HOST, {
  valid: [
    '{ nix.settings.sandbox = true; }',
    '{ nix.settings.sandbox-fallback = false; }',
    // Not a literal `false`, and no sandbox of Nix.
    'let sandbox = false; in { services.foo.sandbox = sandbox; }',
    { name: 'docs: good example', code: docs('sandbox-disabled').good! },
    { filename: 'tests/nixos/web.nix', code: '{ nix.settings.sandbox = false; }' },
    { filename: 'nixos/web-vm.nix', code: vmTest('{ nix.settings.sandbox = false; }') },
  ],
  invalid: [
    {
      code: '{ nix.settings.sandbox = false; }',
      errors: [
        { messageId: 'sandboxDisabled', message: 'the Nix build sandbox is disabled', line: 1, column: 26, endLine: 1, endColumn: 31 },
      ],
    },
    {
      code: '{ lib, ... }:\n{\n  nix = {\n    useSandbox = lib.mkForce false;\n  };\n}',
      errors: [{ messageId: 'sandboxDisabled', line: 4, column: 30, endLine: 4, endColumn: 35 }],
    },
    {
      code: '{ stdenv }:\nstdenv.mkDerivation {\n  name = "x";\n  __noChroot = true;\n}',
      errors: [
        { messageId: 'noChroot', message: '`__noChroot` builds this derivation outside the sandbox', line: 4, column: 16, endLine: 4, endColumn: 20 },
      ],
    },
    {
      name: 'docs: bad example',
      code: docs('sandbox-disabled').bad!,
      errors: [{ messageId: 'sandboxDisabled', line: 1, column: 26, endLine: 1, endColumn: 31 }],
    },
    {
      filename: 'tests/nixos/web.nix',
      options: { includeTests: true },
      code: '{ nix.settings.sandbox = false; }',
      errors: [{ messageId: 'sandboxDisabled', line: 1, column: 26, endLine: 1, endColumn: 31 }],
    },
  ],
}));

run('allow-unfree', inFile(HOST, {
  valid: [
    '{ nixpkgs.config.allowUnfree = false; }',
    '{ lib, ... }: { nixpkgs.config.allowUnfreePredicate = pkg: builtins.elem (lib.getName pkg) [ "steam" ]; }',
    { name: 'docs: good example', code: docs('allow-unfree').good! },
  ],
  invalid: [
    {
      code: '{ nixpkgs.config.allowUnfree = true; }',
      errors: [
        { messageId: 'allUnfreeAllowed', message: 'all unfree packages are allowed: list them with `allowUnfreePredicate`', line: 1, column: 32, endLine: 1, endColumn: 36 },
      ],
    },
    {
      code: '{\n  home-manager.users.alice = {\n    nixpkgs.config = { allowUnfree = true; };\n  };\n}',
      errors: [{ messageId: 'allUnfreeAllowed', line: 3, column: 38, endLine: 3, endColumn: 42 }],
    },
    {
      name: 'docs: bad example',
      code: docs('allow-unfree').bad!,
      errors: [{ messageId: 'allUnfreeAllowed', line: 1, column: 32, endLine: 1, endColumn: 36 }],
    },
  ],
}));

run('insecure-packages', inFile(HOST, {
  valid: [
    '{ nixpkgs.config.permittedInsecurePackages = [ ]; }',
    '{ nixpkgs.config.allowUnsupportedSystem = false; }',
    { name: 'docs: good example', code: docs('insecure-packages').good! },
  ],
  invalid: [
    {
      code: '{ nixpkgs.config.permittedInsecurePackages = [ "openssl-1.1.1w" ]; }',
      errors: [
        { messageId: 'insecurePackagesPermitted', message: 'packages with known vulnerabilities are permitted', line: 1, column: 46, endLine: 1, endColumn: 66 },
      ],
    },
    {
      code: '{ nixpkgs.config.allowInsecurePredicate = pkg: true; }',
      errors: [
        { messageId: 'insecurePredicate', message: 'a predicate permits packages with known vulnerabilities', line: 1, column: 43, endLine: 1, endColumn: 52 },
      ],
    },
    {
      name: 'docs: bad example',
      code: docs('insecure-packages').bad!,
      errors: [{ messageId: 'insecurePackagesPermitted', line: 1, column: 46, endLine: 1, endColumn: 66 }],
    },
  ],
}));

run('literal-password', inFile(HOST, {
  valid: [
    // A local name, a file, no value, an option declaration, a reference.
    'let password = "only a local name"; in password',
    '{ users.users.alice.hashedPasswordFile = "/run/secrets/alice"; }',
    '{ users.users.bob.hashedPassword = null; }',
    '{ lib, ... }: { options.password = lib.mkOption { type = lib.types.str; }; }',
    '{ config, ... }: { users.users.carol.initialPassword = config.secrets.carol; }',
    // Option documentation.
    '{ lib, ... }:\n{\n  options.services.irc.settings = lib.mkOption {\n    example = { nickname = "nick"; password = "verysecurepassword"; };\n  };\n}',
    // Tests, fixtures and examples use fake passwords on purpose.
    { filename: 'tests/integration/standalone/kitty.nix', code: '{ nodes.machine.users.users.alice.password = "foobar"; }' },
    { filename: 'nixos-tests/gitea.nix', code: '{ users.users.root.password = "root"; }' },
    { filename: 'dev/test-configurations.nix', code: '{ users.users.root.initialPassword = "x"; }' },
    { filename: 'checks/vm.nix', code: '{ users.users.a.password = "a"; }' },
    { filename: 'vm.nix', code: '{ nodes.machine = { users.users.alice.password = "x"; }; testScript = "start_all()"; }' },
    { filename: 'examples/mysql/devenv.nix', code: '{ users.users.db.password = "secret"; }' },
    // Filled in at run time: an environment variable (telegraf, from an environment file), Grafana's file reference.
    { filename: 'machines/eva/telegraf.nix', code: '{ services.telegraf.extraConfig.inputs.http = [ { password = "$SYNCTHING_PASSWORD"; } ]; }' },
    { filename: 'machines/eve/grafana.nix', code: '{ config, ... }: { services.grafana.settings.smtp.password = "$__file{${config.sops.secrets.smtp.path}}"; }' },
    { filename: 'machines/eve/x.nix', code: '{ services.x.password = "\\${DB_PASS}"; }' },
    { name: 'docs: good example', code: docs('literal-password').good! },
  ],
  invalid: [
    {
      code: '{\n  users.users.alice = {\n    isNormalUser = true;\n    initialPassword = "hunter2";\n  };\n}',
      errors: [
        { messageId: 'literalPassword', message: 'literal `initialPassword`: it lands in the world-readable Nix store', line: 4, column: 23, endLine: 4, endColumn: 32 },
      ],
    },
    {
      code: '{ users.users.root.hashedPassword = "$6$abc$def"; }',
      errors: [
        { messageId: 'literalPassword', message: 'literal `hashedPassword`: it lands in the world-readable Nix store', line: 1, column: 37, endLine: 1, endColumn: 49 },
      ],
    },
    {
      code: "{ lib, ... }: { config = lib.mkIf true { users.users.bob.password = ''secret''; }; }",
      errors: [
        { messageId: 'literalPassword', message: 'literal `password`: it lands in the world-readable Nix store', line: 1, column: 69, endLine: 1, endColumn: 79 },
      ],
    },
    {
      filename: 'hosts/web/configuration.nix',
      code: '{ users.users.root.initialPassword = "hunter2"; }',
      errors: [{ messageId: 'literalPassword', line: 1, column: 38, endLine: 1, endColumn: 47 }],
    },
    {
      filename: 'modules/users.nix',
      code: '{ ... }: { users.users.alice.password = "x"; }',
      errors: [{ messageId: 'literalPassword', line: 1, column: 41, endLine: 1, endColumn: 44 }],
    },
    // `latest` is no test directory, `contest.nix` no test file.
    {
      filename: 'latest/contest.nix',
      code: '{ users.users.alice.hashedPassword = "$6$x"; }',
      errors: [{ messageId: 'literalPassword', line: 1, column: 38, endLine: 1, endColumn: 44 }],
    },
    // A hash is no placeholder, and a variable inside other text is part of a literal.
    {
      filename: 'hosts/a.nix',
      code: '{ users.users.alice.hashedPassword = "$y$j9T$abc$def"; }',
      errors: [{ messageId: 'literalPassword', line: 1, column: 38, endLine: 1, endColumn: 54 }],
    },
    {
      filename: 'hosts/b.nix',
      code: '{ services.x.password = "pre$FIX"; }',
      errors: [{ messageId: 'literalPassword', line: 1, column: 25, endLine: 1, endColumn: 34 }],
    },
    {
      code: '{ users.users.d.initialHashedPassword = "$6$y"; }',
      errors: [
        { messageId: 'literalPassword', message: 'literal `initialHashedPassword`: it lands in the world-readable Nix store', line: 1, column: 41, endLine: 1, endColumn: 47 },
      ],
    },
    {
      filename: 'tests/vm.nix',
      options: { includeTests: true },
      code: '{ users.users.root.password = "root"; }',
      errors: [{ messageId: 'literalPassword', line: 1, column: 31, endLine: 1, endColumn: 37 }],
    },
    {
      name: 'docs: bad example',
      code: docs('literal-password').bad!,
      errors: [{ messageId: 'literalPassword', line: 1, column: 39, endLine: 1, endColumn: 48 }],
    },
  ],
}));

run('permit-root-login', inFile(HOST, {
  valid: [
    '{ services.openssh.settings.PermitRootLogin = "prohibit-password"; }',
    '{ services.openssh.permitRootLogin = "no"; }',
    '{ services.other.settings.PermitRootLogin = "yes"; }',
    { name: 'docs: good example', code: docs('permit-root-login').good! },
    { filename: 'tests/nixos/web.nix', code: '{ services.openssh.settings.PermitRootLogin = "yes"; }' },
    { filename: 'nixos/web-vm.nix', code: vmTest('{ services.openssh.settings.PermitRootLogin = "yes"; }') },
  ],
  invalid: [
    {
      code: '{\n  services.openssh = {\n    enable = true;\n    settings.PermitRootLogin = "yes";\n  };\n}',
      errors: [
        { messageId: 'rootPasswordLogin', message: 'root may log in over SSH with a password', line: 4, column: 32, endLine: 4, endColumn: 37 },
      ],
    },
    {
      code: '{ lib, ... }: { services.openssh.permitRootLogin = lib.mkDefault "yes"; }',
      errors: [{ messageId: 'rootPasswordLogin', line: 1, column: 66, endLine: 1, endColumn: 71 }],
    },
    {
      name: 'docs: bad example',
      code: docs('permit-root-login').bad!,
      errors: [{ messageId: 'rootPasswordLogin', line: 1, column: 47, endLine: 1, endColumn: 52 }],
    },
    {
      filename: 'tests/nixos/web.nix',
      options: { includeTests: true },
      code: '{ services.openssh.settings.PermitRootLogin = "yes"; }',
      errors: [{ messageId: 'rootPasswordLogin', line: 1, column: 47, endLine: 1, endColumn: 52 }],
    },
  ],
}));

run('password-authentication', inFile(HOST, {
  valid: [
    '{ services.openssh.settings.PasswordAuthentication = false; }',
    '{ services.openssh.settings.KbdInteractiveAuthentication = false; }',
    { name: 'docs: good example', code: docs('password-authentication').good! },
    { filename: 'tests/nixos/web.nix', code: '{ services.openssh.settings.PasswordAuthentication = true; }' },
    { filename: 'nixos/web-vm.nix', code: vmTest('{ services.openssh.settings.PasswordAuthentication = true; }') },
  ],
  invalid: [
    {
      code: '{ services.openssh.settings.PasswordAuthentication = true; }',
      errors: [
        { messageId: 'passwordLogin', message: 'SSH password logins are enabled', line: 1, column: 54, endLine: 1, endColumn: 58 },
      ],
    },
    {
      code: '{ lib, ... }:\n{\n  services.openssh = lib.mkMerge [\n    { passwordAuthentication = true; }\n  ];\n}',
      errors: [{ messageId: 'passwordLogin', line: 4, column: 32, endLine: 4, endColumn: 36 }],
    },
    {
      name: 'docs: bad example',
      code: docs('password-authentication').bad!,
      errors: [{ messageId: 'passwordLogin', line: 1, column: 54, endLine: 1, endColumn: 58 }],
    },
    {
      filename: 'tests/nixos/web.nix',
      options: { includeTests: true },
      code: '{ services.openssh.settings.PasswordAuthentication = true; }',
      errors: [{ messageId: 'passwordLogin', line: 1, column: 54, endLine: 1, endColumn: 58 }],
    },
  ],
}));

run('firewall-disabled', inFile(HOST, {
  valid: [
    '{ networking.firewall.enable = true; }',
    '{ networking.firewall.allowedTCPPorts = [ 22 ]; }',
    '{ services.foo.enable = false; }',
    { name: 'docs: good example', code: docs('firewall-disabled').good! },
    { filename: 'tests/nixos/web.nix', code: '{ networking.firewall.enable = false; }' },
    { filename: 'nixos/web-vm.nix', code: vmTest('{ networking.firewall.enable = false; }') },
  ],
  invalid: [
    {
      code: '{ networking.firewall.enable = false; }',
      errors: [
        { messageId: 'firewallDisabled', message: 'the firewall is disabled', line: 1, column: 32, endLine: 1, endColumn: 37 },
      ],
    },
    {
      code: '{ lib, ... }:\n{\n  networking = {\n    hostName = "h";\n    firewall = {\n      enable = lib.mkForce false;\n    };\n  };\n}',
      errors: [{ messageId: 'firewallDisabled', line: 6, column: 28, endLine: 6, endColumn: 33 }],
    },
    {
      name: 'docs: bad example',
      code: docs('firewall-disabled').bad!,
      errors: [{ messageId: 'firewallDisabled', line: 1, column: 32, endLine: 1, endColumn: 37 }],
    },
    {
      filename: 'tests/nixos/web.nix',
      options: { includeTests: true },
      code: '{ networking.firewall.enable = false; }',
      errors: [{ messageId: 'firewallDisabled', line: 1, column: 32, endLine: 1, endColumn: 37 }],
    },
  ],
}));

run('sudo-without-password', inFile(HOST, {
  valid: [
    '{ security.sudo.wheelNeedsPassword = true; }',
    '{ security.sudo.execWheelOnly = false; }',
    { name: 'docs: good example', code: docs('sudo-without-password').good! },
    { filename: 'tests/nixos/web.nix', code: '{ security.sudo.wheelNeedsPassword = false; }' },
    { filename: 'nixos/web-vm.nix', code: vmTest('{ security.sudo.wheelNeedsPassword = false; }') },
  ],
  invalid: [
    {
      code: '{ security.sudo.wheelNeedsPassword = false; }',
      errors: [
        { messageId: 'passwordlessRoot', message: 'wheel users become root without a password', line: 1, column: 38, endLine: 1, endColumn: 43 },
      ],
    },
    {
      code: '{\n  security = {\n    doas.wheelNeedsPassword = false;\n  };\n}',
      errors: [{ messageId: 'passwordlessRoot', line: 3, column: 31, endLine: 3, endColumn: 36 }],
    },
    {
      code: '{ lib, ... }: { security.sudo-rs.wheelNeedsPassword = lib.mkForce false; }',
      errors: [{ messageId: 'passwordlessRoot', line: 1, column: 67, endLine: 1, endColumn: 72 }],
    },
    {
      name: 'docs: bad example',
      code: docs('sudo-without-password').bad!,
      errors: [{ messageId: 'passwordlessRoot', line: 1, column: 38, endLine: 1, endColumn: 43 }],
    },
    {
      filename: 'tests/nixos/web.nix',
      options: { includeTests: true },
      code: '{ security.sudo.wheelNeedsPassword = false; }',
      errors: [{ messageId: 'passwordlessRoot', line: 1, column: 38, endLine: 1, endColumn: 43 }],
    },
  ],
}));

run('secret-in-store', inFile(HOST, {
  valid: [
    '{ services.foo.passwordFile = "/run/secrets/foo"; }',
    '{ environment.etc.motd.text = builtins.readFile ./motd.txt; }',
    '{ pkgs, ... }: { environment.etc.conf.source = pkgs.writeText "app.conf" "a = 1"; }',
    // Encrypted files are fine to read.
    '{ age.secrets.db.file = ./secrets/db.age; x = builtins.readFile ./secrets/db.age; }',
    '{ pkgs, ... }: { y = pkgs.writeText "no-secrets-expected" ""; }',
    // A `let` name is a local variable, not a setting.
    '{ pkgs, ... }: { z = let jsonPreSecretsFile = pkgs.writeText "conf.json" "{}"; in jsonPreSecretsFile; }',
    // Tests handle fake secrets on purpose.
    { filename: 'tests/modules/programs/sbt/credentials.nix', code: '{ pkgs, ... }: { passwordFile = pkgs.writeText "password" "x"; }' },
    { filename: 'nixos/attestation-server/test.nix', code: '{ pkgs }: { keyFile = pkgs.writeText "private.key" "x"; }' },
    { filename: 's3.nix', code: '{ pkgs, ... }: { nodes.server.env.secretFile = pkgs.writeText "secret" "x"; testScript = ""; }' },
    // Certificates and CA bundles are public.
    { filename: 'machines/eve/grpc.nix', code: '{ pkgs, ca }: { bundle = pkgs.writeText "step-ca-bundle.pem" ca; cert = pkgs.writeText "server.crt.pem" ca; }' },
    { name: 'docs: good example', code: docs('secret-in-store').good! },
  ],
  invalid: [
    {
      code: '{ pkgs, ... }: { services.foo.passwordFile = pkgs.writeText "pw" "hunter2"; }',
      errors: [
        { messageId: 'writesSecretFile', message: '`writeText` writes a secret (pw) to the world-readable Nix store', line: 1, column: 46, endLine: 1, endColumn: 75 },
      ],
    },
    {
      code: '{ services.bar.token = builtins.readFile ./token.txt; }',
      errors: [
        { messageId: 'readsSecretFile', message: '`readFile` copies a secret (./token.txt) into the Nix store', line: 1, column: 24, endLine: 1, endColumn: 53 },
      ],
    },
    {
      code: '{ pkgs, ... }: { environment.etc.key.source = pkgs.writeText "server.key" "-----BEGIN PRIVATE KEY-----"; }',
      errors: [{ messageId: 'writesSecretFile', line: 1, column: 47, endLine: 1, endColumn: 104 }],
    },
    {
      code: '{ lib, ... }: { x = lib.fileContents ./secrets/api.txt; }',
      errors: [{ messageId: 'readsSecretFile', line: 1, column: 21, endLine: 1, endColumn: 55 }],
    },
    {
      code: '{ y = builtins.toFile "id_ed25519" "key"; }',
      errors: [{ messageId: 'writesSecretFile', line: 1, column: 7, endLine: 1, endColumn: 41 }],
    },
    // The name of the setting says it is a secret.
    {
      code: '{ config, ... }: { passwordFile = builtins.readFile config.x; }',
      errors: [
        { messageId: 'readsSecret', message: '`readFile` copies a secret into the Nix store', line: 1, column: 35, endLine: 1, endColumn: 61 },
      ],
    },
    {
      code: '{ pkgs }: { apiKey = pkgs.writeTextFile { name = "x"; text = "y"; }; }',
      errors: [
        { messageId: 'writesSecret', message: '`writeTextFile` writes a secret to the world-readable Nix store', line: 1, column: 22, endLine: 1, endColumn: 68 },
      ],
    },
    {
      filename: 'modules/app.nix',
      code: '{ pkgs, ... }: { services.foo.passwordFile = pkgs.writeText "password" "hunter2"; }',
      errors: [{ messageId: 'writesSecretFile', line: 1, column: 46, endLine: 1, endColumn: 81 }],
    },
    {
      filename: 'hosts/x.nix',
      code: '{ x = builtins.readFile ./secrets/token; }',
      errors: [{ messageId: 'readsSecretFile', line: 1, column: 7, endLine: 1, endColumn: 40 }],
    },
    {
      filename: 'hosts/y.nix',
      code: '{ pkgs, k }: { x = pkgs.writeText "server-key.pem" k; }',
      errors: [{ messageId: 'writesSecretFile', line: 1, column: 20, endLine: 1, endColumn: 53 }],
    },
    {
      filename: 'tests/a.nix',
      options: { includeTests: true },
      code: '{ pkgs }: { passwordFile = pkgs.writeText "password" "x"; }',
      errors: [{ messageId: 'writesSecretFile', line: 1, column: 28, endLine: 1, endColumn: 57 }],
    },
    {
      name: 'docs: bad example',
      code: docs('secret-in-store').bad!,
      errors: [{ messageId: 'writesSecretFile', line: 1, column: 31, endLine: 1, endColumn: 66 }],
    },
  ],
}));

it('has a RuleTester table, an explanation and its docs/rules.md section for every security rule', () => {
  expect([...tested].sort()).toEqual(Object.keys(security.rules).sort());
  for (const [name, rule] of Object.entries(security.rules)) {
    expect(rule.meta.docs?.explanation, name).toBeTruthy();
    expect(rule.meta.docs?.url, name).toBe(`https://github.com/nixforge/nixforge/blob/main/docs/rules.md#security-${name}`);
  }
});
