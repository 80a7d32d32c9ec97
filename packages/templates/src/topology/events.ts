import { schemaValidator } from '@nixforge/core';
import { IssueList } from './validation-error.js';
import { EVENT_DATA_SCHEMAS, TOPOLOGY_EVENT_SCHEMA } from './schema.js';
import { canonicalConnections, connectionKey, emptyTopology } from './state.js';
import { checkState, parseConnection, parseDefaults, parseDomain, parseInterface, parseNode, parseRoute, parseService, parseTopologyName, splitEndpoint } from './validate.js';
import type { NormalizedNode, TopologyEvent, TopologyState } from './types.js';

/** The event types a topology log may contain. */
export const TOPOLOGY_EVENT_TYPES = [
  'TopologyCreated',
  'NodeAdded',
  'NodeUpdated',
  'NodeRemoved',
  'InterfaceAdded',
  'InterfaceUpdated',
  'InterfaceRemoved',
  'RouteAdded',
  'RouteRemoved',
  'ConnectionAdded',
  'ConnectionRemoved',
  'ServiceEnabled',
  'ServiceDisabled',
] as const;

export type TopologyEventType = (typeof TOPOLOGY_EVENT_TYPES)[number];

/** The result of one event: the next state and the node names it touched directly (including removed ones). */
export interface TopologyTransition {
  state: TopologyState;
  touched: string[];
  /** True when the event changes something every host shows (domain, defaults). */
  touchesAll: boolean;
  /** The event's type, without a `nixforge.topology.` prefix. */
  type: TopologyEventType;
}

const envelope = schemaValidator(TOPOLOGY_EVENT_SCHEMA);

/** The CloudEvents type of a topology event on NATS: `nixforge.topology.NodeAdded` is `NodeAdded`. */
const CLOUDEVENT_TYPE_PREFIX = 'nixforge.topology.';

/**
 * Checks an event's envelope: an object with a string `type` (`NodeAdded` or `nixforge.topology.NodeAdded`, so a
 * log of CloudEvents taken from the stream reads as it is) and a `data` object. Extra fields are fine.
 */
export function parseTopologyEvent(value: unknown): TopologyEvent {
  const issues = new IssueList();
  for (const problem of envelope.problems(value)) issues.add(problem.path, problem.message);
  if (issues.issues.length === 0) {
    const type = (value as TopologyEvent).type;
    const bare = type.startsWith(CLOUDEVENT_TYPE_PREFIX) ? type.slice(CLOUDEVENT_TYPE_PREFIX.length) : type;
    if (!(TOPOLOGY_EVENT_TYPES as readonly string[]).includes(bare)) issues.add('type', `unknown event type "${type}"; expected one of ${TOPOLOGY_EVENT_TYPES.join(', ')}`);
  }
  issues.throwIfAny();
  const event = value as TopologyEvent;
  return event.type.startsWith(CLOUDEVENT_TYPE_PREFIX) ? { ...event, type: event.type.slice(CLOUDEVENT_TYPE_PREFIX.length) } : event;
}

/** A name the event's data schema has already checked (its problem is recorded); undefined when it is not valid. */
function stringField(data: Record<string, unknown>, field: string): string | undefined {
  const value = data[field];
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

const dataValidators = new Map(Object.entries(EVENT_DATA_SCHEMAS).map(([type, schema]) => [type, schemaValidator(schema)]));

function existingNode(issues: IssueList, state: TopologyState, name: string | undefined, path: string): NormalizedNode | undefined {
  if (name === undefined) return undefined;
  const node = state.nodes.get(name);
  if (!node) issues.add(path, `unknown node "${name}"`);
  return node;
}

function withNode(state: TopologyState, node: NormalizedNode): TopologyState {
  const nodes = new Map(state.nodes);
  nodes.set(node.name, node);
  return { ...state, nodes };
}

/** Re-checks a node after an in-place change (interfaces, routes, services) so its references stay valid. */
function revalidateNode(issues: IssueList, node: NormalizedNode, path: string): NormalizedNode | undefined {
  // parseNode builds fresh objects and never mutates its input; metadata is shared as it is (never modified).
  return parseNode(issues, node, path);
}

/**
 * Applies one event to a state without cross-node checks; throws `TopologyValidationError` naming the field
 * (`data.node.interfaces[0].name: ...`) when the event is malformed or refers to something that does not exist.
 */
export function transitionTopology(state: TopologyState, rawEvent: unknown): TopologyTransition {
  const event = parseTopologyEvent(rawEvent);
  const data = event.data as Record<string, unknown>;
  const issues = new IssueList();
  let next: TopologyState = state;
  const touched: string[] = [];
  let touchesAll = false;
  const type = event.type as TopologyEventType;
  for (const problem of dataValidators.get(type)?.problems(data) ?? []) issues.add(`data.${problem.path}`, problem.message);
  switch (type) {
    case 'TopologyCreated': {
      const name = parseTopologyName(issues, data.name, 'data.name');
      const domain = parseDomain(issues, data.domain, 'data.domain');
      const defaults = parseDefaults(issues, data.defaults, 'data.defaults');
      next = { ...state, name, domain, defaults };
      touchesAll = true;
      break;
    }
    case 'NodeAdded':
    case 'NodeUpdated': {
      const node = parseNode(issues, data.node, 'data.node');
      if (!node) break;
      const exists = state.nodes.has(node.name);
      if (type === 'NodeAdded' && exists) issues.add('data.node.name', `node "${node.name}" already exists (use NodeUpdated)`);
      if (type === 'NodeUpdated' && !exists) issues.add('data.node.name', `unknown node "${node.name}" (use NodeAdded)`);
      next = withNode(state, node);
      touched.push(node.name);
      break;
    }
    case 'NodeRemoved': {
      const name = stringField(data, 'name');
      if (!existingNode(issues, state, name, 'data.name')) break;
      const nodes = new Map(state.nodes);
      nodes.delete(name!);
      const connections = state.connections.filter((c) => splitEndpoint(c.from)?.node !== name && splitEndpoint(c.to)?.node !== name);
      next = { ...state, nodes, connections };
      touched.push(name!);
      break;
    }
    case 'InterfaceAdded':
    case 'InterfaceUpdated':
    case 'InterfaceRemoved': {
      const node = existingNode(issues, state, stringField(data, 'node'), 'data.node');
      if (!node) break;
      let interfaces = node.interfaces;
      let connections = state.connections;
      if (type === 'InterfaceRemoved') {
        const name = stringField(data, 'name');
        if (name === undefined) break;
        if (!interfaces.some((i) => i.name === name)) issues.add('data.name', `node ${node.name} has no interface "${name}"`);
        interfaces = interfaces.filter((i) => i.name !== name);
        const endpoint = `${node.name}:${name}`;
        connections = connections.filter((c) => c.from !== endpoint && c.to !== endpoint);
      } else {
        const iface = parseInterface(issues, data.interface, 'data.interface');
        if (!iface) break;
        const exists = interfaces.some((i) => i.name === iface.name);
        if (type === 'InterfaceAdded' && exists) issues.add('data.interface.name', `node ${node.name} already has interface "${iface.name}"`);
        if (type === 'InterfaceUpdated' && !exists) issues.add('data.interface.name', `node ${node.name} has no interface "${iface.name}"`);
        interfaces = [...interfaces.filter((i) => i.name !== iface.name), iface];
      }
      const updated = revalidateNode(issues, { ...node, interfaces }, `nodes.${node.name}`);
      if (updated) next = { ...withNode(state, updated), connections };
      touched.push(node.name);
      break;
    }
    case 'RouteAdded':
    case 'RouteRemoved': {
      const node = existingNode(issues, state, stringField(data, 'node'), 'data.node');
      if (!node) break;
      let routes = node.routes;
      if (type === 'RouteRemoved') {
        const destination = stringField(data, 'destination');
        if (destination !== undefined && !routes.some((r) => r.destination === destination)) issues.add('data.destination', `node ${node.name} has no route to "${destination}"`);
        routes = routes.filter((r) => r.destination !== destination);
      } else {
        const route = parseRoute(issues, data.route, 'data.route');
        if (!route) break;
        if (routes.some((r) => r.destination === route.destination)) issues.add('data.route.destination', `node ${node.name} already has a route to "${route.destination}"`);
        routes = [...routes, route];
      }
      const updated = revalidateNode(issues, { ...node, routes }, `nodes.${node.name}`);
      if (updated) next = withNode(state, updated);
      touched.push(node.name);
      break;
    }
    case 'ConnectionAdded':
    case 'ConnectionRemoved': {
      const connection = parseConnection(issues, data, 'data');
      if (!connection) break;
      const key = connectionKey(connection);
      const exists = state.connections.some((c) => connectionKey(c) === key);
      if (type === 'ConnectionAdded') {
        if (exists) issues.add('data', `connection ${connection.from} <-> ${connection.to} already exists`);
        next = { ...state, connections: canonicalConnections([...state.connections, connection]) };
      } else {
        if (!exists) issues.add('data', `no connection ${connection.from} <-> ${connection.to}`);
        next = { ...state, connections: state.connections.filter((c) => connectionKey(c) !== key) };
      }
      for (const endpoint of [connection.from, connection.to]) {
        const name = splitEndpoint(endpoint)?.node;
        if (name !== undefined) touched.push(name);
      }
      break;
    }
    case 'ServiceEnabled':
    case 'ServiceDisabled': {
      const node = existingNode(issues, state, stringField(data, 'node'), 'data.node');
      if (!node) break;
      let services = node.services;
      if (type === 'ServiceEnabled') {
        const service = parseService(issues, data.service, 'data.service');
        if (!service) break;
        services = [...services.filter((s) => s.name !== service.name), service];
      } else {
        const name = typeof data.service === 'string' ? data.service : (data.service as { name?: unknown } | undefined)?.name;
        if (typeof name === 'string' && !services.some((s) => s.name === name)) issues.add('data.service', `service "${name}" is not enabled on ${node.name}`);
        services = services.filter((s) => s.name !== name);
      }
      const updated = revalidateNode(issues, { ...node, services }, `nodes.${node.name}`);
      if (updated) next = withNode(state, updated);
      touched.push(node.name);
      break;
    }
  }
  if (issues.issues.length > 0) {
    const prefixed = new IssueList();
    for (const issue of issues.issues) prefixed.add(`${type} ${issue.path}`.trimEnd(), issue.message);
    prefixed.throwIfAny();
  }
  return { state: next, touched: [...new Set(touched)].sort(), touchesAll, type };
}

/** Applies a whole log (for example an NDJSON file); cross-node references are checked once at the end. */
export function replayTopologyEvents(events: Iterable<unknown>, initial: TopologyState = emptyTopology()): TopologyState {
  let state = initial;
  for (const event of events) state = transitionTopology(state, event).state;
  return state;
}

/** Cross-node checks for an intermediate state (header not required yet). */
export function checkIntermediateState(state: TopologyState): void {
  const issues = new IssueList();
  checkState(issues, state, false);
  issues.throwIfAny();
}
