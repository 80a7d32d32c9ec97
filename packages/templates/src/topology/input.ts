import YAML from 'yaml';
import { transitionTopology } from './events.js';
import { emptyTopology, topologyFromSnapshot, validateTopology } from './state.js';
import { TopologyValidationError } from './validation-error.js';
import type { TopologyState } from './types.js';

/** How a topology input file was read. */
export type TopologyInputKind = 'snapshot' | 'events';

/** Topology input that could not be read; the message starts with `FILE:` or `FILE:LINE:`. */
export class TopologyInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TopologyInputError';
  }
}

function looksLikeEventLog(file: string, text: string): boolean {
  if (/\.(ndjson|jsonl)$/i.test(file)) return true;
  if (!/\.json$/i.test(file)) return false;
  const firstLine = text.split('\n').find((line) => line.trim().length > 0) ?? '';
  try {
    const first = JSON.parse(firstLine) as unknown;
    return typeof first === 'object' && first !== null && 'type' in first && 'data' in first;
  } catch {
    return false;
  }
}

function prefixed(prefix: string, error: unknown): TopologyInputError {
  const message = error instanceof Error ? error.message : String(error);
  return new TopologyInputError(message.split('\n').map((line) => `${prefix}${line}`).join('\n'));
}

/** Folds an NDJSON event log into a state; errors name `FILE:LINE` and the field. Blank lines are skipped. */
export function topologyFromEventLog(file: string, text: string): TopologyState {
  let state = emptyTopology();
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i]!.trim();
    if (line.length === 0) continue;
    let event: unknown;
    try {
      event = JSON.parse(line);
    } catch (error) {
      throw prefixed(`${file}:${i + 1}: `, new Error(`not JSON: ${(error as Error).message}`));
    }
    try {
      state = transitionTopology(state, event).state;
    } catch (error) {
      throw prefixed(`${file}:${i + 1}: `, error);
    }
  }
  try {
    validateTopology(state);
  } catch (error) {
    throw prefixed(`${file}: after the last event: `, error);
  }
  return state;
}

/**
 * Reads a topology from a JSON or YAML snapshot, or an NDJSON event log (`.ndjson`/`.jsonl`, or `.json`
 * whose first line is an event). Throws `TopologyInputError` naming the file, line and field.
 */
export function readTopologyInput(file: string, text: string): { state: TopologyState; kind: TopologyInputKind } {
  if (looksLikeEventLog(file, text)) return { state: topologyFromEventLog(file, text), kind: 'events' };
  let snapshot: unknown;
  try {
    snapshot = /\.json$/i.test(file) ? JSON.parse(text) : YAML.parse(text, { maxAliasCount: 1000 });
  } catch (error) {
    throw prefixed(`${file}: `, new Error(`cannot parse: ${(error as Error).message.split('\n')[0]}`));
  }
  try {
    return { state: topologyFromSnapshot(snapshot), kind: 'snapshot' };
  } catch (error) {
    if (error instanceof TopologyValidationError) throw prefixed(`${file}: `, error);
    throw error;
  }
}

