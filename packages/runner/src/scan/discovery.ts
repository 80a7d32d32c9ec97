import { readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { lstat, stat } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { UsageError } from '../errors.js';

/** A file to scan, or a path that could not be scanned (still reported, with the reason). */
export interface DiscoveredFile {
  /** Absolute path. */
  absolutePath: string;
  /** Path as shown in reports: relative to the working directory, posix separators. */
  displayPath: string;
  /** Size in bytes (0 when unknown). */
  size: number;
  /** Set when the path cannot be scanned: dangling symlink, unreadable directory... */
  problem?: { code: string; message: string };
}

export interface DiscoveryOptions {
  cwd: string;
  /** Extra gitignore-style patterns: `--exclude` (relative to cwd) and the configuration's `ignores` (relative to its file). */
  excludes: ReadonlyArray<{ baseDir: string; patterns: readonly string[] }>;
  /** Descend into hidden directories (names starting with `.`). `.git` is always skipped. */
  hidden: boolean;
}

function toPosix(path: string): string {
  return sep === '/' ? path : path.split(sep).join('/');
}

export function displayPathOf(cwd: string, absolutePath: string): string {
  const rel = relative(cwd, absolutePath);
  return toPosix(rel === '' ? '.' : rel);
}

interface IgnoreLayer {
  /** Directory the .gitignore lives in. */
  dir: string;
  rules: Ignore;
}

function ignoredBy(layers: readonly IgnoreLayer[], absolutePath: string, isDirectory: boolean): boolean {
  for (const layer of layers) {
    const rel = toPosix(relative(layer.dir, absolutePath));
    if (rel === '' || rel.startsWith('..')) continue;
    if (layer.rules.ignores(isDirectory ? `${rel}/` : rel)) return true;
  }
  return false;
}

// The walk uses synchronous calls: on 40,000 files the promise-based ones spent seconds in scheduling and in
// exceptions for absent .gitignore files, and nothing else runs on the main thread while it discovers.
function readGitignore(dir: string): IgnoreLayer | undefined {
  const path = join(dir, '.gitignore');
  if (statSync(path, { throwIfNoEntry: false })?.isFile() !== true) return undefined;
  try {
    return { dir, rules: ignore().add(readFileSync(path, 'utf8')) };
  } catch {
    return undefined;
  }
}

/**
 * Finds the files to scan. Explicit file arguments are always scanned; directories are walked for `*.nix`,
 * honouring `.gitignore` files (of the directory and its parents up to the repository root), excludes, and
 * hidden directories. Symlinks are followed, but a directory is entered at most once (by real path), so
 * symlink loops end. The result is sorted by display path, which fixes the report order.
 */
export async function discoverFiles(targets: readonly string[], options: DiscoveryOptions): Promise<DiscoveredFile[]> {
  const cwd = resolve(options.cwd);
  const excludeLayers: IgnoreLayer[] = options.excludes
    .filter((e) => e.patterns.length > 0)
    .map((e) => ({ dir: resolve(e.baseDir), rules: ignore().add([...e.patterns]) }));
  const found = new Map<string, DiscoveredFile>();
  const visitedDirs = new Set<string>();

  const add = (file: DiscoveredFile): void => {
    if (!found.has(file.displayPath)) found.set(file.displayPath, file);
  };

  for (const target of targets) {
    const absolute = resolve(cwd, target);
    let info;
    try {
      info = await stat(absolute);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const isLink = await lstat(absolute).then((l) => l.isSymbolicLink(), () => false);
      if (isLink) {
        add({ absolutePath: absolute, displayPath: displayPathOf(cwd, absolute), size: 0, problem: { code: 'read-error', message: `dangling or looping symlink (${code})` } });
        continue;
      }
      throw new UsageError(`path not found: ${target}`);
    }
    if (info.isDirectory()) {
      const layers = [...excludeLayers, ...(await parentGitignores(absolute))];
      await walkDirectory(absolute, layers, cwd, options, visitedDirs, add);
    } else {
      add({ absolutePath: absolute, displayPath: displayPathOf(cwd, absolute), size: info.size });
    }
  }
  return [...found.values()].sort((a, b) => (a.displayPath < b.displayPath ? -1 : a.displayPath > b.displayPath ? 1 : 0));
}

/** .gitignore files of the parents of `dir`, up to and including the directory that holds `.git`. */
async function parentGitignores(dir: string): Promise<IgnoreLayer[]> {
  const layers: IgnoreLayer[] = [];
  let current = resolve(dir, '..');
  let child = dir;
  const chain: string[] = [];
  while (current !== child) {
    chain.push(current);
    const isRepoRoot = await stat(join(current, '.git')).then(() => true, () => false);
    if (isRepoRoot) break;
    child = current;
    current = resolve(current, '..');
  }
  const repoRootFound = chain.length > 0 && (await stat(join(chain[chain.length - 1]!, '.git')).then(() => true, () => false));
  if (!repoRootFound) return layers;
  for (const parent of chain) {
    const layer = readGitignore(parent);
    if (layer) layers.push(layer);
  }
  return layers;
}

async function walkDirectory(
  root: string,
  inheritedLayers: IgnoreLayer[],
  cwd: string,
  options: DiscoveryOptions,
  visitedDirs: Set<string>,
  add: (file: DiscoveredFile) => void,
): Promise<void> {
  // Explicit stack: directory trees can be arbitrarily deep.
  const stack: Array<{ dir: string; layers: IgnoreLayer[] }> = [{ dir: root, layers: inheritedLayers }];
  while (stack.length > 0) {
    const { dir, layers: parentLayers } = stack.pop()!;
    let real: string;
    try {
      // The native call resolves the path in one go; the JavaScript one lstats every component of it.
      real = realpathSync.native(dir);
    } catch {
      continue;
    }
    if (visitedDirs.has(real)) continue;
    visitedDirs.add(real);
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (error) {
      add({
        absolutePath: dir,
        displayPath: displayPathOf(cwd, dir),
        size: 0,
        problem: { code: 'read-error', message: `cannot read directory (${(error as NodeJS.ErrnoException).code ?? error})` },
      });
      continue;
    }
    // Only a directory that lists a `.gitignore` can have one: no probe of the others.
    const own = entries.some((entry) => entry.name === '.gitignore') ? readGitignore(dir) : undefined;
    const layers = own ? [...parentLayers, own] : parentLayers;
    for (const entry of entries) {
      const path = join(dir, entry.name);
      let isDirectory = entry.isDirectory();
      let isFile = entry.isFile();
      let size = 0;
      if (entry.isSymbolicLink()) {
        try {
          const target = statSync(path);
          isDirectory = target.isDirectory();
          isFile = target.isFile();
          size = target.size;
        } catch (error) {
          if (entry.name.endsWith('.nix') && !ignoredBy(layers, path, false)) {
            add({
              absolutePath: path,
              displayPath: displayPathOf(cwd, path),
              size: 0,
              problem: { code: 'read-error', message: `dangling or looping symlink (${(error as NodeJS.ErrnoException).code ?? error})` },
            });
          }
          continue;
        }
      }
      if (isDirectory) {
        if (entry.name === '.git' || entry.name === 'node_modules') continue;
        if (!options.hidden && entry.name.startsWith('.')) continue;
        if (ignoredBy(layers, path, true)) continue;
        stack.push({ dir: path, layers });
      } else if (isFile && entry.name.endsWith('.nix')) {
        if (ignoredBy(layers, path, false)) continue;
        // The size lets the scheduler start large files first; a file gone by now is reported when read.
        if (size === 0) size = statSync(path, { throwIfNoEntry: false })?.size ?? 0;
        add({ absolutePath: path, displayPath: displayPathOf(cwd, path), size });
      }
    }
  }
}

