import { readFile, readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { SERVE_STATE_FILE } from '../../src/events/serve/state-file.js';

/** The stream sequence `nixforge serve` last applied into `out` (0 before its first state file). */
export async function appliedSequence(out: string): Promise<number> {
  try {
    return (JSON.parse(await readFile(join(out, SERVE_STATE_FILE), 'utf8')) as { applied: { sequence: number } }).applied.sequence;
  } catch {
    return 0;
  }
}

/** Every generated file under `dir` by relative path, without the service's own `.nixforge` state directory. */
export async function generatedFiles(dir: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  const pending = [dir];
  while (pending.length > 0) {
    const current = pending.pop()!;
    for (const entry of await readdir(current, { withFileTypes: true })) {
      const path = join(current, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== '.nixforge') pending.push(path);
      } else files.set(relative(dir, path), await readFile(path, 'utf8'));
    }
  }
  return files;
}
