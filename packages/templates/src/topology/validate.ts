import { schemaValidator, type SchemaValidator } from '@nixforge/core';
import { networkOf, parseCidr, parseIp, subnetContains, subnetText } from './addresses.js';
import { IssueList, type ValidationIssue } from './validation-error.js';
import {
  CONNECTION_SCHEMA,
  DEFAULTS_SCHEMA,
  DOMAIN_SCHEMA,
  INTERFACE_SCHEMA,
  NODE_SCHEMA,
  PLAIN_SERVICE_SCHEMA,
  ROUTE_SCHEMA,
  SERVICE_NAMES,
  TOPOLOGY_FORMATS,
  TOPOLOGY_NAME_SCHEMA,
  WIREGUARD_SERVICE_SCHEMA,
  type ServiceName,
  type TopologyInterface,
  type TopologyNode,
  type WireguardPeer,
} from './schema.js';
import type { NormalizedNode, TopologyConnection, TopologyDefaults, TopologyRoute, TopologyService, TopologyState, TopologyUser } from './types.js';

export { HOSTNAME } from './schema.js';

const SECRET_FIELDS = ['privateKey', 'password', 'hashedPassword', 'presharedKey'];
const SECRET_MESSAGE = 'secrets are never inlined; give a file read at run time instead (e.g. privateKeyFile, passwordFile)';

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === undefined) return 'missing';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function validator<T extends Parameters<typeof schemaValidator>[0]>(schema: T) {
  return schemaValidator(schema, TOPOLOGY_FORMATS);
}

const validators = {
  node: validator(NODE_SCHEMA),
  interface: validator(INTERFACE_SCHEMA),
  route: validator(ROUTE_SCHEMA),
  wireguard: validator(WIREGUARD_SERVICE_SCHEMA),
  plainService: validator(PLAIN_SERVICE_SCHEMA),
  defaults: validator(DEFAULTS_SCHEMA),
  topologyName: validator(TOPOLOGY_NAME_SCHEMA),
  domain: validator(DOMAIN_SCHEMA),
  connection: validator(CONNECTION_SCHEMA),
};

function joinPath(base: string, relative: string): string {
  if (!relative) return base;
  if (!base || relative.startsWith('[')) return `${base}${relative}`;
  return `${base}.${relative}`;
}

/**
 * Records the schema problems of `value` under `path`; true when there are none. A secret-looking field is not
 * merely unknown: it says where secrets belong instead.
 */
function shapeIsValid<T>(issues: IssueList, schema: SchemaValidator<T>, value: unknown, path: string): value is T {
  const problems = schema.problems(value);
  for (const problem of problems) {
    const key = problem.path.slice(problem.path.lastIndexOf('.') + 1);
    const secret = problem.message.startsWith('unknown field') && SECRET_FIELDS.includes(key);
    issues.add(joinPath(path, problem.path), secret ? SECRET_MESSAGE : problem.message);
  }
  return problems.length === 0;
}

/** An interface address must be a host address: not its IPv4 subnet's network or broadcast address. */
function checkHostAddresses(issues: IssueList, iface: TopologyInterface, path: string): void {
  (iface.addresses ?? []).forEach((address, index) => {
    const parsed = parseCidr(address)!;
    if (parsed.family !== 4 || parsed.prefixLength > 30) return;
    const network = networkOf(parsed);
    const broadcast = network + (1n << BigInt(32 - parsed.prefixLength)) - 1n;
    if (parsed.value === network || parsed.value === broadcast) {
      issues.add(`${path}.addresses[${index}]`, `${parsed.address} is the ${parsed.value === network ? 'network' : 'broadcast'} address of ${subnetText(parsed)}, not a host address`);
    }
  });
}

// The copies below keep the field order of the input's normal form (it shows in state files and events).

function normalInterface(raw: TopologyInterface): TopologyInterface {
  const result: TopologyInterface = { name: raw.name };
  if (raw.addresses) result.addresses = [...raw.addresses];
  if (raw.dhcp !== undefined) result.dhcp = raw.dhcp;
  if (raw.wan !== undefined) result.wan = raw.wan;
  if (raw.mac !== undefined) result.mac = raw.mac.toLowerCase();
  if (raw.mtu !== undefined) result.mtu = raw.mtu;
  if (raw.vlan) result.vlan = { id: raw.vlan.id, parent: raw.vlan.parent };
  if (raw.bridge !== undefined) result.bridge = typeof raw.bridge === 'string' ? raw.bridge : [...raw.bridge];
  return result;
}

function normalRoute(raw: TopologyRoute): TopologyRoute {
  return { destination: raw.destination, via: raw.via, interface: raw.interface };
}

function normalPeer(raw: WireguardPeer): WireguardPeer {
  const peer: WireguardPeer = { publicKey: raw.publicKey, allowedIPs: [...raw.allowedIPs] };
  if (raw.endpoint !== undefined) peer.endpoint = raw.endpoint;
  if (raw.persistentKeepalive !== undefined) peer.persistentKeepalive = raw.persistentKeepalive;
  return peer;
}

function normalUser(raw: TopologyUser): TopologyUser {
  const user: TopologyUser = { name: raw.name };
  if (raw.description !== undefined) user.description = raw.description;
  if (raw.groups) user.groups = [...raw.groups];
  if (raw.sshKeys) user.sshKeys = [...raw.sshKeys];
  if (raw.passwordFile !== undefined) user.passwordFile = raw.passwordFile;
  return user;
}

export function parseDefaults(issues: IssueList, value: unknown, path: string): TopologyDefaults | undefined {
  if (!shapeIsValid(issues, validators.defaults, value, path)) return undefined;
  const defaults: TopologyDefaults = { system: value.system, stateVersion: value.stateVersion, timeZone: value.timeZone };
  if (value.release !== undefined) defaults.release = value.release;
  return defaults;
}

export function parseTopologyName(issues: IssueList, value: unknown, path: string): string | undefined {
  return shapeIsValid(issues, validators.topologyName, value, path) ? value : undefined;
}

export function parseDomain(issues: IssueList, value: unknown, path: string): string | undefined {
  return shapeIsValid(issues, validators.domain, value, path) ? value : undefined;
}

export function parseInterface(issues: IssueList, value: unknown, path: string): TopologyInterface | undefined {
  if (!shapeIsValid(issues, validators.interface, value, path)) return undefined;
  const before = issues.issues.length;
  checkHostAddresses(issues, value, path);
  return issues.issues.length > before ? undefined : normalInterface(value);
}

export function parseRoute(issues: IssueList, value: unknown, path: string): TopologyRoute | undefined {
  return shapeIsValid(issues, validators.route, value, path) ? normalRoute(value) : undefined;
}

/** A service given as a name or as `{ name, ...options }` (options for wireguard only). */
export function parseService(issues: IssueList, value: unknown, path: string): TopologyService | undefined {
  const known = `one of ${SERVICE_NAMES.join(', ')}`;
  const name = typeof value === 'string' ? value : isObject(value) ? value.name : undefined;
  if (typeof value === 'string' || (isObject(value) && typeof name === 'string')) {
    if (!(SERVICE_NAMES as readonly string[]).includes(name as string)) {
      issues.add(typeof value === 'string' ? path : `${path}.name`, `unknown service ${describe(name)}; expected ${known}`);
      return undefined;
    }
  }
  if (typeof value === 'string') return { name: value as ServiceName };
  if (!isObject(value)) {
    issues.add(path, `expected a service name (${known}) or { name, ...options }, got ${describe(value)}`);
    return undefined;
  }
  if (name !== 'wireguard') return shapeIsValid(issues, validators.plainService, value, path) ? { name: value.name } : undefined;
  if (!shapeIsValid(issues, validators.wireguard, value, path)) return undefined;
  const service: TopologyService = { name: 'wireguard' };
  if (value.interface !== undefined) service.interface = value.interface;
  if (value.listenPort !== undefined) service.listenPort = value.listenPort;
  if (value.ips) service.ips = [...value.ips];
  if (value.privateKeyFile !== undefined) service.privateKeyFile = value.privateKeyFile;
  if (value.peers) service.peers = value.peers.map(normalPeer);
  return service;
}

function checkUnique<T>(issues: IssueList, items: readonly T[] | undefined, key: (item: T) => string, path: string, what: string): void {
  const seen = new Map<string, number>();
  (items ?? []).forEach((item, index) => {
    const k = key(item);
    const first = seen.get(k);
    if (first !== undefined) issues.add(`${path}[${index}]`, `duplicate ${what} ${describe(k)} (first at ${path}[${first}])`);
    else seen.set(k, index);
  });
}

/**
 * Checks one node's shape (what it says about itself, whatever else exists); returns it normalised, or undefined when
 * unusable. References between its parts are checked on a whole state (`checkNodeConsistency`).
 */
export function parseNode(issues: IssueList, value: unknown, path: string): NormalizedNode | undefined {
  const before = issues.issues.length;
  const shaped = shapeIsValid(issues, validators.node, value, path);
  // Services are checked even when the rest is not, so one pass names every problem.
  const rawServices = isObject(value) && Array.isArray(value.services) ? value.services : [];
  const services = rawServices.map((entry, index) => parseService(issues, entry, `${path}.services[${index}]`));
  if (!shaped) return undefined;
  const raw = value as TopologyNode;
  raw.interfaces.forEach((iface, index) => checkHostAddresses(issues, iface, `${path}.interfaces[${index}]`));
  (raw.users ?? []).forEach((user, index) => {
    if (user.name === 'root') issues.add(`${path}.users[${index}].name`, 'root is configured by NixOS itself; use another user name');
  });
  if (issues.issues.length > before) return undefined;

  const node: NormalizedNode = {
    name: raw.name,
    role: raw.role,
    interfaces: raw.interfaces.map(normalInterface),
    routes: (raw.routes ?? []).map(normalRoute),
    services: services as TopologyService[],
    users: (raw.users ?? []).map(normalUser),
  };
  if (raw.tier !== undefined) node.tier = raw.tier;
  if (raw.system !== undefined) node.system = raw.system;
  if (raw.firewall) node.firewall = normalFirewall(raw.firewall);
  if (raw.metadata !== undefined) node.metadata = raw.metadata;
  checkNodeShape(issues, node, path);
  return node;
}

function normalFirewall(raw: NonNullable<TopologyNode['firewall']>): NonNullable<TopologyNode['firewall']> {
  const firewall: NonNullable<TopologyNode['firewall']> = {};
  if (raw.allowedTCPPorts) firewall.allowedTCPPorts = [...raw.allowedTCPPorts];
  if (raw.allowedUDPPorts) firewall.allowedUDPPorts = [...raw.allowedUDPPorts];
  return firewall;
}

/** What one node must say consistently about itself: names unique, DHCP and static IPv4 apart, route families. */
function checkNodeShape(issues: IssueList, node: NormalizedNode, path: string): void {
  checkUnique(issues, node.interfaces, (i) => i.name, `${path}.interfaces`, 'interface name');
  checkUnique(issues, node.routes, (route) => route.destination, `${path}.routes`, 'route destination');
  checkUnique(issues, node.services, (service) => service.name, `${path}.services`, 'service');
  checkUnique(issues, node.users, (user) => user.name, `${path}.users`, 'user name');
  node.interfaces.forEach((iface, index) => {
    const at = `${path}.interfaces[${index}]`;
    if (iface.vlan && iface.vlan.parent === iface.name) issues.add(`${at}.vlan.parent`, 'a VLAN cannot be its own parent');
    if (iface.dhcp && (iface.addresses?.length ?? 0) > 0 && iface.addresses!.some((a) => parseCidr(a)?.family === 4)) {
      issues.add(`${at}.dhcp`, 'an interface cannot use DHCP and have static IPv4 addresses');
    }
  });
  node.routes.forEach((route, index) => {
    const destination = route.destination === 'default' ? undefined : parseCidr(route.destination);
    const via = parseIp(route.via);
    if (destination && via && destination.family !== via.family) issues.add(`${path}.routes[${index}].via`, 'gateway and destination are of different IP families');
  });
}

/**
 * References from a node's parts to its other parts: routes, VLANs, bridges and WireGuard name real interfaces,
 * gateways lie on the route's interface. Events may bring a node's parts in any order, so these are checked on a
 * state, not on each event; every issue names the node (`hosts`).
 */
export function checkNodeConsistency(issues: IssueList, node: NormalizedNode, path: string): void {
  const hosts = [node.name];
  const names = new Set(node.interfaces.map((i) => i.name));
  node.interfaces.forEach((iface, index) => {
    const at = `${path}.interfaces[${index}]`;
    if (iface.vlan && iface.vlan.parent !== iface.name && !names.has(iface.vlan.parent)) issues.add(`${at}.vlan.parent`, `unknown interface ${describe(iface.vlan.parent)} on node ${node.name}`, hosts);
    if (typeof iface.bridge === 'string' && !names.has(iface.bridge)) issues.add(`${at}.bridge`, `unknown bridge interface ${describe(iface.bridge)} on node ${node.name}`, hosts);
    if (Array.isArray(iface.bridge)) {
      iface.bridge.forEach((member, m) => {
        if (!names.has(member) || member === iface.name) issues.add(`${at}.bridge[${m}]`, `unknown member interface ${describe(member)} on node ${node.name}`, hosts);
      });
    }
  });
  node.routes.forEach((route, index) => {
    if (!names.has(route.interface)) issues.add(`${path}.routes[${index}].interface`, `unknown interface ${describe(route.interface)} on node ${node.name}`, hosts);
    const via = parseIp(route.via);
    const iface = node.interfaces.find((i) => i.name === route.interface);
    const onFamily = (iface?.addresses ?? []).map((a) => parseCidr(a)!).filter((c) => via && c.family === via.family);
    if (via && onFamily.length > 0 && !onFamily.some((cidr) => subnetContains(cidr, via))) {
      issues.add(`${path}.routes[${index}].via`, `${route.via} is not on a subnet of interface ${route.interface}`, hosts);
    }
  });
  node.services.forEach((service, index) => {
    if (service.name === 'wireguard' && service.interface && names.has(service.interface)) {
      issues.add(`${path}.services[${index}].interface`, `${describe(service.interface)} is already a network interface of ${node.name}`, hosts);
    }
  });
}

/** Parses `node:iface`. */
export function splitEndpoint(endpoint: string): { node: string; iface: string } | undefined {
  const index = endpoint.indexOf(':');
  if (index <= 0) return undefined;
  return { node: endpoint.slice(0, index), iface: endpoint.slice(index + 1) };
}

export function parseConnection(issues: IssueList, value: unknown, path: string): TopologyConnection | undefined {
  if (!shapeIsValid(issues, validators.connection, value, path)) return undefined;
  if (value.from === value.to) {
    issues.add(`${path ? `${path}.` : ''}to`, 'a connection cannot link an interface to itself');
  }
  return { from: value.from, to: value.to };
}

/** What the state checks need of one node, computed once per node object (states share unchanged nodes). */
interface NodeFacts {
  path: string;
  issues: ValidationIssue[];
  addresses: Array<{ key: string; address: string; iface: string }>;
}

const nodeFactsCache = new WeakMap<NormalizedNode, NodeFacts>();

function nodeFacts(node: NormalizedNode, path: string): NodeFacts {
  const cached = nodeFactsCache.get(node);
  if (cached && cached.path === path) return cached;
  const own = new IssueList();
  checkNodeConsistency(own, node, path);
  const addresses: NodeFacts['addresses'] = [];
  for (const iface of node.interfaces) {
    for (const address of iface.addresses ?? []) {
      const cidr = parseCidr(address)!;
      addresses.push({ key: `${cidr.family}:${cidr.value}`, address: cidr.address, iface: iface.name });
    }
  }
  const facts = { path, issues: own.issues, addresses };
  nodeFactsCache.set(node, facts);
  return facts;
}

/** How checkState names nodes and connections in issue paths. */
export interface StatePaths {
  node: (name: string) => string;
  connection: (index: number, connection: TopologyConnection) => string;
}

/** Paths by name (`nodes.db1`, `connections["a:eth0 <-> b:eth0"]`): stable while events change a state. */
export const NAMED_PATHS: StatePaths = {
  node: (name) => `nodes.${name}`,
  connection: (_index, connection) => `connections[${JSON.stringify(`${connection.from} <-> ${connection.to}`)}]`,
};

/**
 * Consistency checks on a whole state: every node's parts refer to each other correctly, connections reference
 * existing nodes and interfaces, and no address or MAC is used twice. With `requireHeader`, the name, domain and
 * defaults must be set (rendering needs them). Issues about nodes name them in `hosts`.
 */
export function checkState(issues: IssueList, state: TopologyState, requireHeader: boolean, paths: StatePaths = NAMED_PATHS): void {
  if (requireHeader) {
    if (state.name === undefined) issues.add('name', 'missing (a snapshot needs a name; an event log needs a TopologyCreated event)');
    if (state.domain === undefined) issues.add('domain', 'missing');
    if (state.defaults === undefined) issues.add('defaults', 'missing');
  }
  const owners = new Map<string, { node: string; where: string }>();
  const macOwners = new Map<string, { node: string; where: string }>();
  for (const node of state.nodes.values()) {
    const facts = nodeFacts(node, paths.node(node.name));
    for (const issue of facts.issues) issues.issues.push(issue);
    for (const { key, address, iface } of facts.addresses) {
      const here = `${node.name}:${iface}`;
      const owner = owners.get(key);
      if (owner !== undefined && owner.where !== here) issues.add(`${facts.path}.interfaces.${iface}.addresses`, `address ${address} is also used by ${owner.where}`, [...new Set([owner.node, node.name])]);
      else owners.set(key, { node: node.name, where: here });
    }
    for (const iface of node.interfaces) {
      if (iface.mac === undefined) continue;
      const owner = macOwners.get(iface.mac);
      if (owner !== undefined) issues.add(`${facts.path}.interfaces.${iface.name}.mac`, `MAC address ${iface.mac} is also used by ${owner.node}:${owner.where}`, [...new Set([owner.node, node.name])]);
      else macOwners.set(iface.mac, { node: node.name, where: iface.name });
    }
  }
  state.connections.forEach((connection, index) => {
    for (const issue of connectionIssues(state, connection, () => paths.connection(index, connection), paths === NAMED_PATHS)) issues.issues.push(issue);
  });
}

/** Connection issues by connection object, reused while both endpoint nodes are the same objects (named paths only). */
const connectionCache = new WeakMap<TopologyConnection, { from: NormalizedNode | undefined; to: NormalizedNode | undefined; issues: ValidationIssue[] }>();

/**
 * A link to a node not there yet holds nobody back (it is left out until the node comes); a link to a missing
 * interface of a node says that node is incomplete.
 */
function connectionIssues(state: TopologyState, connection: TopologyConnection, path: () => string, cacheable: boolean): ValidationIssue[] {
  const ends = { from: splitEndpoint(connection.from), to: splitEndpoint(connection.to) };
  const from = ends.from && state.nodes.get(ends.from.node);
  const to = ends.to && state.nodes.get(ends.to.node);
  const cached = cacheable ? connectionCache.get(connection) : undefined;
  if (cached && cached.from === from && cached.to === to) return cached.issues;
  const at = path();
  const own = new IssueList();
  for (const side of ['from', 'to'] as const) {
    const endpoint = ends[side];
    const node = side === 'from' ? from : to;
    if (!endpoint || !node) own.add(`${at}.${side}`, `unknown node in ${describe(connection[side])}`, []);
    else if (!node.interfaces.some((i) => i.name === endpoint.iface)) own.add(`${at}.${side}`, `node ${endpoint.node} has no interface ${describe(endpoint.iface)}`, [node.name]);
  }
  if (cacheable) connectionCache.set(connection, { from, to, issues: own.issues });
  return own.issues;
}
