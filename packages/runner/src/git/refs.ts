import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const FULL_OID = /^[0-9a-f]{40}$/;
const MAX_SYMBOLIC_DEPTH = 5;

/**
 * Reads refs straight from a Git directory (loose ref files, then `packed-refs`), so the common case needs no
 * isomorphic-git at all (loading it costs about 0.3 s of startup). Returns undefined when the ref is not found
 * this way; callers then ask isomorphic-git, which knows the rarer layouts.
 */
export function readRef(gitdir: string, name: string): { ref: string; oid: string } | undefined {
  let ref = name;
  for (let depth = 0; depth < MAX_SYMBOLIC_DEPTH; depth++) {
    const value = readLooseRef(gitdir, ref) ?? readPackedRef(gitdir, ref);
    if (value === undefined) return undefined;
    if (FULL_OID.test(value)) return { ref, oid: value };
    if (!value.startsWith('ref: ')) return undefined;
    ref = value.slice(5).trim();
  }
  return undefined;
}

/** The full ref a short name means, in Git's order: exact, `refs/`, tags, heads, remotes, remote HEAD. */
export function expandRef(gitdir: string, name: string): { ref: string; oid: string } | undefined {
  for (const candidate of [name, `refs/${name}`, `refs/tags/${name}`, `refs/heads/${name}`, `refs/remotes/${name}`, `refs/remotes/${name}/HEAD`]) {
    const found = readRef(gitdir, candidate);
    if (found) return found;
  }
  return undefined;
}

function readLooseRef(gitdir: string, ref: string): string | undefined {
  if (ref.includes('..')) return undefined;
  try {
    return readFileSync(join(gitdir, ref), 'utf8').trim();
  } catch {
    return undefined;
  }
}

function readPackedRef(gitdir: string, ref: string): string | undefined {
  let text: string;
  try {
    text = readFileSync(join(gitdir, 'packed-refs'), 'utf8');
  } catch {
    return undefined;
  }
  for (const line of text.split('\n')) {
    if (line.length > 41 && line[40] === ' ' && line.slice(41).trim() === ref) return line.slice(0, 40);
  }
  return undefined;
}
