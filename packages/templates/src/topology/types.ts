/** Roles a node can have; gateways and routers forward and NAT, the rest are hosts. */
export const NODE_ROLES = ['gateway', 'router', 'server', 'workstation', 'access-point', 'iot', 'vm', 'container'] as const;
export type NodeRole = (typeof NODE_ROLES)[number];

/** Position in the NATS hierarchy: leaf nodes connect to clusters, super-cluster nodes link clusters. */
export const NODE_TIERS = ['client', 'leaf', 'cluster', 'super-cluster'] as const;
export type NodeTier = (typeof NODE_TIERS)[number];

/** Services the generator knows; ssh is always on and needs no entry. */
export const SERVICE_NAMES = ['dhcp', 'dns', 'nginx', 'postgresql', 'prometheus', 'wireguard', 'nats'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

/** A VLAN interface: `id` on the parent interface named `parent`. */
export interface VlanSpec {
  id: number;
  parent: string;
}

export interface TopologyInterface {
  /** Linux interface name, e.g. `eth0`, `br0`, `vlan10`. */
  name: string;
  /** CIDR addresses, IPv4 or IPv6: `10.0.0.2/24`, `fd00::2/64`. */
  addresses?: string[];
  dhcp?: boolean;
  /** Hardware address (`52:54:00:12:34:56`, stored lower case); with `dhcp`, the LAN's Kea server reserves an address for it. */
  mac?: string;
  mtu?: number;
  /** This interface is a VLAN on another interface of the node. */
  vlan?: VlanSpec;
  /** Either the member interfaces of this bridge, or the name of the bridge this interface belongs to. */
  bridge?: string[] | string;
  /** Marks the upstream interface of a gateway/router when it is not the DHCP one. */
  wan?: boolean;
}

/** A static route; `destination` is a CIDR or `default`. */
export interface TopologyRoute {
  destination: string;
  via: string;
  interface: string;
}

export interface WireguardPeer {
  publicKey: string;
  allowedIPs: string[];
  endpoint?: string;
  persistentKeepalive?: number;
}

/**
 * A service on a node. Written as a name (`"nginx"`) or an object with options. Options per service:
 * wireguard `{ interface?, listenPort?, ips?, privateKeyFile?, peers? }`; others take none yet.
 */
export interface TopologyService {
  name: ServiceName;
  interface?: string;
  listenPort?: number;
  ips?: string[];
  privateKeyFile?: string;
  peers?: WireguardPeer[];
}

export interface TopologyUser {
  name: string;
  description?: string;
  groups?: string[];
  sshKeys?: string[];
  /** A file with the hashed password, read at activation (`users.users.<name>.hashedPasswordFile`). */
  passwordFile?: string;
}

export interface TopologyFirewall {
  allowedTCPPorts?: number[];
  allowedUDPPorts?: number[];
}

export interface TopologyNode {
  name: string;
  role: NodeRole;
  tier?: NodeTier;
  /** Overrides `defaults.system` for this node. */
  system?: string;
  interfaces: TopologyInterface[];
  routes?: TopologyRoute[];
  services?: Array<TopologyService | ServiceName>;
  firewall?: TopologyFirewall;
  users?: TopologyUser[];
  metadata?: Record<string, unknown>;
}

/** A link between two interfaces, each written `node:iface`. */
export interface TopologyConnection {
  from: string;
  to: string;
}

export interface TopologyDefaults {
  system: string;
  stateVersion: string;
  timeZone: string;
  /** nixpkgs release the flake follows (`nixos-<release>`); defaults to stateVersion. */
  release?: string;
}

/** A whole topology as one JSON/YAML document. */
export interface TopologySnapshot {
  name: string;
  domain: string;
  defaults: TopologyDefaults;
  nodes: TopologyNode[];
  connections?: TopologyConnection[];
}

/**
 * The topology as the generator holds it: nodes by name, connections in canonical order (endpoints sorted
 * within and across connections), services as objects. Treat as immutable; events return a new state.
 */
export interface TopologyState {
  readonly name: string | undefined;
  readonly domain: string | undefined;
  readonly defaults: TopologyDefaults | undefined;
  readonly nodes: ReadonlyMap<string, NormalizedNode>;
  readonly connections: readonly TopologyConnection[];
}

/** A node after normalisation: services are objects and optional lists are present. */
export interface NormalizedNode extends Omit<TopologyNode, 'services' | 'routes' | 'users'> {
  routes: TopologyRoute[];
  services: TopologyService[];
  users: TopologyUser[];
}

/** An event envelope: `{ type, data }` plus any other fields (CloudEvents `id`, `source`, `time`, ...). */
export interface TopologyEvent {
  type: string;
  data: unknown;
  [extra: string]: unknown;
}
