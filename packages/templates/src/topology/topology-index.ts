import { compareKeys } from '../nix/value.js';
import { networkOf, parseCidr, type Cidr } from './addresses.js';
import { splitEndpoint } from './validate.js';
import type { NormalizedNode, TopologyState } from './types.js';

/** A static address of a node's interface. */
export interface NodeAddress {
  node: string;
  iface: string;
  cidr: Cidr;
}

/** A direct link from one node's interface to a peer's interface. */
export interface Link {
  iface: string;
  peer: string;
  peerIface: string;
}

/** Look-ups built once per state so every host can be configured in time proportional to its own size. */
export interface TopologyIndex {
  state: TopologyState;
  /** Nodes sorted by name. */
  nodes: NormalizedNode[];
  links: Map<string, Link[]>;
  /** Gateway and router addresses by subnet key, best first. */
  gatewaysBySubnet: Map<string, NodeAddress[]>;
  /** Every node's static addresses by subnet key (for "who shares a subnet with whom"). */
  nodesBySubnet: Map<string, Set<string>>;
}

export function subnetKey(cidr: Cidr): string {
  return `${cidr.family}:${networkOf(cidr)}/${cidr.prefixLength}`;
}

export function isForwarder(node: NormalizedNode): boolean {
  return node.role === 'gateway' || node.role === 'router';
}

/** Interfaces sorted by name, so everything derived from them is in a stable order. */
export function sortedInterfaces(node: NormalizedNode): NormalizedNode['interfaces'] {
  return [...node.interfaces].sort((a, b) => compareKeys(a.name, b.name));
}

export function staticAddresses(node: NormalizedNode): NodeAddress[] {
  const out: NodeAddress[] = [];
  for (const iface of sortedInterfaces(node)) {
    for (const address of iface.addresses ?? []) out.push({ node: node.name, iface: iface.name, cidr: parseCidr(address)! });
  }
  return out;
}

export function buildTopologyIndex(state: TopologyState): TopologyIndex {
  const nodes = [...state.nodes.values()].sort((a, b) => compareKeys(a.name, b.name));
  const links = new Map<string, Link[]>();
  for (const connection of state.connections) {
    const from = splitEndpoint(connection.from)!;
    const to = splitEndpoint(connection.to)!;
    if (!links.has(from.node)) links.set(from.node, []);
    if (!links.has(to.node)) links.set(to.node, []);
    links.get(from.node)!.push({ iface: from.iface, peer: to.node, peerIface: to.iface });
    links.get(to.node)!.push({ iface: to.iface, peer: from.node, peerIface: from.iface });
  }
  const gatewaysBySubnet = new Map<string, NodeAddress[]>();
  const nodesBySubnet = new Map<string, Set<string>>();
  for (const node of nodes) {
    for (const address of staticAddresses(node)) {
      const key = subnetKey(address.cidr);
      if (!nodesBySubnet.has(key)) nodesBySubnet.set(key, new Set());
      nodesBySubnet.get(key)!.add(node.name);
      if (!isForwarder(node)) continue;
      if (!gatewaysBySubnet.has(key)) gatewaysBySubnet.set(key, []);
      gatewaysBySubnet.get(key)!.push(address);
    }
  }
  // Gateways before routers, then by name: nodes are visited in name order already.
  for (const list of gatewaysBySubnet.values()) {
    list.sort((a, b) => rank(state.nodes.get(a.node)!) - rank(state.nodes.get(b.node)!) || compareKeys(a.node, b.node));
  }
  return { state, nodes, links, gatewaysBySubnet, nodesBySubnet };
}

function rank(node: NormalizedNode): number {
  return node.role === 'gateway' ? 0 : 1;
}

function hostPart(address: NodeAddress): string {
  return address.cidr.family === 6 ? `[${address.cidr.address}]` : address.cidr.address;
}

/**
 * How `viewer` reaches `target`: the address on the interface of a direct connection when there is one,
 * otherwise the target's first static address (IPv4 before IPv6), otherwise its DNS name.
 * IPv6 addresses come in brackets, ready for URLs.
 */
export function addressFor(index: TopologyIndex, viewer: string, target: string): string {
  const targetNode = index.state.nodes.get(target)!;
  const addresses = staticAddresses(targetNode).sort((a, b) => a.cidr.family - b.cidr.family);
  const direct = (index.links.get(viewer) ?? []).filter((link) => link.peer === target).map((link) => link.peerIface).sort(compareKeys);
  for (const iface of direct) {
    const onLink = addresses.find((a) => a.iface === iface);
    if (onLink) return hostPart(onLink);
  }
  if (addresses[0]) return hostPart(addresses[0]);
  return index.state.domain ? `${target}.${index.state.domain}` : target;
}
