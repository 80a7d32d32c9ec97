import { compareKeys } from '../nix/value.js';
import { IssueList, type ValidationIssue } from './validation-error.js';
import { checkState, parseConnection, parseDefaults, parseDomain, parseNode, parseTopologyName } from './validate.js';
import type { NormalizedNode, TopologyConnection, TopologyState } from './types.js';

/** A topology with no header and no nodes: the state before the first event. */
export function emptyTopology(): TopologyState {
  return { name: undefined, domain: undefined, defaults: undefined, nodes: new Map(), connections: [] };
}

/** Orders a connection's endpoints, so `a:x -> b:y` and `b:y -> a:x` are the same link. */
export function canonicalConnection(connection: TopologyConnection): TopologyConnection {
  // The same object when already in order, so per-connection caches (checkState) survive from event to event.
  if (compareKeys(connection.from, connection.to) <= 0) return Object.keys(connection).length === 2 ? connection : { from: connection.from, to: connection.to };
  return { from: connection.to, to: connection.from };
}

export function connectionKey(connection: TopologyConnection): string {
  const c = canonicalConnection(connection);
  return `${c.from}\n${c.to}`;
}

/** Connections canonicalised, de-duplicated and sorted, so input order never shows in the output. */
export function canonicalConnections(connections: readonly TopologyConnection[]): TopologyConnection[] {
  const byKey = new Map<string, TopologyConnection>();
  for (const connection of connections) byKey.set(connectionKey(connection), canonicalConnection(connection));
  return [...byKey.keys()].sort(compareKeys).map((key) => byKey.get(key)!);
}

/**
 * Validates a snapshot (`{ name, domain, defaults, nodes, connections }`, parsed from JSON or YAML) and turns
 * it into a state. Throws `TopologyValidationError` listing every problem by field path.
 */
export function topologyFromSnapshot(snapshot: unknown): TopologyState {
  const issues = new IssueList();
  if (typeof snapshot !== 'object' || snapshot === null || Array.isArray(snapshot)) {
    issues.add('', 'a topology snapshot must be an object { name, domain, defaults, nodes, connections }');
    issues.throwIfAny();
  }
  const object = snapshot as Record<string, unknown>;
  for (const key of Object.keys(object)) {
    if (!['name', 'domain', 'defaults', 'nodes', 'connections'].includes(key)) issues.add(key, 'unknown field');
  }
  const name = parseTopologyName(issues, object.name, 'name');
  const domain = parseDomain(issues, object.domain, 'domain');
  const defaults = parseDefaults(issues, object.defaults, 'defaults');
  const nodes = new Map<string, NormalizedNode>();
  const indexByName = new Map<string, number>();
  if (!Array.isArray(object.nodes)) issues.add('nodes', `expected a list of nodes, got ${object.nodes === undefined ? 'missing' : typeof object.nodes}`);
  else {
    object.nodes.forEach((raw, index) => {
      const node = parseNode(issues, raw, `nodes[${index}]`);
      if (!node) return;
      const first = indexByName.get(node.name);
      if (first !== undefined) issues.add(`nodes[${index}].name`, `duplicate node name "${node.name}" (first at nodes[${first}])`);
      else {
        indexByName.set(node.name, index);
        nodes.set(node.name, node);
      }
    });
  }
  const connections: TopologyConnection[] = [];
  if (object.connections !== undefined && !Array.isArray(object.connections)) issues.add('connections', 'expected a list of connections');
  const rawConnections = Array.isArray(object.connections) ? object.connections : [];
  rawConnections.forEach((raw, index) => {
    const connection = parseConnection(issues, raw, `connections[${index}]`);
    if (connection) connections.push(connection);
  });
  issues.throwIfAny();
  // Check references against the connections in input order so the reported index matches the file.
  const unsorted: TopologyState = { name, domain, defaults, nodes, connections };
  checkState(issues, unsorted, true, { node: (nodeName) => `nodes[${indexByName.get(nodeName)}]`, connection: (index) => `connections[${index}]` });
  issues.throwIfAny();
  return { ...unsorted, connections: canonicalConnections(connections) };
}

/**
 * The consistency problems of a state (dangling references, addresses used twice; with `requireHeader` also a
 * missing name/domain/defaults), paths by name (`nodes.db1.routes[0].interface`). Each issue about nodes lists
 * them in `hosts`. Empty when the state can be rendered.
 */
export function topologyIssues(state: TopologyState, requireHeader = true): ValidationIssue[] {
  const issues = new IssueList();
  checkState(issues, state, requireHeader);
  return issues.issues;
}

/** Throws `TopologyValidationError` when the state cannot be rendered (missing header, dangling references). */
export function validateTopology(state: TopologyState): void {
  const issues = new IssueList();
  checkState(issues, state, true);
  issues.throwIfAny();
}
