import { chmod, lstat, mkdtemp, readdir, readFile, readlink, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { removeAbandonedTemps, writeFileAtomically } from '../src/index.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'nixforge-atomic-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('writeFileAtomically', () => {
  it('creates parent directories, replaces the file, keeps its mode and leaves no temporary file', async () => {
    const target = join(dir, 'a/b/state.json');
    await writeFileAtomically(target, 'one');
    await chmod(target, 0o640);
    await writeFileAtomically(target, new TextEncoder().encode('two'));
    expect(await readFile(target, 'utf8')).toBe('two');
    expect((await stat(target)).mode & 0o777).toBe(0o640);
    expect(await readdir(join(dir, 'a/b'))).toEqual(['state.json']);
  });

  it('writes a device or pipe in place instead of renaming a file over it (/dev/null stays a device)', async () => {
    const fifo = join(dir, 'pipe');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const received = readFile(fifo, 'utf8');
    await writeFileAtomically(fifo, 'through the pipe');
    expect(await received).toBe('through the pipe');
    expect((await lstat(fifo)).isFIFO()).toBe(true);
    await writeFileAtomically('/dev/null', 'nothing');
    expect((await lstat('/dev/null')).isCharacterDevice()).toBe(true);
    expect(await readdir(dir)).toEqual(['pipe']);
  });

  it('replaces the target of a symbolic link and keeps the link', async () => {
    await writeFile(join(dir, 'real.json'), 'old');
    await symlink('real.json', join(dir, 'link.json'));
    await writeFileAtomically(join(dir, 'link.json'), 'new');
    expect(await readlink(join(dir, 'link.json'))).toBe('real.json');
    expect(await readFile(join(dir, 'real.json'), 'utf8')).toBe('new');
  });

  it('removes its temporary file when the rename fails', async () => {
    const target = join(dir, 'taken');
    await writeFileAtomically(join(target, 'inner'), 'x'); // `taken` is a directory now
    await expect(writeFileAtomically(target, 'y')).rejects.toThrow();
    expect(await readdir(dir)).toEqual(['taken']);
  });
});

describe('removeAbandonedTemps', () => {
  it("removes a dead writer's temporary files, not a live one's or other files", async () => {
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
    await writeFile(join(dir, `flake.nix.nixforge-${dead}-0-3.tmp`), 'half');
    await writeFile(join(dir, `old.nix.nixforge-${dead}-4.tmp`), 'half');
    await writeFile(join(dir, `live.nix.nixforge-${process.ppid}-0-1.tmp`), 'live');
    await writeFile(join(dir, 'notes.tmp'), 'mine');
    await removeAbandonedTemps(dir);
    await removeAbandonedTemps(join(dir, 'missing'));
    expect((await readdir(dir)).sort()).toEqual([`live.nix.nixforge-${process.ppid}-0-1.tmp`, 'notes.tmp']);
  });
});
