import { affectedBetween } from './affected.js';
import { transitionTopology } from './events.js';
import { connectionKey, topologyIssues } from './state.js';
import { splitEndpoint } from './validate.js';
import type { ValidationIssue } from './validation-error.js';
import type { NormalizedNode, TopologyState } from './types.js';

/**
 * A topology fed by events that may arrive in any order: `state` is everything the events said, consistent or
 * not; `rendered` is what the output shows — `state` with every pending host as it was last rendered (or left
 * out when it never was) and the connections that do not fit left out. `rendered` always validates.
 */
export interface StagedTopology {
  state: TopologyState;
  rendered: TopologyState;
}

/** The result of one event on a staged topology. */
export interface StagedTransition extends StagedTopology {
  /** Hosts of `rendered` whose module changed (removed ones included, so their files can be deleted). */
  affectedHosts: string[];
  /** Hosts held back by a consistency problem of `state`, with the problems; their files stay as they are. */
  pending: Map<string, ValidationIssue[]>;
}

function fits(view: ReadonlyMap<string, NormalizedNode>, endpoint: string): boolean {
  const end = splitEndpoint(endpoint);
  return end !== undefined && (view.get(end.node)?.interfaces.some((i) => i.name === end.iface) ?? false);
}

function hold(pending: Map<string, ValidationIssue[]>, issues: readonly ValidationIssue[]): boolean {
  let grew = false;
  for (const issue of issues) {
    for (const host of issue.hosts ?? []) {
      if (!pending.has(host)) {
        pending.set(host, []);
        grew = true;
      }
      const list = pending.get(host)!;
      if (!list.includes(issue)) list.push(issue);
    }
  }
  return grew;
}

/** `state` with pending hosts as they were rendered and only the connections that fit. */
function viewOf(state: TopologyState, rendered: TopologyState, pending: ReadonlyMap<string, unknown>): TopologyState {
  const nodes = new Map<string, NormalizedNode>();
  for (const [name, node] of state.nodes) {
    const shown = pending.has(name) ? rendered.nodes.get(name) : node;
    if (shown) nodes.set(name, shown);
  }
  const connections = state.connections.filter((c) => fits(nodes, c.from) && fits(nodes, c.to));
  return { ...state, nodes, connections };
}

/** Nodes whose object differs between two states, plus the endpoints of connections only one of them has. */
function changedNodes(before: TopologyState, after: TopologyState): string[] {
  const changed = new Set<string>();
  for (const [name, node] of after.nodes) if (before.nodes.get(name) !== node) changed.add(name);
  for (const name of before.nodes.keys()) if (!after.nodes.has(name)) changed.add(name);
  const keys = (state: TopologyState) => new Map(state.connections.map((c) => [connectionKey(c), c]));
  const a = keys(before);
  const b = keys(after);
  const onlyOne = [...[...a].filter(([key]) => !b.has(key)), ...[...b].filter(([key]) => !a.has(key))].map(([, c]) => c);
  for (const c of onlyOne) {
    for (const end of [c.from, c.to]) {
      const node = splitEndpoint(end)?.node;
      if (node !== undefined) changed.add(node);
    }
  }
  return [...changed].sort();
}

/** A staged topology before the first event. */
export function stagedTopology(state: TopologyState): StagedTopology {
  return { state, rendered: state };
}

/**
 * Applies one event to a staged topology. An event invalid in itself (bad CIDR, bad host name, unknown node or
 * interface it acts on, a duplicate) throws `TopologyValidationError`, as `applyTopologyEvent` does. An event that
 * leaves hosts inconsistent (a route to an interface not added yet, a link to a node not added yet, an address
 * another host holds) is applied: those hosts become pending and keep their rendered version until the event that
 * completes them. Pure.
 */
export function stageTopologyEvent(current: StagedTopology, event: unknown): StagedTransition {
  const { state } = transitionTopology(current.state, event);
  const pending = new Map<string, ValidationIssue[]>();
  hold(pending, topologyIssues(state, false));
  let rendered = viewOf(state, current.rendered, pending);
  // A pending host's old version can clash with what others hold now (an address it gave up): hold those too.
  for (let round = 0; round <= state.nodes.size; round += 1) {
    if (!hold(pending, topologyIssues(rendered, false))) break;
    rendered = viewOf(state, current.rendered, pending);
  }
  const headerChanged =
    current.rendered.name !== rendered.name || current.rendered.domain !== rendered.domain || JSON.stringify(current.rendered.defaults) !== JSON.stringify(rendered.defaults);
  // A pending host keeps its files as they are, whatever changed around it.
  const affectedHosts = affectedBetween(current.rendered, rendered, changedNodes(current.rendered, rendered), headerChanged).filter((host) => !pending.has(host));
  return { state, rendered, affectedHosts, pending };
}
