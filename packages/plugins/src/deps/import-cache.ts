import { readFileSync, statSync } from 'node:fs';
import { SourceFile } from '@nixforge/core';
import { collectImports, resolveImportTarget } from './import-graph.js';

interface CachedTargets {
  mtimeMs: number;
  size: number;
  /** Absolute paths of existing imported files. */
  targets: string[];
}

/** Entries kept per thread and per kind. Each holds a few paths, never a tree, so the caches stay small. */
const MAX_ENTRIES = 4096;

/** A per-thread LRU of target lists keyed by file path and validated by mtime and size. */
class TargetCache {
  private readonly entries = new Map<string, CachedTargets>();

  get(file: string, mtimeMs: number, size: number): string[] | undefined {
    const cached = this.entries.get(file);
    if (!cached || cached.mtimeMs !== mtimeMs || cached.size !== size) return undefined;
    this.set(file, cached);
    return cached.targets;
  }

  set(file: string, entry: CachedTargets): void {
    this.entries.delete(file);
    this.entries.set(file, entry);
    if (this.entries.size > MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
  }

  clear(): void {
    this.entries.clear();
  }
}

const exact = new TargetCache();
const candidates = new TargetCache();

/** Records the imports of a file that is being analysed anyway (its tree is already parsed). */
export function rememberImports(file: string, targets: string[]): void {
  const stat = statSync(file, { throwIfNoEntry: false });
  if (stat) exact.set(file, { mtimeMs: stat.mtimeMs, size: stat.size, targets });
}

function cachedOrComputed(cache: TargetCache, file: string, compute: (text: string) => string[]): string[] {
  const stat = statSync(file, { throwIfNoEntry: false });
  if (!stat || !stat.isFile()) return [];
  const cached = cache.get(file, stat.mtimeMs, stat.size);
  if (cached) return cached;
  let targets: string[];
  try {
    targets = compute(readFileSync(file, 'utf8'));
  } catch {
    targets = [];
  }
  cache.set(file, { mtimeMs: stat.mtimeMs, size: stat.size, targets });
  return targets;
}

/**
 * The files a Nix file imports (absolute paths of existing targets), judged from its syntax tree. A cache miss
 * parses the file, collects its imports and drops the tree. Unreadable files import nothing.
 */
export function importTargetsOf(file: string): string[] {
  return cachedOrComputed(exact, file, (text) => {
    const source = new SourceFile(file, text);
    try {
      return collectImports(source, file).filter((r) => r.exists).map((r) => r.target);
    } finally {
      source.dispose();
    }
  });
}

/**
 * Everything in a Nix file's text that looks like a path literal: a relative or absolute path made of the
 * characters Nix allows in paths. It also finds paths in comments and strings, and paths that are not
 * imported, so it over-approximates what the file imports.
 */
const PATH_LIKE = /(?<![A-Za-z0-9._+\-/])[A-Za-z0-9._+-]*(?:\/[A-Za-z0-9._+-]+)+/g;

/**
 * A superset of `importTargetsOf(file)` read from the text alone, without parsing: every existing file that
 * some path-like text in it resolves to. Cycle searches use it first, and parse files only when it finds a
 * candidate cycle.
 */
export function candidateTargetsOf(file: string): string[] {
  return cachedOrComputed(candidates, file, (text) => {
    const targets = new Set<string>();
    for (const match of text.matchAll(PATH_LIKE)) {
      const resolved = resolveImportTarget(match[0], file);
      if (resolved?.exists) targets.add(resolved.target);
    }
    return [...targets];
  });
}

/** Empties the caches (tests). */
export function clearImportCache(): void {
  exact.clear();
  candidates.clear();
}
