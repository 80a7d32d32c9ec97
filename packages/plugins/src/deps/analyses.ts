import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { FlakeLockError, parseFlakeLock, type FlakeLock } from './flake-lock.js';

/** A path as shown in messages: relative to the working directory when inside it. */
function shownPath(path: string): string {
  const shown = relative(process.cwd(), path);
  return shown && !shown.startsWith('..') ? shown : path;
}

/** Reads flake.lock beside a flake.nix, reporting problems as text instead of throwing (library helper). */
export function readLockBeside(flakeFile: string): { lockPath: string; lock?: FlakeLock; lockError?: string; lockExists: boolean } {
  const lockPath = join(dirname(flakeFile), 'flake.lock');
  if (!existsSync(lockPath)) return { lockPath, lockExists: false };
  try {
    return { lockPath, lockExists: true, lock: parseFlakeLock(readFileSync(lockPath, 'utf8'), shownPath(lockPath)) };
  } catch (error) {
    const message = error instanceof FlakeLockError ? error.message : `${shownPath(lockPath)}: ${String(error)}`;
    return { lockPath, lockExists: true, lockError: message };
  }
}
