import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import git from 'isomorphic-git';
import { FixtureRepo, hasGit } from './history-fixture.js';
import { GitObjectStore, changedNixFilesSince, listNixFilesAtRev, readBlobText } from '../src/git/index.js';
import { UsageError } from '../src/errors.js';

describe.skipIf(!hasGit)('git-files helpers for scan --rev and --changed-since', () => {
  const repo = hasGit ? new FixtureRepo() : (undefined as unknown as FixtureRepo);
  let first = '';

  beforeAll(() => {
    repo.write({ 'default.nix': '{ }\n', 'modules/a.nix': 'a\n', 'modules/deep/b.nix': 'b\n', 'notes.md': 'x\n', '.gitignore': 'ignored.nix\n' });
    first = repo.commit('first');
    repo.write({ 'modules/a.nix': 'a2\n', 'modules/new.nix': 'new\n', 'gone.nix': 'soon deleted\n' });
    repo.commit('second');
    repo.remove('gone.nix');
    repo.commit('third');
  });
  afterAll(() => repo?.dispose());

  it('lists every *.nix blob of a revision with posix paths, and reads blob text', async () => {
    const files = await listNixFilesAtRev(repo.dir, first);
    expect(files.map((file) => file.path)).toEqual(['default.nix', 'modules/a.nix', 'modules/deep/b.nix']);
    expect(files[1]!.oid).toBe(repo.git('rev-parse', `${first}:modules/a.nix`).trim());
    expect(await readBlobText(repo.dir, files[1]!.oid)).toBe('a\n');
    expect((await listNixFilesAtRev(repo.dir, 'HEAD')).map((file) => file.path)).toEqual([
      'default.nix',
      'modules/a.nix',
      'modules/deep/b.nix',
      'modules/new.nix',
    ]);
    // From a folder inside the work tree too.
    expect((await listNixFilesAtRev(join(repo.dir, 'modules'), 'HEAD~2')).length).toBe(3);
  });

  it('lists *.nix files changed since a revision, committed or not, that exist now', async () => {
    repo.write({ 'modules/deep/b.nix': 'b changed, not committed\n', 'untracked.nix': 'u\n', 'ignored.nix': 'i\n', 'other.txt': 't\n' });
    try {
      expect(await changedNixFilesSince(repo.dir, first)).toEqual(['modules/a.nix', 'modules/deep/b.nix', 'modules/new.nix', 'untracked.nix']);
      expect(await changedNixFilesSince(repo.dir, 'HEAD')).toEqual(['modules/deep/b.nix', 'untracked.nix']);
    } finally {
      repo.git('checkout', '--', 'modules/deep/b.nix');
      repo.remove('untracked.nix', 'ignored.nix', 'other.txt');
    }
  });

  it('throws UsageErrors for unknown revisions and non-repositories', async () => {
    await expect(listNixFilesAtRev(repo.dir, 'nope')).rejects.toThrow(UsageError);
    await expect(listNixFilesAtRev(repo.dir, 'nope')).rejects.toThrow("--rev: unknown revision 'nope'");
    await expect(changedNixFilesSince(repo.dir, 'deadbeef')).rejects.toThrow("--changed-since: unknown revision 'deadbeef'");
    const plain = mkdtempSync(join(tmpdir(), 'nixforge-plain-'));
    try {
      await expect(listNixFilesAtRev(plain, 'HEAD')).rejects.toThrow(/not a Git repository/);
    } finally {
      rmSync(plain, { recursive: true, force: true });
    }
  });
});

describe.skipIf(!hasGit)('GitObjectStore', () => {
  it('reads every object of a delta-compressed pack exactly as isomorphic-git does', async () => {
    const repo = new FixtureRepo();
    try {
      // Many similar versions of a large tree and file, so `git gc` stores most of them as deltas.
      for (let version = 0; version < 30; version++) {
        const files: Record<string, string> = {};
        for (let i = 0; i < 40; i++) files[`pkgs/p${i}/default.nix`] = `{ version = "${i === version % 40 ? version : 0}"; }\n`;
        files['big.nix'] = Array.from({ length: 400 }, (_, line) => `line ${line} ${line === version ? 'changed' : ''}`).join('\n');
        repo.write(files);
        repo.commit(`version ${version}`);
      }
      execFileSync('git', ['gc', '-q', '--aggressive'], { cwd: repo.dir });
      writeFileSync(join(repo.dir, 'loose.nix'), 'loose\n');
      repo.commit('a loose commit after gc');
      const gitdir = join(repo.dir, '.git');
      const oids = repo.git('rev-list', '--objects', '--all').split('\n').filter(Boolean).map((line) => line.slice(0, 40));
      const deltas = repo.git('verify-pack', '-v', ...fs.readdirSync(join(gitdir, 'objects/pack')).filter((name) => name.endsWith('.idx')).map((name) => join(gitdir, 'objects/pack', name)));
      expect(deltas).toMatch(/chain length = [2-9]/);
      const store = new GitObjectStore(gitdir);
      try {
        for (const oid of oids) {
          const expected = await git.readObject({ fs, gitdir, oid, format: 'content' });
          const actual = await store.readObject(oid);
          expect(actual.type).toBe(expected.type);
          expect(actual.data.equals(Buffer.from(expected.object as Uint8Array))).toBe(true);
        }
      } finally {
        store.close();
      }
      expect(oids.length).toBeGreaterThan(100);
    } finally {
      repo.dispose();
    }
  });
});
