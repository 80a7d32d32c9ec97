import { importTargetsOf } from './import-cache.js';

/**
 * Looks for an import path from `via` back to `owner`, visiting only files whose path sorts after `owner`.
 * A cycle is therefore found only from the smallest path on it, so each cycle is reported by exactly one
 * file. Iterative depth-first search, bounded by `maxFiles`. Returns the files of the cycle from `owner`
 * (`[owner, via, ..., last]`, where `last` imports `owner`) or undefined.
 */
export function findCycleThrough(owner: string, via: string, maxFiles: number): string[] | undefined {
  if (via === owner) return [owner];
  if (via < owner) return undefined;
  const parent = new Map<string, string>([[via, owner]]);
  const pending = [via];
  while (pending.length > 0 && parent.size <= maxFiles) {
    const file = pending.pop()!;
    for (const target of importTargetsOf(file)) {
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
  return undefined;
}
