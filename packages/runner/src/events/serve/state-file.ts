import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { NormalizedNode, TopologyConnection, TopologyDefaults, TopologyState } from '@nixforge/templates';
import { UsageError, errorMessage } from '../../errors.js';
import type { NixforgeEvent } from '../envelope.js';
import { writeFileAtomically } from '@nixforge/core';

/** Where serve keeps its state, relative to the output directory. */
export const SERVE_STATE_FILE = '.nixforge/serve-state.json';

/**
 * What serve persists after every event, next to the files it generated:
 * - `applied`: the topology after the last applied stream message and that message's stream sequence;
 * - `pending`: the `nixforge.generate.config` events (ids included) for the message being applied (`sequence` >
 *   applied) or just applied (`sequence` == applied). Republished with the same ids after a crash, so JetStream stores
 *   each exactly once (a transactional outbox).
 */
export interface ServeState {
  version: 1;
  stream: string;
  consumer: string;
  applied: { sequence: number; topology: TopologyState };
  pending?: { sequence: number; events: NixforgeEvent[] };
  /**
   * What the output shows when some hosts are pending (see `stageTopologyEvent`): `applied.topology` with each
   * pending host as last rendered. Absent when nothing is pending (then it equals `applied.topology`).
   */
  rendered?: TopologyState;
  /** Hosts held back by a consistency problem, with the problems (`path: message`). */
  pendingHosts?: Record<string, string[]>;
}

interface StoredTopology {
  name?: string;
  domain?: string;
  defaults?: TopologyDefaults;
  nodes: NormalizedNode[];
  connections: TopologyConnection[];
}

function storeTopology(state: TopologyState): StoredTopology {
  const stored: StoredTopology = { nodes: [...state.nodes.values()], connections: [...state.connections] };
  if (state.name !== undefined) stored.name = state.name;
  if (state.domain !== undefined) stored.domain = state.domain;
  if (state.defaults !== undefined) stored.defaults = state.defaults;
  return stored;
}

function loadTopology(stored: StoredTopology): TopologyState {
  return {
    name: stored.name,
    domain: stored.domain,
    defaults: stored.defaults,
    nodes: new Map(stored.nodes.map((node) => [node.name, node])),
    connections: stored.connections,
  };
}

/** Reads the state of a previous run; undefined when there is none. A corrupt file is a UsageError naming it. */
export async function readServeState(outDir: string): Promise<ServeState | undefined> {
  const path = join(outDir, SERVE_STATE_FILE);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new UsageError(`cannot read ${path}: ${errorMessage(error)}`);
  }
  try {
    const raw = JSON.parse(text) as Omit<ServeState, 'applied' | 'rendered'> & { applied: { sequence: number; topology: StoredTopology }; rendered?: StoredTopology };
    if (raw.version !== 1 || typeof raw.applied?.sequence !== 'number' || !Array.isArray(raw.applied.topology?.nodes)) {
      throw new Error('unexpected layout');
    }
    if (raw.rendered !== undefined && !Array.isArray(raw.rendered.nodes)) throw new Error('unexpected layout of "rendered"');
    const { rendered, ...rest } = raw;
    const state: ServeState = { ...rest, applied: { sequence: raw.applied.sequence, topology: loadTopology(raw.applied.topology) } };
    if (rendered !== undefined) state.rendered = loadTopology(rendered);
    return state;
  } catch (error) {
    throw new UsageError(`${path} is not a serve state file (${errorMessage(error)}); delete it to rebuild the output from the stream`);
  }
}

/** Writes the state atomically (temporary file and rename), so a crash leaves the old or the new state. */
export async function writeServeState(outDir: string, state: ServeState): Promise<void> {
  const path = join(outDir, SERVE_STATE_FILE);
  const stored = {
    ...state,
    applied: { sequence: state.applied.sequence, topology: storeTopology(state.applied.topology) },
    rendered: state.rendered === undefined ? undefined : storeTopology(state.rendered),
  };
  await writeFileAtomically(path, JSON.stringify(stored));
}
