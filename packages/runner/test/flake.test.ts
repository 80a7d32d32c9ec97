import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const SYSTEMS = ['x86_64-linux', 'aarch64-linux', 'x86_64-darwin', 'aarch64-darwin'];

/**
 * The flake's `outputs` called with a stub nixpkgs (there is no nixpkgs on these machines): every function it
 * uses records its arguments, so the evaluated attributes show exactly what the flake asks nixpkgs for.
 */
const EVALUATE = `
root:
let
  flake = import (root + "/flake.nix");
  stubPkgs = system: {
    nodejs_20 = { outPath = "/stub/nodejs-20"; };
    buildNpmPackage = args: args // { outPath = "/stub/nixforge-\${system}"; };
    importNpmLock = { __functor = _self: args: { importNpmLockArgs = args; }; npmConfigHook = "importNpmLock.npmConfigHook"; };
    mkShell = args: args;
    lib.licenses.mit = "mit";
    python3 = "python3"; gnumake = "gnumake"; makeWrapper = "makeWrapper"; nats-server = "nats-server";
    nix = "nix"; gcc = "gcc"; tree-sitter = "tree-sitter";
  };
  nixpkgs.legacyPackages = builtins.listToAttrs (map (s: { name = s; value = stubPkgs s; }) [ ${SYSTEMS.map((s) => `"${s}"`).join(' ')} ]);
  outputs = flake.outputs { self = outputs // { outPath = root; }; inherit nixpkgs; };
  pkg = outputs.packages.x86_64-linux.default;
  lockArgs = pkg.npmDeps.importNpmLockArgs;
in {
  inputs = builtins.attrNames flake.inputs;
  outputs = builtins.attrNames outputs;
  systems = map (kind: builtins.attrNames outputs.\${kind}) [ "packages" "apps" "devShells" ];
  package = {
    inherit (pkg) pname version npmBuildScript npmConfigHook installPhase;
    hasNpmDepsHash = pkg ? npmDepsHash;
    npmRoot = toString lockArgs.npmRoot;
    src = toString pkg.src;
    mainProgram = pkg.meta.mainProgram;
    sameAsNamed = pkg.outPath == outputs.packages.x86_64-linux.nixforge.outPath;
  };
  lockPackages = lockArgs.packageLock.packages;
  app = outputs.apps.aarch64-darwin.default;
  shell = outputs.devShells.x86_64-linux.default.packages;
}`;

interface LockEntry {
  version?: string;
  resolved?: string;
  integrity?: string;
  link?: boolean;
}

describe('flake.nix', () => {
  it('parses with Nix and needs no hash besides package-lock.json', () => {
    execFileSync('nix-instantiate', ['--parse', join(ROOT, 'flake.nix')], { stdio: 'pipe' });
    const text = readFileSync(join(ROOT, 'flake.nix'), 'utf8');
    expect(text).not.toMatch(/fakeHash|npmDepsHash|sha256-/);
  });

  it('builds the CLI with importNpmLock from the lock, and offers nix run and nix develop on every system', () => {
    const json = execFileSync('nix-instantiate', ['--eval', '--strict', '--json', '-E', `(${EVALUATE}) ${ROOT}`], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    const result = JSON.parse(json) as {
      inputs: string[];
      outputs: string[];
      systems: string[][];
      package: Record<string, unknown>;
      lockPackages: Record<string, LockEntry>;
      app: { type: string; program: string };
      shell: string[];
    };
    expect(result.inputs).toEqual(['nixpkgs']);
    expect(result.outputs).toEqual(['apps', 'devShells', 'packages']);
    for (const systems of result.systems) expect(systems).toEqual([...SYSTEMS].sort());
    const packageJson = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string; scripts: Record<string, string> };
    expect(result.package).toMatchObject({
      pname: 'nixforge',
      version: packageJson.version,
      npmBuildScript: 'build',
      npmConfigHook: 'importNpmLock.npmConfigHook',
      hasNpmDepsHash: false,
      npmRoot: ROOT,
      src: ROOT,
      mainProgram: 'nixforge',
      sameAsNamed: true,
    });
    expect(packageJson.scripts.build).toBeDefined();
    expect(result.package.installPhase).toContain('makeWrapper /stub/nodejs-20/bin/node $out/bin/nixforge');
    expect(result.package.installPhase).toContain('packages/runner/bin/nixforge.js');
    expect(result.app).toEqual({ type: 'app', program: '/stub/nixforge-aarch64-darwin/bin/nixforge', meta: { description: 'nixforge command line' } });
    expect(result.shell).toEqual(expect.arrayContaining(['/stub/nodejs-20', 'nats-server', 'nix']));

    // importNpmLock fetches an entry only through its `resolved` URL, checked against `integrity`.
    const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockEntry> };
    expect(Object.keys(result.lockPackages).sort()).toEqual(Object.keys(lock.packages).sort());
    for (const [path, entry] of Object.entries(result.lockPackages)) {
      if (!path.includes('node_modules/')) continue;
      if (entry.link) {
        expect(existsSync(join(ROOT, entry.resolved!)), path).toBe(true);
        continue;
      }
      expect(entry.integrity, path).toMatch(/^sha(512|1)-/);
      expect(entry.resolved, path).toMatch(/^https:\/\/registry\.npmjs\.org\//);
      expect(entry.integrity).toBe(lock.packages[path]!.integrity);
    }
    expect(result.lockPackages['node_modules/picocolors']!.resolved).toBe('https://registry.npmjs.org/picocolors/-/picocolors-1.1.1.tgz');
    const nx = result.lockPackages['node_modules/@nx/nx-darwin-arm64'];
    expect(nx?.resolved).toBe(`https://registry.npmjs.org/@nx/nx-darwin-arm64/-/nx-darwin-arm64-${nx?.version}.tgz`);
  });
});
