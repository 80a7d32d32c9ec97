import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'vitest';
import { RuleTester } from '@nixforge/core';
import deps from '../src/deps/index.js';
import { FIXTURES } from './rule-harness.js';

RuleTester.describe = describe;
RuleTester.it = it;
const tester = new RuleTester();

/** The files under `fixtures/rules/deps/<dir>`, by path relative to it (after `prefix`). */
function fixtureFiles(dir: string, prefix = ''): Record<string, string> {
  const root = join(FIXTURES, 'deps', dir);
  const files: Record<string, string> = {};
  for (const name of (readdirSync(root, { recursive: true }) as string[]).sort()) {
    if (statSync(join(root, name)).isFile()) files[prefix + name] = readFileSync(join(root, name), 'utf8');
  }
  return files;
}

/** A case from a fixture directory: `file` is tested, the directory's other files are the rest of the project. */
function fromFixture(dir: string, file: string, prefix = ''): { code: string; filename: string; files: Record<string, string> } {
  const { [prefix + file]: code, ...files } = fixtureFiles(dir, prefix);
  if (code === undefined) throw new Error(`no fixture ${dir}/${file}`);
  return { code, filename: prefix + file, files };
}

const FLAKE_RULES = new Set(['missing-input-lock', 'duplicate-nixpkgs', 'stale-input']);

/** A rule's docs example, run as `flake.nix` or `example.nix` beside the files of `docs-example/`. */
function docsExample(rule: string, which: 'bad' | 'good'): { code: string; filename: string; files: Record<string, string> } {
  const docs = deps.rules[rule]!.meta.docs! as { bad: string; good: string };
  return { code: docs[which], filename: FLAKE_RULES.has(rule) ? 'flake.nix' : 'example.nix', files: fixtureFiles('docs-example') };
}

tester.run('deps/missing-input-lock', deps.rules['missing-input-lock']!, {
  valid: [
    { ...docsExample('missing-input-lock', 'good') },
    { ...fromFixture('missing-input-lock/good', 'flake.nix') },
    { ...fromFixture('missing-input-lock/good-examples', 'docs/tutorials/hello/flake.nix') },
    { ...fromFixture('missing-input-lock/good-examples', 'examples/basics/flake.nix') },
    { ...fromFixture('missing-input-lock/good-stale-template', 'templates/toml/flake.nix') },
    { ...fromFixture('missing-input-lock/good-template-path', 'starter/flake.nix') },
    { ...fromFixture('missing-input-lock/good-template-path', 'flake.nix') },
    { ...fromFixture('missing-input-lock/templates', 'basic/flake.nix', 'templates/') },
    // No inputs: nothing to lock.
    { code: '{ outputs = _: { }; }', filename: 'flake.nix' },
  ],
  invalid: [
    {
      ...docsExample('missing-input-lock', 'bad'),
      errors: [
        { messageId: 'inputNotLocked', message: 'input `unlocked` is not in flake.lock: run `nix flake lock`', line: 2, column: 10, endLine: 2, endColumn: 18 },
      ],
    },
    {
      ...fromFixture('missing-input-lock/bad', 'flake.nix'),
      errors: [
        { messageId: 'inputNotLocked', message: 'input `extra` is not in flake.lock: run `nix flake lock`', line: 4, column: 5, endLine: 4, endColumn: 10 },
        { messageId: 'inputNotLocked', message: 'input `data` is not in flake.lock: run `nix flake lock`', line: 5, column: 5, endLine: 5, endColumn: 9 },
      ],
    },
    {
      ...fromFixture('missing-input-lock/broken-lock', 'flake.nix'),
      errors: [
        { messageId: 'unreadableLock', message: 'flake.lock: nodes.nixpkgs.locked.lastModified: expected a number of seconds', line: 2, column: 3, endLine: 2, endColumn: 9 },
      ],
    },
    {
      ...fromFixture('missing-input-lock/no-lock', 'flake.nix'),
      errors: [{ messageId: 'noLock', message: 'no flake.lock beside flake.nix: inputs are not locked', line: 2, column: 3, endLine: 2, endColumn: 9 }],
    },
    // A lock that cannot be used is reported with the reason.
    {
      code: `{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs";
  outputs = _: { };
}`,
      filename: 'flake.nix',
      files: { 'flake.lock': '{"nodes":{},"root":"root"}' },
      errors: [{ messageId: 'unreadableLock', message: 'flake.lock: root node "root" is not in "nodes"', line: 2, column: 3, endLine: 2, endColumn: 9 }],
    },
  ],
});

tester.run('deps/duplicate-nixpkgs', deps.rules['duplicate-nixpkgs']!, {
  valid: [
    { ...docsExample('duplicate-nixpkgs', 'good') },
    { ...fromFixture('duplicate-nixpkgs/good', 'flake.nix') },
  ],
  invalid: [
    {
      ...docsExample('duplicate-nixpkgs', 'bad'),
      errors: [
        { messageId: 'ownNixpkgsVia', message: 'input `home-manager` brings its own nixpkgs (lock node `nixpkgs_2`): add `inputs.home-manager.inputs.nixpkgs.follows = "nixpkgs";`', line: 3, column: 10, endLine: 3, endColumn: 22 },
      ],
    },
    {
      ...fromFixture('duplicate-nixpkgs/bad', 'flake.nix'),
      errors: [
        { messageId: 'ownNixpkgsVia', message: 'input `home-manager` brings its own nixpkgs (lock node `nixpkgs_2`): add `inputs.home-manager.inputs.nixpkgs.follows = "nixpkgs";`', line: 5, column: 5, endLine: 5, endColumn: 17 },
      ],
    },
  ],
});

tester.run('deps/stale-input', deps.rules['stale-input']!, {
  valid: [
    { ...docsExample('stale-input', 'good') },
    { ...fromFixture('stale-input/good', 'flake.nix') },
    { ...fromFixture('stale-input/good-pinned', 'flake.nix') },
    { ...fromFixture('stale-input/good-refreshed-lock', 'flake.nix') },
    { ...fromFixture('stale-input/bad', 'flake.nix'), options: { maxAgeDays: 1000000 } },
  ],
  invalid: [
    { ...docsExample('stale-input', 'bad'), errors: [{ line: 2, column: 3, endLine: 2, endColumn: 9 }] },
    { ...fromFixture('stale-input/bad', 'flake.nix'), errors: [{ line: 2, column: 3, endLine: 2, endColumn: 9 }] },
  ],
});

tester.run('deps/missing-import', deps.rules['missing-import']!, {
  valid: [
    { ...docsExample('missing-import', 'good') },
    { ...fromFixture('missing-import', 'good.nix') },
    { ...fromFixture('missing-import', 'good-optional.nix') },
    { ...fromFixture('missing-import', 'good-copied/home.nix') },
    { ...fromFixture('missing-import', 'good-copied/remote.nix') },
    { ...fromFixture('missing-import', 'good-copied/test.nix') },
    { ...fromFixture('missing-import', 'good-golden/tests/golden/test1.pkgs.nix') },
    { ...fromFixture('missing-import', 'good-mirror/lib/default.nix') },
    { ...fromFixture('missing-import', 'good-template/templates/nixos/flake.nix') },
    { ...fromFixture('missing-import', 'good-tests/tests/config-flake.nix') },
    { ...fromFixture('missing-import', 'lib/default.nix') },
  ],
  invalid: [
    {
      ...docsExample('missing-import', 'bad'),
      errors: [{ messageId: 'missingImport', message: '`./does-not-exist.nix` does not exist', line: 1, column: 8, endLine: 1, endColumn: 28 }],
    },
    {
      ...fromFixture('missing-import', 'bad.nix'),
      errors: [
        { messageId: 'missingImport', message: '`./hardware-configuration.nix` does not exist', line: 5, column: 5, endLine: 5, endColumn: 33 },
        { messageId: 'missingImport', message: '`./missing.nix` does not exist', line: 7, column: 14, endLine: 7, endColumn: 27 },
        { messageId: 'missingImport', message: '`./no-such-dir` does not exist', line: 8, column: 24, endLine: 8, endColumn: 37 },
      ],
    },
    {
      ...fromFixture('missing-import', 'bad-sibling.nix', 'missing-import/'),
      errors: [
        { messageId: 'missingImport', message: '`../missing-import/lib/nope.nix` does not exist', line: 3, column: 14, endLine: 3, endColumn: 44 },
        { messageId: 'missingImport', message: '`./typo.nix` does not exist', line: 4, column: 54, endLine: 4, endColumn: 64 },
      ],
    },
    // Test and example files are checked with includeTests.
    {
      ...fromFixture('missing-import', 'good-tests/tests/config-flake.nix'),
      options: { includeTests: true },
      errors: [{ messageId: 'missingImport', message: '`./nix-on-droid.nix` does not exist', line: 4, column: 95, endLine: 4, endColumn: 113 }],
    },
  ],
});

tester.run('deps/import-cycle', deps.rules['import-cycle']!, {
  valid: [
    { ...docsExample('import-cycle', 'good') },
    { ...fromFixture('import-cycle/good', 'a.nix') },
    { ...fromFixture('import-cycle/good', 'd.nix') },
    { ...fromFixture('import-cycle/bad', 'b.nix') },
    { code: '{ b = import ./b.nix; }', filename: 'a.nix', files: { 'b.nix': '{ c = import ./c.nix; }', 'c.nix': '{ }' } },
  ],
  invalid: [
    {
      ...docsExample('import-cycle', 'bad'),
      errors: [{ messageId: 'importCycle', message: 'import cycle: example.nix -> example.nix', line: 1, column: 8, endLine: 1, endColumn: 21 }],
    },
    {
      ...fromFixture('import-cycle/bad', 'a.nix'),
      errors: [
        { messageId: 'importCycle', message: 'import cycle: a.nix -> b.nix -> c.nix -> a.nix', line: 2, column: 14, endLine: 2, endColumn: 21 },
        { messageId: 'importCycle', message: 'import cycle: a.nix -> a.nix', line: 3, column: 17, endLine: 3, endColumn: 24 },
      ],
    },
    // The group is larger than the shortest cycle through its first file.
    {
      code: 'import ./b.nix',
      filename: 'a.nix',
      files: { 'b.nix': '[ (import ./a.nix) (import ./c.nix) ]', 'c.nix': 'import ./a.nix' },
      errors: [
        { messageId: 'importCycleInGroup', message: 'import cycle: a.nix -> b.nix -> a.nix (3 files import each other in this group)', line: 1, column: 8, endLine: 1, endColumn: 15 },
      ],
    },
    // A file that imports itself.
    {
      code: '{ x = import ./a.nix; }',
      filename: 'a.nix',
      errors: [{ messageId: 'importCycle', message: 'import cycle: a.nix -> a.nix', line: 1, column: 14, endLine: 1, endColumn: 21 }],
    },
  ],
});
