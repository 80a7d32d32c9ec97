import { existsSync, watch, type FSWatcher } from 'node:fs';
import { join } from 'node:path';

/** What a watched directory reported about one of its entries. */
export interface DirectoryChange {
  path: string;
  kind: 'created' | 'changed' | 'deleted';
}

/** Watching more directories than this would eat into the system's inotify watches: the rest go unwatched. */
export const MAX_WATCHED_DIRECTORIES = 4000;

/**
 * The server's own file watching, for editors that cannot watch files for it (no dynamic registration of
 * `workspace/didChangeWatchedFiles`): one non-recursive `fs.watch` per directory that holds workspace files
 * (recursive watching on Linux walks and watches the whole tree, `.git` and all). Reports entries whose
 * names `wanted` accepts; a `rename` event is a creation or a deletion, told apart by whether the path exists.
 */
export class DirectoryWatcher {
  private readonly watchers = new Map<string, FSWatcher>();

  constructor(
    private readonly wanted: (name: string) => boolean,
    private readonly onChange: (change: DirectoryChange) => void,
    private readonly log: (line: string) => void,
  ) {}

  /** Watches these directories (and stops watching the others). */
  watch(directories: Iterable<string>): void {
    const next = new Set(directories);
    for (const [dir, watcher] of this.watchers) {
      if (next.has(dir)) continue;
      watcher.close();
      this.watchers.delete(dir);
    }
    let skipped = 0;
    for (const dir of next) {
      if (this.watchers.has(dir)) continue;
      if (this.watchers.size >= MAX_WATCHED_DIRECTORIES) {
        skipped += 1;
        continue;
      }
      try {
        const watcher = watch(dir, { persistent: false }, (event, name) => {
          if (typeof name !== 'string' || !this.wanted(name)) return;
          const path = join(dir, name);
          const kind = event === 'change' ? 'changed' : existsSync(path) ? 'created' : 'deleted';
          this.onChange({ path, kind });
        });
        watcher.on('error', () => {
          watcher.close();
          this.watchers.delete(dir);
        });
        this.watchers.set(dir, watcher);
      } catch (error) {
        this.log(`cannot watch ${dir}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    if (skipped > 0) this.log(`watching ${MAX_WATCHED_DIRECTORIES} directories; ${skipped} more are not watched (changes there are seen when files are opened)`);
  }

  close(): void {
    for (const watcher of this.watchers.values()) watcher.close();
    this.watchers.clear();
  }
}
