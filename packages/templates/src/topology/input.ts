import YAML from 'yaml';
import { transitionTopology } from './events.js';
import { emptyTopology, topologyFromSnapshot, topologyIssues } from './state.js';
import { TopologyValidationError, type ValidationIssue } from './validation-error.js';
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

/** Issues of unchanged parts are the same objects from event to event (see checkState), so keys are built once. */
const issueKeys = new WeakMap<ValidationIssue, string>();

function issueKey(issue: ValidationIssue): string {
  let key = issueKeys.get(issue);
  if (key === undefined) {
    key = `${issue.path}\n${issue.message}`;
    issueKeys.set(issue, key);
  }
  return key;
}

/** Applies every line; with `track`, also which line introduced each consistency problem still open. */
function foldEventLog(file: string, text: string, track: boolean): { state: TopologyState; open: Map<string, { line: number; type: string }> } {
  let state = emptyTopology();
  /** Open consistency problems by `path\nmessage`, with the line and event type that introduced them. */
  let open = new Map<string, { line: number; type: string }>();
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
    let type: string;
    try {
      const transition = transitionTopology(state, event);
      state = transition.state;
      type = transition.type;
    } catch (error) {
      throw prefixed(`${file}:${i + 1}: `, error);
    }
    if (!track) continue;
    const next = new Map<string, { line: number; type: string }>();
    for (const issue of topologyIssues(state, false)) {
      const key = issueKey(issue);
      next.set(key, open.get(key) ?? { line: i + 1, type });
    }
    open = next;
  }
  return { state, open };
}

/**
 * Folds an NDJSON event log into a state. Each event must be valid in itself (`FILE:LINE: Type data.field: ...` at
 * once); references between parts (a route's interface, a connection's nodes) may be completed by any later event,
 * so the state is checked once the whole log is applied. A problem left at the end names the field and the line
 * of the event after which it appeared and stayed. Blank lines are skipped.
 */
export function topologyFromEventLog(file: string, text: string): TopologyState {
  // A valid log is applied once and checked once; only a log with problems left is applied again, checking the
  // state after every event, to find the line that introduced each problem.
  const first = foldEventLog(file, text, false);
  if (topologyIssues(first.state, true).length === 0) return first.state;
  const { state, open } = foldEventLog(file, text, true);
  const problems = topologyIssues(state, true);
  if (problems.length === 0) return state;
  const messages = problems.map((issue) => {
    const origin = open.get(issueKey(issue));
    const what = issue.path ? `${issue.path}: ${issue.message}` : issue.message;
    return origin ? `${file}:${origin.line}: ${what} (since this ${origin.type}; still so after the last event)` : `${file}: after the last event: ${what}`;
  });
  throw new TopologyInputError(messages.join('\n'));
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

