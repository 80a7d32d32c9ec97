import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { UsageError } from '../errors.js';

/** The nearest directory at or above `dir` that holds `.git`. */
export function locateRepositoryRoot(dir: string): string {
  let current = resolve(dir);
  for (;;) {
    if (existsSync(join(current, '.git'))) return current;
    const parent = dirname(current);
    if (parent === current) throw new UsageError(`--changed-since: ${dir} is not inside a Git repository`);
    current = parent;
  }
}
