import { mkdtemp, readdir, readFile, rm, stat, symlink, utimes, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeGeneratedFiles } from '../src/index.js';

let root: string;
let out: string;
beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'nixforge-writer-'));
  out = path.join(root, 'out');
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('writeGeneratedFiles', () => {
  it('removes temporary files left by a writer that was killed, but not those of a running one', async () => {
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
    await mkdir(path.join(out, 'hosts/a'), { recursive: true });
    await writeFile(path.join(out, `flake.nix.nixforge-${dead}-3.tmp`), 'half a fi');
    await writeFile(path.join(out, `hosts/a/default.nix.nixforge-${dead}-4.tmp`), 'half');
    await writeFile(path.join(out, `notes.nixforge-${process.ppid}-1.tmp`), 'a live writer');
    await writeGeneratedFiles(out, [{ path: 'hosts/a/default.nix', content: '{ ... }: { }\n' }]);
    expect((await readdir(out)).sort()).toEqual(['hosts', `notes.nixforge-${process.ppid}-1.tmp`]);
    expect(await readdir(path.join(out, 'hosts/a'))).toEqual(['default.nix']);
  });

  it('writes new files, leaves unchanged ones alone (mtime kept) and leaves no temporary files', async () => {
    const files = [
      { path: 'flake.nix', content: '{ }\n' },
      { path: 'hosts/a/default.nix', content: '{ ... }: { }\n' },
    ];
    expect(await writeGeneratedFiles(out, files)).toEqual({ written: ['flake.nix', 'hosts/a/default.nix'], unchanged: [], removed: [], wouldChange: ['flake.nix', 'hosts/a/default.nix'] });
    const old = new Date('2020-01-01T00:00:00Z');
    await utimes(path.join(out, 'flake.nix'), old, old);
    const second = await writeGeneratedFiles(out, [{ path: 'flake.nix', content: '{ }\n' }, { path: 'hosts/a/default.nix', content: '{ ... }: { a = 1; }\n' }]);
    expect(second.written).toEqual(['hosts/a/default.nix']);
    expect(second.unchanged).toEqual(['flake.nix']);
    expect((await stat(path.join(out, 'flake.nix'))).mtime.getTime()).toBe(old.getTime());
    expect(await readFile(path.join(out, 'hosts/a/default.nix'), 'utf8')).toContain('a = 1;');
    expect((await readdir(path.join(out, 'hosts/a'))).sort()).toEqual(['default.nix']);
  });

  it('in check mode reports what would change and writes nothing', async () => {
    const result = await writeGeneratedFiles(out, [{ path: 'flake.nix', content: 'x' }], { check: true, removeStale: ['hosts/old/default.nix'] });
    expect(result).toEqual({ written: [], unchanged: [], removed: [], wouldChange: ['flake.nix'] });
    await expect(stat(out)).rejects.toThrow();
  });

  it('removes stale files and the directories they leave empty', async () => {
    await writeGeneratedFiles(out, [{ path: 'hosts/old/default.nix', content: 'x' }, { path: 'flake.nix', content: 'y' }]);
    const result = await writeGeneratedFiles(out, [{ path: 'flake.nix', content: 'y' }], { removeStale: ['hosts/old/default.nix', 'hosts/never/default.nix'] });
    expect(result.removed).toEqual(['hosts/old/default.nix']);
    expect(await readdir(out)).toEqual(['flake.nix']);
  });

  it('refuses any path that escapes the output directory, before writing anything', async () => {
    for (const bad of ['../evil.nix', '/etc/passwd', 'hosts/../../evil.nix', '', 'a\\b', '.']) {
      await expect(writeGeneratedFiles(out, [{ path: 'ok.nix', content: 'x' }, { path: bad, content: 'x' }])).rejects.toThrow(/refusing to write/);
    }
    await expect(stat(path.join(out, 'ok.nix'))).rejects.toThrow();
    await expect(stat(path.join(root, 'evil.nix'))).rejects.toThrow();
  });

  it('refuses to follow a symbolic link out of the output directory', async () => {
    const outside = path.join(root, 'outside');
    await mkdir(outside);
    await mkdir(out);
    await symlink(outside, path.join(out, 'hosts'));
    await expect(writeGeneratedFiles(out, [{ path: 'hosts/a/default.nix', content: 'x' }])).rejects.toThrow(/refusing to write/);
    expect(await readdir(outside)).toEqual([]);
    await writeFile(path.join(outside, 'keep'), 'k');
  });
});
