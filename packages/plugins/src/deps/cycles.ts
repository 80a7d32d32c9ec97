import { candidateTargetsOf, importTargetsOf } from './import-cache.js';

/**
 * Looks for an import path from `via` back to `owner`, visiting only files whose path sorts after `owner`.
 * A cycle is therefore found only from the smallest path on it, so each cycle is reported by exactly one
 * file. Iterative depth-first search, bounded by `maxFiles`. Returns the files of the cycle from `owner`
 * (`[owner, via, ..., last]`, where `last` imports `owner`) or undefined.
 *
 * The search first follows the text-level candidate imports, which cost no parse; they include every real
 * import, so when they close no cycle there is none. Only then is the search repeated on parsed imports.
 */
export function findCycleThrough(owner: string, via: string, maxFiles: number): string[] | undefined {
  if (via === owner) return [owner];
  if (via < owner) return undefined;
  // The candidate graph has more edges, so it may reach the bound where the real one would not: search again then.
  if (searchCycle(owner, via, maxFiles, candidateTargetsOf) === 'none') return undefined;
  const found = searchCycle(owner, via, maxFiles, importTargetsOf);
  return typeof found === 'string' ? undefined : found;
}

/** The cycle found, 'none' when the search ran out of files, 'bounded' when it stopped at `maxFiles`. */
function searchCycle(owner: string, via: string, maxFiles: number, targetsOf: (file: string) => string[]): string[] | 'none' | 'bounded' {
  const parent = new Map<string, string>([[via, owner]]);
  const pending = [via];
  while (pending.length > 0 && parent.size <= maxFiles) {
    const file = pending.pop()!;
    for (const target of targetsOf(file)) {
      if (target === owner) {
        const cycle = [file];
        for (let step = parent.get(file); step !== undefined && step !== owner; step = parent.get(step)) cycle.push(step);
        return [owner, ...cycle.reverse()];
      }
      if (target < owner || parent.has(target)) continue;
      parent.set(target, file);
      pending.push(target);
    }
  }
  return pending.length > 0 ? 'bounded' : 'none';
}
