import { readFile, realpath, rm, rmdir } from 'node:fs/promises';
import path from 'node:path';
import { removeAbandonedTemps, writeFileAtomically } from '@nixforge/core';
import type { GeneratedFile } from './generated-file.js';

/** What `writeGeneratedFiles` did (or, with `check`, would do); paths relative to the output directory. */
export interface WriteResult {
  written: string[];
  unchanged: string[];
  removed: string[];
  /** Files that differ from what is on disk (written, or in check mode would be written or removed). */
  wouldChange: string[];
}

export interface WriteOptions {
  /** Compare only: report `wouldChange` and touch nothing. */
  check?: boolean;
  /** Relative paths to delete when they exist and are not among `files` (e.g. hosts of removed nodes). */
  removeStale?: string[];
}

/** Resolves `relative` inside `outDir`; throws for absolute paths or any path that escapes it. */
export function resolveInside(outDir: string, relative: string): string {
  const root = path.resolve(outDir);
  if (relative.length === 0 || path.isAbsolute(relative) || relative.includes('\\') || relative.includes('\0')) {
    throw new Error(`refusing to write '${relative}': not a relative path inside ${root}`);
  }
  const target = path.resolve(root, relative);
  if (target === root || !target.startsWith(root + path.sep)) {
    throw new Error(`refusing to write '${relative}': it escapes ${root}`);
  }
  return target;
}

async function realpathOrUndefined(file: string): Promise<string | undefined> {
  try {
    return await realpath(file);
  } catch {
    return undefined;
  }
}

/**
 * Refuses a target whose existing parent directories lead outside `outDir` through a symbolic link: the
 * deepest existing ancestor, resolved, must still be inside the resolved output directory.
 */
async function assertNoLinkEscape(outDir: string, relative: string, target: string): Promise<void> {
  const root = path.resolve(outDir);
  const realRoot = await realpathOrUndefined(root);
  if (realRoot === undefined) return; // nothing exists yet, so nothing can point elsewhere
  for (let dir = path.dirname(target); dir.startsWith(root + path.sep); dir = path.dirname(dir)) {
    const real = await realpathOrUndefined(dir);
    if (real === undefined) continue;
    if (real !== realRoot && !real.startsWith(realRoot + path.sep)) throw new Error(`refusing to write '${relative}': ${dir} leads outside ${root}`);
    return;
  }
}

async function readIfExists(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Removes directories left empty by a removal, up to (not including) the output directory. */
async function removeEmptyParents(outDir: string, removedFile: string): Promise<void> {
  const root = path.resolve(outDir);
  for (let dir = path.dirname(removedFile); dir !== root && dir.startsWith(root + path.sep); dir = path.dirname(dir)) {
    try {
      await rmdir(dir);
    } catch {
      return; // not empty (or already gone): stop here
    }
  }
}

/**
 * Writes generated files under `outDir`. Every path is checked before anything is written; files whose
 * content is already on disk are left alone (their mtime is kept).
 */
export async function writeGeneratedFiles(outDir: string, files: readonly GeneratedFile[], options: WriteOptions = {}): Promise<WriteResult> {
  const targets = files.map((file) => ({ file, target: resolveInside(outDir, file.path) }));
  const keep = new Set(files.map((file) => file.path));
  const stale = (options.removeStale ?? []).filter((relative) => !keep.has(relative)).map((relative) => ({ relative, target: resolveInside(outDir, relative) }));
  for (const { file, target } of targets) await assertNoLinkEscape(outDir, file.path, target);
  for (const { relative, target } of stale) await assertNoLinkEscape(outDir, relative, target);
  const result: WriteResult = { written: [], unchanged: [], removed: [], wouldChange: [] };
  // A writer killed between write and rename (e.g. `nixforge serve` on SIGKILL) leaves its temporary file behind.
  if (!options.check) for (const dir of new Set([path.resolve(outDir), ...targets.map(({ target }) => path.dirname(target))])) await removeAbandonedTemps(dir);
  for (const { file, target } of targets) {
    const current = await readIfExists(target);
    if (current === file.content) {
      result.unchanged.push(file.path);
      continue;
    }
    result.wouldChange.push(file.path);
    if (options.check) continue;
    await writeFileAtomically(target, file.content);
    result.written.push(file.path);
  }
  for (const { relative, target } of stale) {
    if ((await readIfExists(target)) === undefined) continue;
    result.wouldChange.push(relative);
    if (options.check) continue;
    await rm(target, { force: true });
    await removeEmptyParents(outDir, target);
    result.removed.push(relative);
  }
  return result;
}
