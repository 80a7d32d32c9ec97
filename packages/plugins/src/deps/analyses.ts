import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import type { Analysis, RuleContext, SourceFile } from '@nixforge/core';
import { syntaxIndex } from '../security/indexes.js';
import { collectImports, type ImportRef } from './import-graph.js';
import { readFlakeInputs, type FlakeInputs } from './flake-inputs.js';
import { FlakeLockError, parseFlakeLock, type FlakeLock } from './flake-lock.js';

/** Absolute path of the file being analysed (reported paths are relative to the working directory). */
export function absolutePathOf(source: SourceFile): string {
  return source.absolutePath;
}

/** The directory reported paths are relative to: the absolute path minus the reported path. */
export function displayRootOf(source: SourceFile): string {
  const absolute = source.absolutePath;
  const shown = source.path.split('\\').join('/');
  const posix = absolute.split('\\').join('/');
  return posix.endsWith(`/${shown}`) ? absolute.slice(0, absolute.length - shown.length - 1) : process.cwd();
}

/** The file's imports, shared by the deps rules (built from the shared syntax index). */
export function importsOf(context: RuleContext<any>): ImportRef[] {
  return context.getAnalysis({
    name: 'deps/imports',
    compute: (source) => collectImports(source, absolutePathOf(source), context.getAnalysis(syntaxIndex)),
  });
}

/** A flake's declared inputs and its lock (read from beside flake.nix). */
export interface FlakeFacts extends FlakeInputs {
  lockPath: string;
  lock?: FlakeLock;
  /** Why the lock could not be read; undefined when it is fine or absent. */
  lockError?: string;
  lockExists: boolean;
}

/** A path as shown in messages: relative to the working directory when inside it. */
function shownPath(path: string): string {
  const shown = relative(process.cwd(), path);
  return shown && !shown.startsWith('..') ? shown : path;
}

/** Reads flake.lock beside a flake.nix, reporting problems as text instead of throwing. */
export function readLockBeside(flakeFile: string): Pick<FlakeFacts, 'lockPath' | 'lock' | 'lockError' | 'lockExists'> {
  const lockPath = join(dirname(flakeFile), 'flake.lock');
  if (!existsSync(lockPath)) return { lockPath, lockExists: false };
  try {
    return { lockPath, lockExists: true, lock: parseFlakeLock(readFileSync(lockPath, 'utf8'), shownPath(lockPath)) };
  } catch (error) {
    const message = error instanceof FlakeLockError ? error.message : `${shownPath(lockPath)}: ${String(error)}`;
    return { lockPath, lockExists: true, lockError: message };
  }
}

/** Flake inputs plus lock, computed once per flake.nix for all deps rules. */
export const flakeAnalysis: Analysis<FlakeFacts> = {
  name: 'deps/flake',
  compute: (source) => ({ ...readFlakeInputs(source), ...readLockBeside(absolutePathOf(source)) }),
};
