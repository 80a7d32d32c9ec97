import { networkOf, parseCidr, parseIp, subnetContains, subnetText } from './addresses.js';
import { IssueList, type ValidationIssue } from './validation-error.js';
import {
  NODE_ROLES,
  NODE_TIERS,
  SERVICE_NAMES,
  type NormalizedNode,
  type ServiceName,
  type TopologyConnection,
  type TopologyDefaults,
  type TopologyFirewall,
  type TopologyInterface,
  type TopologyRoute,
  type TopologyService,
  type TopologyState,
  type TopologyUser,
  type WireguardPeer,
} from './types.js';

/** RFC 1123 host name label (also used for node names, which become file names). */
export const HOSTNAME = /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;
const DOMAIN = /^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;
const USER_NAME = /^[a-z_][a-z0-9_-]{0,30}$/;
const INTERFACE_NAME = /^(?!\.\.?$)[A-Za-z0-9_.-]{1,15}$/;
const SYSTEMS = new Set(['x86_64-linux', 'aarch64-linux', 'i686-linux', 'riscv64-linux', 'armv7l-linux', 'armv6l-linux', 'powerpc64le-linux']);
const STATE_VERSION = /^\d{2}\.\d{2}$/;
const TIME_ZONE = /^[A-Za-z0-9_+-]+(\/[A-Za-z0-9_+-]+)*$/;
const SSH_KEY = /^(ssh-(ed25519|rsa|dss)|ecdsa-sha2-nistp(256|384|521)|sk-(ssh-ed25519|ecdsa-sha2-nistp256)@openssh\.com) [A-Za-z0-9+/]+={0,3}( [^\n\r\0]*)?$/;
const WIREGUARD_KEY = /^[A-Za-z0-9+/]{42}[AEIMQUYcgkosw480]=$/;
const MAC = /^[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){5}$/;
const ENDPOINT = /^[A-Za-z0-9.:[\]-]+:\d{1,5}$/;
const SECRET_FIELDS = ['privateKey', 'password', 'hashedPassword', 'presharedKey'];

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === undefined) return 'missing';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** Reads typed fields from a JSON object, recording an issue (and returning undefined) for each bad one. */
class FieldReader {
  constructor(readonly issues: IssueList, readonly path: string, readonly object: Json) {}

  at(field: string): string {
    return this.path ? `${this.path}.${field}` : field;
  }

  unknownFields(allowed: readonly string[]): void {
    for (const key of Object.keys(this.object)) {
      if (SECRET_FIELDS.includes(key)) this.issues.add(this.at(key), 'secrets are never inlined; give a file read at run time instead (e.g. privateKeyFile, passwordFile)');
      else if (!allowed.includes(key)) this.issues.add(this.at(key), 'unknown field');
    }
  }

  string(field: string, pattern: RegExp | undefined, what: string, required: true): string | undefined;
  string(field: string, pattern: RegExp | undefined, what: string, required?: false): string | undefined;
  string(field: string, pattern: RegExp | undefined, what: string, required = false): string | undefined {
    const value = this.object[field];
    if (value === undefined && !required) return undefined;
    if (typeof value !== 'string' || (pattern && !pattern.test(value)) || value.includes('\0')) {
      this.issues.add(this.at(field), `expected ${what}, got ${describe(value)}`);
      return undefined;
    }
    return value;
  }

  integer(field: string, min: number, max: number, what: string): number | undefined {
    const value = this.object[field];
    if (value === undefined) return undefined;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      this.issues.add(this.at(field), `expected ${what} (an integer from ${min} to ${max}), got ${describe(value)}`);
      return undefined;
    }
    return value;
  }

  boolean(field: string): boolean | undefined {
    const value = this.object[field];
    if (value === undefined) return undefined;
    if (typeof value !== 'boolean') {
      this.issues.add(this.at(field), `expected true or false, got ${describe(value)}`);
      return undefined;
    }
    return value;
  }

  list<T>(field: string, item: (value: unknown, path: string) => T | undefined): T[] | undefined {
    const value = this.object[field];
    if (value === undefined) return undefined;
    if (!Array.isArray(value)) {
      this.issues.add(this.at(field), `expected a list, got ${describe(value)}`);
      return undefined;
    }
    const out: T[] = [];
    value.forEach((entry, index) => {
      const parsed = item(entry, `${this.at(field)}[${index}]`);
      if (parsed !== undefined) out.push(parsed);
    });
    return out;
  }
}

function stringItem(issues: IssueList, pattern: RegExp, what: string) {
  return (value: unknown, path: string): string | undefined => {
    if (typeof value === 'string' && pattern.test(value)) return value;
    issues.add(path, `expected ${what}, got ${describe(value)}`);
    return undefined;
  };
}

function portItem(issues: IssueList) {
  return (value: unknown, path: string): number | undefined => {
    if (typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 65535) return value;
    issues.add(path, `expected a port (an integer from 1 to 65535), got ${describe(value)}`);
    return undefined;
  };
}

function cidrItem(issues: IssueList) {
  return (value: unknown, path: string): string | undefined => {
    if (typeof value === 'string' && parseCidr(value)) return value;
    issues.add(path, `expected an IPv4 or IPv6 address with prefix length (e.g. 10.0.0.2/24, fd00::2/64), got ${describe(value)}`);
    return undefined;
  };
}

/** An interface address: a CIDR whose IPv4 host part is neither the subnet's network nor its broadcast address. */
function hostCidrItem(issues: IssueList) {
  const cidr = cidrItem(issues);
  return (value: unknown, path: string): string | undefined => {
    const text = cidr(value, path);
    const parsed = text === undefined ? undefined : parseCidr(text);
    if (!parsed || parsed.family !== 4 || parsed.prefixLength > 30) return text;
    const network = networkOf(parsed);
    const broadcast = network + (1n << BigInt(32 - parsed.prefixLength)) - 1n;
    if (parsed.value === network || parsed.value === broadcast) {
      issues.add(path, `${parsed.address} is the ${parsed.value === network ? 'network' : 'broadcast'} address of ${subnetText(parsed)}, not a host address`);
      return undefined;
    }
    return text;
  };
}

function objectAt(issues: IssueList, value: unknown, path: string, what: string): Json | undefined {
  if (isObject(value)) return value;
  issues.add(path, `expected ${what}, got ${describe(value)}`);
  return undefined;
}

function requireFields<T extends object>(value: T, fields: Array<keyof T>): T | undefined {
  return fields.every((field) => value[field] !== undefined) ? value : undefined;
}

export function parseDefaults(issues: IssueList, value: unknown, path: string): TopologyDefaults | undefined {
  const object = objectAt(issues, value, path, 'an object { system, stateVersion, timeZone }');
  if (!object) return undefined;
  const r = new FieldReader(issues, path, object);
  r.unknownFields(['system', 'stateVersion', 'timeZone', 'release']);
  const system = r.string('system', undefined, `a system (${[...SYSTEMS].join(', ')})`, true);
  if (system !== undefined && !SYSTEMS.has(system)) issues.add(r.at('system'), `unknown system ${describe(system)}; expected one of ${[...SYSTEMS].join(', ')}`);
  const stateVersion = r.string('stateVersion', STATE_VERSION, 'a NixOS release such as "24.11"', true);
  const timeZone = r.string('timeZone', TIME_ZONE, 'a time zone such as "Europe/Berlin" or "UTC"', true);
  const release = r.string('release', STATE_VERSION, 'a NixOS release such as "25.05"');
  const defaults: TopologyDefaults = { system: system!, stateVersion: stateVersion!, timeZone: timeZone! };
  if (release !== undefined) defaults.release = release;
  return requireFields(defaults, ['system', 'stateVersion', 'timeZone']);
}

export function parseTopologyName(issues: IssueList, value: unknown, path: string): string | undefined {
  if (typeof value === 'string' && /^[A-Za-z0-9][A-Za-z0-9 ._-]{0,63}$/.test(value)) return value;
  issues.add(path, `expected a topology name (letters, digits, space, '.', '_' or '-'; at most 64), got ${describe(value)}`);
  return undefined;
}

export function parseDomain(issues: IssueList, value: unknown, path: string): string | undefined {
  if (typeof value === 'string' && DOMAIN.test(value)) return value;
  issues.add(path, `expected a DNS domain such as "home.arpa" (RFC 1123 labels), got ${describe(value)}`);
  return undefined;
}

export function parseInterface(issues: IssueList, value: unknown, path: string): TopologyInterface | undefined {
  const object = objectAt(issues, value, path, 'an interface object { name, addresses?, dhcp?, mtu?, vlan?, bridge? }');
  if (!object) return undefined;
  const r = new FieldReader(issues, path, object);
  r.unknownFields(['name', 'addresses', 'dhcp', 'mac', 'mtu', 'vlan', 'bridge', 'wan']);
  const name = r.string('name', INTERFACE_NAME, 'an interface name (1-15 of letters, digits, _ . -)', true);
  const result: TopologyInterface = { name: name! };
  const addresses = r.list('addresses', hostCidrItem(issues));
  if (addresses) result.addresses = addresses;
  const dhcp = r.boolean('dhcp');
  if (dhcp !== undefined) result.dhcp = dhcp;
  const wan = r.boolean('wan');
  if (wan !== undefined) result.wan = wan;
  const mac = r.string('mac', MAC, 'a MAC address such as "52:54:00:12:34:56"');
  if (mac !== undefined) result.mac = mac.toLowerCase();
  const mtu = r.integer('mtu', 68, 65535, 'an MTU');
  if (mtu !== undefined) result.mtu = mtu;
  if (object.vlan !== undefined) {
    const vlan = objectAt(issues, object.vlan, r.at('vlan'), 'an object { id, parent }');
    if (vlan) {
      const v = new FieldReader(issues, r.at('vlan'), vlan);
      v.unknownFields(['id', 'parent']);
      const id = v.integer('id', 1, 4094, 'a VLAN id');
      if (vlan.id === undefined) issues.add(v.at('id'), 'missing');
      const parent = v.string('parent', INTERFACE_NAME, 'the name of the parent interface', true);
      if (id !== undefined && parent !== undefined) result.vlan = { id, parent };
    }
  }
  if (object.bridge !== undefined) {
    if (typeof object.bridge === 'string') {
      const bridge = r.string('bridge', INTERFACE_NAME, 'the name of a bridge interface');
      if (bridge !== undefined) result.bridge = bridge;
    } else {
      const members = r.list('bridge', stringItem(issues, INTERFACE_NAME, 'an interface name'));
      if (members) result.bridge = members;
    }
  }
  return name === undefined ? undefined : result;
}

export function parseRoute(issues: IssueList, value: unknown, path: string): TopologyRoute | undefined {
  const object = objectAt(issues, value, path, 'a route object { destination, via, interface }');
  if (!object) return undefined;
  const r = new FieldReader(issues, path, object);
  r.unknownFields(['destination', 'via', 'interface']);
  const destination = r.string('destination', /^(default|[^/]+\/\d+)$/, 'a CIDR or "default"', true);
  if (destination !== undefined && destination !== 'default' && !parseCidr(destination)) issues.add(r.at('destination'), `expected a CIDR or "default", got ${describe(destination)}`);
  const via = r.string('via', undefined, 'an IP address', true);
  if (via !== undefined && !parseIp(via)) issues.add(r.at('via'), `expected an IPv4 or IPv6 address, got ${describe(via)}`);
  const iface = r.string('interface', INTERFACE_NAME, 'an interface name', true);
  return requireFields({ destination: destination!, via: via!, interface: iface! }, ['destination', 'via', 'interface']);
}

function parsePeer(issues: IssueList, value: unknown, path: string): WireguardPeer | undefined {
  const object = objectAt(issues, value, path, 'a peer object { publicKey, allowedIPs, endpoint?, persistentKeepalive? }');
  if (!object) return undefined;
  const r = new FieldReader(issues, path, object);
  r.unknownFields(['publicKey', 'allowedIPs', 'endpoint', 'persistentKeepalive']);
  const publicKey = r.string('publicKey', WIREGUARD_KEY, 'a WireGuard public key (44 base64 characters)', true);
  const allowedIPs = r.list('allowedIPs', cidrItem(issues));
  if (allowedIPs === undefined) issues.add(r.at('allowedIPs'), 'missing');
  const peer: WireguardPeer = { publicKey: publicKey!, allowedIPs: allowedIPs ?? [] };
  const endpoint = r.string('endpoint', ENDPOINT, 'host:port');
  if (endpoint !== undefined) peer.endpoint = endpoint;
  const keepalive = r.integer('persistentKeepalive', 1, 65535, 'seconds');
  if (keepalive !== undefined) peer.persistentKeepalive = keepalive;
  return publicKey !== undefined && allowedIPs !== undefined ? peer : undefined;
}

/** A service given as a name or as `{ name, ...options }`. */
export function parseService(issues: IssueList, value: unknown, path: string): TopologyService | undefined {
  const known = `one of ${SERVICE_NAMES.join(', ')}`;
  if (typeof value === 'string') {
    if ((SERVICE_NAMES as readonly string[]).includes(value)) return { name: value as ServiceName };
    issues.add(path, `unknown service ${describe(value)}; expected ${known}`);
    return undefined;
  }
  const object = objectAt(issues, value, path, `a service name (${known}) or { name, ...options }`);
  if (!object) return undefined;
  const r = new FieldReader(issues, path, object);
  const name = r.string('name', undefined, `a service name (${known})`, true);
  if (name === undefined) return undefined;
  if (!(SERVICE_NAMES as readonly string[]).includes(name)) {
    issues.add(r.at('name'), `unknown service ${describe(name)}; expected ${known}`);
    return undefined;
  }
  const service: TopologyService = { name: name as ServiceName };
  if (name !== 'wireguard') {
    r.unknownFields(['name']);
    return service;
  }
  r.unknownFields(['name', 'interface', 'listenPort', 'ips', 'privateKeyFile', 'peers']);
  const iface = r.string('interface', INTERFACE_NAME, 'an interface name');
  if (iface !== undefined) service.interface = iface;
  const listenPort = r.integer('listenPort', 1, 65535, 'a port');
  if (listenPort !== undefined) service.listenPort = listenPort;
  const ips = r.list('ips', cidrItem(issues));
  if (ips) service.ips = ips;
  const keyFile = r.string('privateKeyFile', /^\/[^\0\n]*$/, 'an absolute path to a key file');
  if (keyFile !== undefined) service.privateKeyFile = keyFile;
  const peers = r.list('peers', (entry, at) => parsePeer(issues, entry, at));
  if (peers) service.peers = peers;
  return service;
}

function parseUser(issues: IssueList, value: unknown, path: string): TopologyUser | undefined {
  const object = objectAt(issues, value, path, 'a user object { name, description?, groups?, sshKeys? }');
  if (!object) return undefined;
  const r = new FieldReader(issues, path, object);
  r.unknownFields(['name', 'description', 'groups', 'sshKeys', 'passwordFile']);
  const name = r.string('name', USER_NAME, 'a user name (lower case letters, digits, _ and -, starting with a letter or _)', true);
  if (name === 'root') issues.add(r.at('name'), 'root is configured by NixOS itself; use another user name');
  const user: TopologyUser = { name: name! };
  const description = r.string('description', /^[^\n\r:]*$/, 'one line of text without ":"');
  if (description !== undefined) user.description = description;
  const groups = r.list('groups', stringItem(issues, USER_NAME, 'a group name'));
  if (groups) user.groups = groups;
  const keys = r.list('sshKeys', stringItem(issues, SSH_KEY, 'an OpenSSH public key ("ssh-ed25519 AAAA... comment")'));
  if (keys) user.sshKeys = keys;
  const passwordFile = r.string('passwordFile', /^\/[^\0\n]*$/, 'an absolute path to a file with the hashed password');
  if (passwordFile !== undefined) user.passwordFile = passwordFile;
  return name === undefined || name === 'root' ? undefined : user;
}

function parseFirewall(issues: IssueList, value: unknown, path: string): TopologyFirewall | undefined {
  const object = objectAt(issues, value, path, 'an object { allowedTCPPorts?, allowedUDPPorts? }');
  if (!object) return undefined;
  const r = new FieldReader(issues, path, object);
  r.unknownFields(['allowedTCPPorts', 'allowedUDPPorts']);
  const firewall: TopologyFirewall = {};
  const tcp = r.list('allowedTCPPorts', portItem(issues));
  if (tcp) firewall.allowedTCPPorts = tcp;
  const udp = r.list('allowedUDPPorts', portItem(issues));
  if (udp) firewall.allowedUDPPorts = udp;
  return firewall;
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
  const object = objectAt(issues, value, path, 'a node object { name, role, interfaces, ... }');
  if (!object) return undefined;
  const r = new FieldReader(issues, path, object);
  r.unknownFields(['name', 'role', 'tier', 'system', 'interfaces', 'routes', 'services', 'firewall', 'users', 'metadata']);
  const before = issues.issues.length;
  const name = r.string('name', HOSTNAME, 'a host name (RFC 1123: letters, digits and "-", 1-63, not starting or ending with "-")', true);
  const role = r.string('role', undefined, `a role (${NODE_ROLES.join(', ')})`, true);
  if (role !== undefined && !(NODE_ROLES as readonly string[]).includes(role)) issues.add(r.at('role'), `unknown role ${describe(role)}; expected one of ${NODE_ROLES.join(', ')}`);
  const tier = r.string('tier', undefined, `a tier (${NODE_TIERS.join(', ')})`);
  if (tier !== undefined && !(NODE_TIERS as readonly string[]).includes(tier)) issues.add(r.at('tier'), `unknown tier ${describe(tier)}; expected one of ${NODE_TIERS.join(', ')}`);
  const system = r.string('system', undefined, 'a system');
  if (system !== undefined && !SYSTEMS.has(system)) issues.add(r.at('system'), `unknown system ${describe(system)}; expected one of ${[...SYSTEMS].join(', ')}`);
  const interfaces = r.list('interfaces', (entry, at) => parseInterface(issues, entry, at));
  if (object.interfaces === undefined) issues.add(r.at('interfaces'), 'missing (a node needs at least one interface)');
  const routes = r.list('routes', (entry, at) => parseRoute(issues, entry, at)) ?? [];
  const services = r.list('services', (entry, at) => parseService(issues, entry, at)) ?? [];
  const users = r.list('users', (entry, at) => parseUser(issues, entry, at)) ?? [];
  const firewall = object.firewall === undefined ? undefined : parseFirewall(issues, object.firewall, r.at('firewall'));
  if (object.metadata !== undefined && !isObject(object.metadata)) issues.add(r.at('metadata'), `expected an object, got ${describe(object.metadata)}`);
  if (issues.issues.length > before) return undefined;

  const node: NormalizedNode = { name: name!, role: role as NormalizedNode['role'], interfaces: interfaces!, routes, services, users };
  if (tier !== undefined) node.tier = tier as NormalizedNode['tier'];
  if (system !== undefined) node.system = system;
  if (firewall) node.firewall = firewall;
  if (isObject(object.metadata)) node.metadata = object.metadata;
  checkNodeShape(issues, node, path);
  return node;
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
  const object = objectAt(issues, value, path, 'a connection object { from: "node:iface", to: "node:iface" }');
  if (!object) return undefined;
  const r = new FieldReader(issues, path, object);
  r.unknownFields(['from', 'to']);
  const from = r.string('from', /^[^:]+:[^:]+$/, '"node:iface"', true);
  const to = r.string('to', /^[^:]+:[^:]+$/, '"node:iface"', true);
  if (from !== undefined && from === to) issues.add(r.at('to'), 'a connection cannot link an interface to itself');
  return from !== undefined && to !== undefined ? { from, to } : undefined;
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
