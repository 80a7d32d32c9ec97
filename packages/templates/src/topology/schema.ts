import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { StringEnum, type StringFormats } from '@nixforge/core';
import { parseCidr, parseIp } from './addresses.js';

/** Roles a node can have; gateways and routers forward and NAT, the rest are hosts. */
export const NODE_ROLES = ['gateway', 'router', 'server', 'workstation', 'access-point', 'iot', 'vm', 'container'] as const;
export type NodeRole = (typeof NODE_ROLES)[number];

/** Position in the NATS hierarchy: leaf nodes connect to clusters, super-cluster nodes link clusters. */
export const NODE_TIERS = ['client', 'leaf', 'cluster', 'super-cluster'] as const;
export type NodeTier = (typeof NODE_TIERS)[number];

/** Services the generator knows; ssh is always on and needs no entry. */
export const SERVICE_NAMES = ['dhcp', 'dns', 'nginx', 'postgresql', 'prometheus', 'wireguard', 'nats'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

export const SYSTEMS = ['x86_64-linux', 'aarch64-linux', 'i686-linux', 'riscv64-linux', 'armv7l-linux', 'armv6l-linux', 'powerpc64le-linux'] as const;

/** RFC 1123 host name label (also used for node names, which become file names). */
export const HOSTNAME = /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;
export const USER_NAME = /^[a-z_][a-z0-9_-]{0,30}$/;
export const INTERFACE_NAME = /^(?!\.\.?$)[A-Za-z0-9_.-]{1,15}$/;
const DOMAIN = /^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;
const STATE_VERSION = /^\d{2}\.\d{2}$/;
const TIME_ZONE = /^[A-Za-z0-9_+-]+(\/[A-Za-z0-9_+-]+)*$/;
const SSH_KEY = /^(ssh-(ed25519|rsa|dss)|ecdsa-sha2-nistp(256|384|521)|sk-(ssh-ed25519|ecdsa-sha2-nistp256)@openssh\.com) [A-Za-z0-9+/]+={0,3}( [^\n\r\0]*)?$/;
const WIREGUARD_KEY = /^[A-Za-z0-9+/]{42}[AEIMQUYcgkosw480]=$/;
const MAC = /^[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){5}$/;
const ENDPOINT = /^[A-Za-z0-9.:[\]-]+:\d{1,5}$/;
const ABSOLUTE_PATH = /^\/[^\0\n]*$/;

/** The string checks topology schemas name in `format`. */
export const TOPOLOGY_FORMATS: StringFormats = {
  'topology-cidr': (value) => parseCidr(value) !== undefined,
  'topology-ip': (value) => parseIp(value) !== undefined,
  'topology-route-destination': (value) => value === 'default' || (/^[^/]+\/\d+$/.test(value) && parseCidr(value) !== undefined),
};

function matching(pattern: RegExp, expected: string) {
  return Type.String({ pattern: pattern.source, expected });
}

function closed<T extends Parameters<typeof Type.Object>[0]>(properties: T, expected: string) {
  return Type.Object(properties, { additionalProperties: false, expected });
}

function integer(minimum: number, maximum: number, what: string) {
  return Type.Integer({ minimum, maximum, expected: `${what} (an integer from ${minimum} to ${maximum})` });
}

function listOf<T extends TSchema>(item: T) {
  return Type.Array(item, { expected: 'a list' });
}

const CIDR = Type.String({ format: 'topology-cidr', expected: 'an IPv4 or IPv6 address with prefix length (e.g. 10.0.0.2/24, fd00::2/64)' });
const PORT = integer(1, 65535, 'a port');
const INTERFACE_REF = matching(INTERFACE_NAME, 'an interface name (1-15 of letters, digits, _ . -)');

export const VLAN_SCHEMA = closed({ id: integer(1, 4094, 'a VLAN id'), parent: matching(INTERFACE_NAME, 'the name of the parent interface') }, 'an object { id, parent }');

export const INTERFACE_SCHEMA = closed(
  {
    /** Linux interface name, e.g. `eth0`, `br0`, `vlan10`. */
    name: INTERFACE_REF,
    /** CIDR addresses, IPv4 or IPv6: `10.0.0.2/24`, `fd00::2/64`. */
    addresses: Type.Optional(listOf(CIDR)),
    dhcp: Type.Optional(Type.Boolean()),
    /** Hardware address (`52:54:00:12:34:56`, stored lower case); with `dhcp`, the LAN's Kea server reserves an address for it. */
    mac: Type.Optional(matching(MAC, 'a MAC address such as "52:54:00:12:34:56"')),
    mtu: Type.Optional(integer(68, 65535, 'an MTU')),
    /** This interface is a VLAN on another interface of the node. */
    vlan: Type.Optional(VLAN_SCHEMA),
    /** Either the member interfaces of this bridge, or the name of the bridge this interface belongs to. */
    bridge: Type.Optional(
      Type.Union([matching(INTERFACE_NAME, 'the name of a bridge interface'), listOf(matching(INTERFACE_NAME, 'an interface name'))], {
        expected: 'the name of a bridge interface, or a list of member interface names',
      }),
    ),
    /** Marks the upstream interface of a gateway/router when it is not the DHCP one. */
    wan: Type.Optional(Type.Boolean()),
  },
  'an interface object { name, addresses?, dhcp?, mtu?, vlan?, bridge? }',
);

/** A static route; `destination` is a CIDR or `default`. */
export const ROUTE_SCHEMA = closed(
  {
    destination: Type.String({ format: 'topology-route-destination', expected: 'a CIDR or "default"' }),
    via: Type.String({ format: 'topology-ip', expected: 'an IPv4 or IPv6 address' }),
    interface: INTERFACE_REF,
  },
  'a route object { destination, via, interface }',
);

export const PEER_SCHEMA = closed(
  {
    publicKey: matching(WIREGUARD_KEY, 'a WireGuard public key (44 base64 characters)'),
    allowedIPs: listOf(CIDR),
    endpoint: Type.Optional(matching(ENDPOINT, 'host:port')),
    persistentKeepalive: Type.Optional(integer(1, 65535, 'seconds')),
  },
  'a peer object { publicKey, allowedIPs, endpoint?, persistentKeepalive? }',
);

const SERVICE_NAME = StringEnum(SERVICE_NAMES, { expected: `a service name (one of ${SERVICE_NAMES.join(', ')})` });

/** WireGuard, the one service with options: `{ name: "wireguard", interface?, listenPort?, ips?, privateKeyFile?, peers? }`. */
export const WIREGUARD_SERVICE_SCHEMA = closed(
  {
    name: Type.Literal('wireguard'),
    interface: Type.Optional(INTERFACE_REF),
    listenPort: Type.Optional(PORT),
    ips: Type.Optional(listOf(CIDR)),
    privateKeyFile: Type.Optional(matching(ABSOLUTE_PATH, 'an absolute path to a key file')),
    peers: Type.Optional(listOf(PEER_SCHEMA)),
  },
  'a service object { name, ...options }',
);

/** Any other service as an object: its name only (they take no options yet). */
export const PLAIN_SERVICE_SCHEMA = closed({ name: SERVICE_NAME }, 'a service object { name }');

export const USER_SCHEMA = closed(
  {
    name: matching(USER_NAME, 'a user name (lower case letters, digits, _ and -, starting with a letter or _)'),
    description: Type.Optional(Type.String({ pattern: '^[^\\n\\r:\\u0000]*$', expected: 'one line of text without ":"' })),
    groups: Type.Optional(listOf(matching(USER_NAME, 'a group name'))),
    sshKeys: Type.Optional(listOf(matching(SSH_KEY, 'an OpenSSH public key ("ssh-ed25519 AAAA... comment")'))),
    /** A file with the hashed password, read at activation (`users.users.<name>.hashedPasswordFile`). */
    passwordFile: Type.Optional(matching(ABSOLUTE_PATH, 'an absolute path to a file with the hashed password')),
  },
  'a user object { name, description?, groups?, sshKeys? }',
);

export const FIREWALL_SCHEMA = closed(
  { allowedTCPPorts: Type.Optional(listOf(PORT)), allowedUDPPorts: Type.Optional(listOf(PORT)) },
  'an object { allowedTCPPorts?, allowedUDPPorts? }',
);

/** A node as written. Services are checked one by one by parseService (a name, or an object whose fields depend on it). */
export const NODE_SCHEMA = closed(
  {
    name: matching(HOSTNAME, 'a host name (RFC 1123: letters, digits and "-", 1-63, not starting or ending with "-")'),
    role: StringEnum(NODE_ROLES, { expected: `a role (${NODE_ROLES.join(', ')})` }),
    tier: Type.Optional(StringEnum(NODE_TIERS, { expected: `a tier (${NODE_TIERS.join(', ')})` })),
    /** Overrides `defaults.system` for this node. */
    system: Type.Optional(StringEnum(SYSTEMS, { expected: `a system (${SYSTEMS.join(', ')})` })),
    interfaces: Type.Array(INTERFACE_SCHEMA, { expected: 'a list of interfaces (a node needs at least one interface)' }),
    routes: Type.Optional(listOf(ROUTE_SCHEMA)),
    services: Type.Optional(listOf(Type.Unknown())),
    firewall: Type.Optional(FIREWALL_SCHEMA),
    users: Type.Optional(listOf(USER_SCHEMA)),
    metadata: Type.Optional(Type.Record(Type.String(), Type.Unknown(), { expected: 'an object' })),
  },
  'a node object { name, role, interfaces, ... }',
);

export const DEFAULTS_SCHEMA = closed(
  {
    system: StringEnum(SYSTEMS, { expected: `a system (${SYSTEMS.join(', ')})` }),
    stateVersion: matching(STATE_VERSION, 'a NixOS release such as "24.11"'),
    timeZone: matching(TIME_ZONE, 'a time zone such as "Europe/Berlin" or "UTC"'),
    /** nixpkgs release the flake follows (`nixos-<release>`); defaults to stateVersion. */
    release: Type.Optional(matching(STATE_VERSION, 'a NixOS release such as "25.05"')),
  },
  'an object { system, stateVersion, timeZone }',
);

export const TOPOLOGY_NAME_SCHEMA = matching(/^[A-Za-z0-9][A-Za-z0-9 ._-]{0,63}$/, "a topology name (letters, digits, space, '.', '_' or '-'; at most 64)");
export const DOMAIN_SCHEMA = matching(DOMAIN, 'a DNS domain such as "home.arpa" (RFC 1123 labels)');

/** A link between two interfaces, each written `node:iface`. */
export const CONNECTION_SCHEMA = closed(
  { from: matching(/^[^:]+:[^:]+$/, '"node:iface"'), to: matching(/^[^:]+:[^:]+$/, '"node:iface"') },
  'a connection object { from: "node:iface", to: "node:iface" }',
);

/** An event envelope: `{ type, data }` plus any other fields (CloudEvents `id`, `source`, `time`, ...). */
export const TOPOLOGY_EVENT_SCHEMA = Type.Object(
  { type: Type.String({ expected: 'an event type' }), data: Type.Record(Type.String(), Type.Unknown(), { expected: 'an object' }) },
  { expected: 'an event object { type, data }' },
);

const REFERENCE = Type.String({ minLength: 1, expected: 'a non-empty string' });

/**
 * The `data` of events that name what they change (`{ node, name }`, ...); the parts they bring (a node, an interface,
 * a route, a service) are checked by the schemas above. Other fields are allowed.
 */
export const EVENT_DATA_SCHEMAS = {
  NodeRemoved: Type.Object({ name: REFERENCE }),
  InterfaceAdded: Type.Object({ node: REFERENCE }),
  InterfaceUpdated: Type.Object({ node: REFERENCE }),
  InterfaceRemoved: Type.Object({ node: REFERENCE, name: REFERENCE }),
  RouteAdded: Type.Object({ node: REFERENCE }),
  RouteRemoved: Type.Object({ node: REFERENCE, destination: REFERENCE }),
  ServiceEnabled: Type.Object({ node: REFERENCE }),
  ServiceDisabled: Type.Object({
    node: REFERENCE,
    service: Type.Union([Type.String(), Type.Object({ name: Type.String() })], { expected: 'a service name' }),
  }),
} as const;

export type VlanSpec = Static<typeof VLAN_SCHEMA>;
export type TopologyInterface = Static<typeof INTERFACE_SCHEMA>;
export type TopologyRoute = Static<typeof ROUTE_SCHEMA>;
export type WireguardPeer = Static<typeof PEER_SCHEMA>;
/** A service on a node: its name, and for wireguard its options. */
export type TopologyService = { name: ServiceName } & Partial<Omit<Static<typeof WIREGUARD_SERVICE_SCHEMA>, 'name'>>;
export type TopologyUser = Static<typeof USER_SCHEMA>;
export type TopologyFirewall = Static<typeof FIREWALL_SCHEMA>;
export type TopologyDefaults = Static<typeof DEFAULTS_SCHEMA>;
export type TopologyConnection = Static<typeof CONNECTION_SCHEMA>;
/** A node as written: services by name (`"nginx"`) or as objects with options. */
export type TopologyNode = Omit<Static<typeof NODE_SCHEMA>, 'services'> & { services?: Array<TopologyService | ServiceName> };
