/** The parts of a `flake.lock` (version 7) that nixforge reads. Unknown fields are kept but not interpreted. */

/** Where a lock node points: the resolved (`locked`) or requested (`original`) source. */
export interface LockSource {
  type?: string;
  owner?: string;
  repo?: string;
  ref?: string;
  rev?: string;
  url?: string;
  id?: string;
  path?: string;
  narHash?: string;
  /** Seconds since the epoch of the locked commit or tarball. */
  lastModified?: number;
  [field: string]: unknown;
}

/** One node of the lock graph. `inputs` values are node keys, or follows paths (arrays of input names). */
export interface LockNode {
  key: string;
  inputs: Record<string, string | string[]>;
  locked?: LockSource;
  original?: LockSource;
  /** False for `flake = false` inputs. */
  flake: boolean;
}

/** A parsed flake.lock. */
export interface FlakeLock {
  version: number;
  /** Key of the root node (the flake itself). */
  root: string;
  nodes: Map<string, LockNode>;
}

/** A flake.lock that cannot be read; the message names the file and the field. */
export class FlakeLockError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FlakeLockError';
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readSource(value: unknown, where: string): LockSource | undefined {
  if (value === undefined) return undefined;
  if (!isRecord(value)) throw new FlakeLockError(`${where}: expected an object`);
  if (value.lastModified !== undefined && typeof value.lastModified !== 'number') {
    throw new FlakeLockError(`${where}.lastModified: expected a number of seconds`);
  }
  return value as LockSource;
}

/** Parses flake.lock text. Throws FlakeLockError naming `file` and the offending field. */
export function parseFlakeLock(text: string, file = 'flake.lock'): FlakeLock {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new FlakeLockError(`${file}: invalid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!isRecord(json)) throw new FlakeLockError(`${file}: expected a JSON object`);
  const version = typeof json.version === 'number' ? json.version : 0;
  if (typeof json.root !== 'string') throw new FlakeLockError(`${file}: "root" must be a node name`);
  if (!isRecord(json.nodes)) throw new FlakeLockError(`${file}: "nodes" must be an object`);
  const nodes = new Map<string, LockNode>();
  for (const [key, raw] of Object.entries(json.nodes)) {
    const where = `${file}: nodes.${key}`;
    if (!isRecord(raw)) throw new FlakeLockError(`${where}: expected an object`);
    const inputs: Record<string, string | string[]> = {};
    if (raw.inputs !== undefined) {
      if (!isRecord(raw.inputs)) throw new FlakeLockError(`${where}.inputs: expected an object`);
      for (const [name, ref] of Object.entries(raw.inputs)) {
        const valid = typeof ref === 'string' || (Array.isArray(ref) && ref.every((part) => typeof part === 'string'));
        if (!valid) throw new FlakeLockError(`${where}.inputs.${name}: expected a node name or a follows path`);
        inputs[name] = ref as string | string[];
      }
    }
    const node: LockNode = { key, inputs, flake: raw.flake !== false };
    const locked = readSource(raw.locked, `${where}.locked`);
    const original = readSource(raw.original, `${where}.original`);
    if (locked) node.locked = locked;
    if (original) node.original = original;
    nodes.set(key, node);
  }
  if (!nodes.has(json.root)) throw new FlakeLockError(`${file}: root node "${json.root}" is not in "nodes"`);
  for (const node of nodes.values()) {
    for (const [name, ref] of Object.entries(node.inputs)) {
      if (typeof ref === 'string' && !nodes.has(ref)) {
        throw new FlakeLockError(`${file}: nodes.${node.key}.inputs.${name} names a missing node "${ref}"`);
      }
    }
  }
  return { version, root: json.root, nodes };
}

/** True when a lock node is an instance of nixpkgs (a `NixOS/nixpkgs` repository or the `nixpkgs` registry id). */
export function isNixpkgsNode(node: LockNode): boolean {
  for (const source of [node.original, node.locked]) {
    if (!source) continue;
    if (typeof source.repo === 'string' && source.repo.toLowerCase() === 'nixpkgs') return true;
    if (source.type === 'indirect' && source.id === 'nixpkgs') return true;
    if (typeof source.url === 'string' && /[/:]nixos\/nixpkgs(\.git)?([/?#]|$)/i.test(source.url)) return true;
  }
  return false;
}

/** Node keys reachable from `start` through node-key inputs (follows paths add no node). Iterative. */
export function reachableNodes(lock: FlakeLock, start: string): Set<string> {
  const seen = new Set<string>([start]);
  const pending = [start];
  while (pending.length > 0) {
    const node = lock.nodes.get(pending.pop()!);
    for (const ref of Object.values(node?.inputs ?? {})) {
      if (typeof ref === 'string' && !seen.has(ref)) {
        seen.add(ref);
        pending.push(ref);
      }
    }
  }
  return seen;
}
