import { readFileSync, statSync } from 'node:fs';
import { SourceFile } from '@nixforge/core';
import { collectImports } from './import-graph.js';

interface CachedImports {
  mtimeMs: number;
  size: number;
  /** Absolute paths of existing imported files. */
  targets: string[];
}

/** Entries kept per thread. Each holds a few paths, never a tree, so the cache stays small. */
const MAX_ENTRIES = 4096;
const cache = new Map<string, CachedImports>();

function remember(file: string, entry: CachedImports): void {
  cache.delete(file);
  cache.set(file, entry);
  if (cache.size > MAX_ENTRIES) cache.delete(cache.keys().next().value!);
}

/** Records the imports of a file that is being analysed anyway (its tree is already parsed). */
export function rememberImports(file: string, targets: string[]): void {
  const stat = statSync(file, { throwIfNoEntry: false });
  if (stat) remember(file, { mtimeMs: stat.mtimeMs, size: stat.size, targets });
}

/**
 * The files a Nix file imports (absolute paths of existing targets), from a per-thread LRU cache keyed by
 * path and validated by mtime and size. A miss parses the file, collects its imports and drops the tree.
 * Unreadable files import nothing.
 */
export function importTargetsOf(file: string): string[] {
  const stat = statSync(file, { throwIfNoEntry: false });
  if (!stat || !stat.isFile()) return [];
  const cached = cache.get(file);
  if (cached && cached.mtimeMs === stat.mtimeMs && cached.size === stat.size) {
    remember(file, cached);
    return cached.targets;
  }
  let targets: string[] = [];
  try {
    const source = new SourceFile(file, readFileSync(file, 'utf8'));
    try {
      targets = collectImports(source, file).filter((r) => r.exists).map((r) => r.target);
    } finally {
      source.dispose();
    }
  } catch {
    targets = [];
  }
  remember(file, { mtimeMs: stat.mtimeMs, size: stat.size, targets });
  return targets;
}

/** Empties the cache (tests). */
export function clearImportCache(): void {
  cache.clear();
}
