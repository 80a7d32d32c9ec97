import { dirname, join, relative } from 'node:path';
import type { ProjectContext, ProjectFile } from '@nixforge/core';
import { DEPS_FACTS_KEY, type DepsFacts, type ImportFact } from './facts.js';
import { importPathOf } from './import-graph.js';
import { FlakeLockError, parseFlakeLock, type FlakeLock } from './flake-lock.js';

/** The project as the deps checks see it. */
export type DepsProject = ProjectContext<DepsFacts, any>;

/** An import resolved against the discovered files and the file system of this run. */
export interface ResolvedImport {
  fact: ImportFact;
  /** Absolute target; a directory means its default.nix. */
  target: string;
  exists: boolean;
}

const imports = new WeakMap<readonly ProjectFile<DepsFacts>[], Map<string, ResolvedImport[]>>();

/**
 * The imports of every file, resolved once per run and shared by the checks (memoised on the files array,
 * which rules with the same facts key share). A target among the discovered files needs no file-system call.
 */
export function resolvedImports(project: DepsProject): Map<string, ResolvedImport[]> {
  let resolved = imports.get(project.files);
  if (resolved) return resolved;
  resolved = new Map();
  const directoryEntry = new Map<string, { target: string; exists: boolean }>();
  for (const file of project.files) {
    const facts = file.facts;
    if (!facts?.imports) continue;
    const base = facts.baseDir ?? dirname(file.absolutePath);
    const refs: ResolvedImport[] = [];
    for (const fact of facts.imports) {
      const path = importPathOf(fact.spec, base);
      if (path === undefined) continue;
      if (project.fileAt(path)) {
        refs.push({ fact, target: path, exists: true });
        continue;
      }
      let known = directoryEntry.get(path);
      if (!known) {
        const kind = project.fs.kind(path);
        if (kind === 'directory') {
          const entry = join(path, 'default.nix');
          known = { target: entry, exists: project.fileAt(entry) !== undefined || project.fs.kind(entry) === 'file' };
        } else {
          known = { target: path, exists: kind !== undefined };
        }
        directoryEntry.set(path, known);
      }
      refs.push({ fact, ...known });
    }
    resolved.set(file.absolutePath, refs);
  }
  imports.set(project.files, resolved);
  return resolved;
}

/** flake.lock beside a flake.nix, read afresh in every run (a lock-only change must change the answer). */
export interface LockState {
  lockPath: string;
  exists: boolean;
  lock?: FlakeLock;
  /** Why the lock could not be read. */
  error?: string;
}

const locks = new WeakMap<readonly ProjectFile<DepsFacts>[], Map<string, LockState>>();

/** A path as shown in messages: relative to the working directory when inside it. */
export function shownPath(project: DepsProject, path: string): string {
  const shown = relative(project.cwd, path);
  return shown && !shown.startsWith('..') ? shown : path;
}

/** Reads and parses the flake.lock beside `flakeFile` (once per run for all checks). */
export function lockBeside(project: DepsProject, flakeFile: string): LockState {
  let byFile = locks.get(project.files);
  if (!byFile) {
    byFile = new Map();
    locks.set(project.files, byFile);
  }
  let state = byFile.get(flakeFile);
  if (state) return state;
  const lockPath = join(dirname(flakeFile), 'flake.lock');
  const kind = project.fs.kind(lockPath);
  if (kind === undefined) {
    state = { lockPath, exists: false };
  } else {
    const text = project.fs.readText(lockPath);
    const shown = shownPath(project, lockPath);
    if (text === undefined) {
      state = { lockPath, exists: true, error: `${shown}: cannot be read` };
    } else {
      try {
        state = { lockPath, exists: true, lock: parseFlakeLock(text, shown) };
      } catch (error) {
        state = { lockPath, exists: true, error: error instanceof FlakeLockError ? error.message : `${shown}: ${String(error)}` };
      }
    }
  }
  byFile.set(flakeFile, state);
  return state;
}

/** The flake.nix files of the project with their facts. */
export function flakesOf(project: DepsProject): Array<ProjectFile<DepsFacts> & { facts: DepsFacts & { flake: NonNullable<DepsFacts['flake']> } }> {
  return project.files.filter((file) => file.facts?.flake !== undefined) as never;
}

export { DEPS_FACTS_KEY };
