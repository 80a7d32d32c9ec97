import type { FlakeInputChange, LockedRevision } from '../events/index.js';

export type { FlakeInputChange, LockedRevision } from '../events/index.js';

/** The inputs a flake.lock pins, by input path. */
export type LockedInputs = Map<string, LockedRevision>;

interface LockNode {
  inputs?: Record<string, string | string[]>;
  locked?: Record<string, unknown>;
}

/**
 * Parses flake.lock text (version 5 to 7: `{ nodes, root }`) into the locked revision of every input reachable
 * from the root node, named by input path. `follows` entries (arrays) only alias another input and are skipped;
 * a node reached by several paths is named by the first in breadth-first, alphabetical order.
 * Throws an Error saying what is wrong for text that is not a flake.lock.
 */
export function parseFlakeLock(text: string): LockedInputs {
  let lock: unknown;
  try {
    lock = JSON.parse(text);
  } catch (error) {
    throw new Error(`not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  if (typeof lock !== 'object' || lock === null || Array.isArray(lock)) throw new Error('not a JSON object');
  const { nodes, root } = lock as { nodes?: unknown; root?: unknown };
  if (typeof nodes !== 'object' || nodes === null) throw new Error(`field 'nodes' is missing or not an object`);
  const byName = nodes as Record<string, LockNode>;
  const rootName = typeof root === 'string' ? root : 'root';
  if (typeof byName[rootName] !== 'object' || byName[rootName] === null) throw new Error(`root node '${rootName}' is missing from 'nodes'`);
  const inputs: LockedInputs = new Map();
  const named = new Set<string>([rootName]);
  const queue: Array<{ node: string; path: string }> = [{ node: rootName, path: '' }];
  for (let head = 0; head < queue.length; head++) {
    const { node, path } = queue[head]!;
    const nodeInputs = byName[node]?.inputs ?? {};
    for (const inputName of Object.keys(nodeInputs).sort()) {
      const target = nodeInputs[inputName];
      if (typeof target !== 'string' || named.has(target)) continue;
      named.add(target);
      const inputPath = path === '' ? inputName : `${path}/${inputName}`;
      inputs.set(inputPath, lockedRevision(byName[target]?.locked));
      queue.push({ node: target, path: inputPath });
    }
  }
  return inputs;
}

function lockedRevision(locked: Record<string, unknown> | undefined): LockedRevision {
  const revision: LockedRevision = {};
  if (typeof locked?.rev === 'string') revision.rev = locked.rev;
  if (typeof locked?.narHash === 'string') revision.narHash = locked.narHash;
  if (typeof locked?.lastModified === 'number') revision.lastModified = locked.lastModified;
  return revision;
}

/** The input changes from one flake.lock to the next (either may be absent), sorted by input name. */
export function diffFlakeLocks(before: LockedInputs | undefined, after: LockedInputs | undefined): FlakeInputChange[] {
  const changes: FlakeInputChange[] = [];
  const names = new Set([...(before?.keys() ?? []), ...(after?.keys() ?? [])]);
  for (const name of [...names].sort()) {
    const from = before?.get(name);
    const to = after?.get(name);
    if (from === undefined && to !== undefined) changes.push({ name, change: 'added', to });
    else if (from !== undefined && to === undefined) changes.push({ name, change: 'removed', from });
    else if (from !== undefined && to !== undefined && !sameRevision(from, to)) changes.push({ name, change: 'updated', from, to });
  }
  return changes;
}

function sameRevision(a: LockedRevision, b: LockedRevision): boolean {
  return a.rev === b.rev && a.narHash === b.narHash && a.lastModified === b.lastModified;
}
