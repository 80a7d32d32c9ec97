import { compareKeys } from '../nix/value.js';
import { formatIpv4, networkOf, parseCidr, subnetText } from './addresses.js';
import { sortedInterfaces, staticAddresses, subnetKey, type TopologyIndex } from './topology-index.js';
import type { NormalizedNode, TopologyInterface } from './types.js';

/** A LAN subnet a DHCP server serves: a static IPv4 address on one of its interfaces other than the upstream one. */
export interface LanSubnet {
  iface: string;
  /** The server's own address there (router and DNS option). */
  address: string;
  /** Canonical text, e.g. `10.0.0.0/24`. */
  subnet: string;
  key: string;
  network: bigint;
  prefixLength: number;
}

/** A Kea host reservation: a `dhcp: true` interface with a `mac`, linked directly to the server's LAN interface. */
export interface DhcpReservation {
  hostname: string;
  hwAddress: string;
  /** Absent when the subnet has no free address outside the pools; Kea then leases from the pool. */
  ipAddress?: string;
}

/** What one server hands out on one subnet. */
export interface DhcpSubnetPlan extends LanSubnet {
  /** Address ranges `first - last`, none containing any static address of any node. */
  pools: string[];
  reservations: DhcpReservation[];
}

/** The upstream interface of a forwarder: the one marked `wan`, else the first using DHCP. */
export function wanInterface(node: NormalizedNode): TopologyInterface | undefined {
  const interfaces = sortedInterfaces(node);
  return interfaces.find((i) => i.wan) ?? interfaces.find((i) => i.dhcp);
}

/** The IPv4 subnets a node serves: static addresses on every interface but the upstream one. */
export function lanSubnets(node: NormalizedNode): LanSubnet[] {
  const wan = wanInterface(node)?.name;
  return staticAddresses(node)
    .filter((a) => a.cidr.family === 4 && a.iface !== wan)
    .map((a) => ({ iface: a.iface, address: a.cidr.address, subnet: subnetText(a.cidr), key: subnetKey(a.cidr), network: networkOf(a.cidr), prefixLength: a.cidr.prefixLength }));
}

/** Every static IPv4 address in the topology (interfaces and WireGuard `ips`), sorted and unique. */
function staticIpv4(index: TopologyIndex): bigint[] {
  const values = new Set<bigint>();
  for (const node of index.nodes) {
    for (const address of staticAddresses(node)) if (address.cidr.family === 4) values.add(address.cidr.value);
    for (const service of node.services) {
      for (const ip of service.ips ?? []) {
        const cidr = parseCidr(ip);
        if (cidr?.family === 4) values.add(cidr.value);
      }
    }
  }
  return [...values].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Static addresses in [first, last], ascending. */
function staticsIn(sorted: readonly bigint[], first: bigint, last: bigint): bigint[] {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < first) lo = mid + 1;
    else hi = mid;
  }
  const out: bigint[] = [];
  for (let i = lo; i < sorted.length && sorted[i]! <= last; i += 1) out.push(sorted[i]!);
  return out;
}

/** [first, last] minus the given addresses, as `a - b` ranges. */
function rangesAround(first: bigint, last: bigint, excluded: readonly bigint[]): string[] {
  const ranges: string[] = [];
  let start = first;
  for (const address of excluded) {
    if (address > start) ranges.push(`${formatIpv4(start)} - ${formatIpv4(address - 1n)}`);
    start = address + 1n;
  }
  if (start <= last) ranges.push(`${formatIpv4(start)} - ${formatIpv4(last)}`);
  return ranges;
}

/** FNV-1a of a MAC, so a reservation's preferred address depends on that host alone. */
function hash(text: string): bigint {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return BigInt(h);
}

interface SubnetPlan {
  /** Pools by server name. */
  pools: Map<string, string[]>;
  /** Reservations by server name. */
  reservations: Map<string, DhcpReservation[]>;
}

/**
 * Plans one subnet for all its DHCP servers at once, so nothing two of them hand out can collide:
 * - the upper half (less network and broadcast) is the dynamic range, split evenly between the servers in name
 *   order, and every static address of any node inside it is cut out (the range splits around it);
 * - reservations take addresses of the lower half that no node uses statically, starting at a place derived from
 *   the MAC (so adding a host rarely moves another's address), never one another's.
 * Subnets smaller than /29 get no pool; reservations then use any free host address.
 */
function planSubnet(index: TopologyIndex, statics: readonly bigint[], servers: Array<{ node: NormalizedNode; lan: LanSubnet }>): SubnetPlan {
  const { network, prefixLength } = servers[0]!.lan;
  const size = 1n << BigInt(32 - prefixLength);
  const pools = new Map<string, string[]>();
  const reservations = new Map<string, DhcpReservation[]>();
  const reserveFirst = network + 1n;
  let reserveLast = network + size - 2n;
  if (size >= 8n) {
    const first = network + size / 2n;
    const last = network + size - 2n;
    reserveLast = first - 1n;
    const count = BigInt(servers.length);
    const span = last - first + 1n;
    servers.forEach(({ node }, i) => {
      const sliceFirst = first + (span * BigInt(i)) / count;
      const sliceLast = first + (span * BigInt(i + 1)) / count - 1n;
      pools.set(node.name, sliceLast < sliceFirst ? [] : rangesAround(sliceFirst, sliceLast, staticsIn(statics, sliceFirst, sliceLast)));
    });
  } else for (const { node } of servers) pools.set(node.name, []);

  const wanted: Array<{ server: string; hostname: string; mac: string }> = [];
  for (const { node, lan } of servers) {
    for (const link of index.links.get(node.name) ?? []) {
      if (link.iface !== lan.iface) continue;
      const iface = index.state.nodes.get(link.peer)?.interfaces.find((i) => i.name === link.peerIface);
      if (iface?.dhcp && iface.mac !== undefined) wanted.push({ server: node.name, hostname: link.peer, mac: iface.mac });
    }
  }
  wanted.sort((a, b) => compareKeys(a.mac, b.mac) || compareKeys(a.server, b.server));
  const taken = new Set(staticsIn(statics, reserveFirst, reserveLast));
  const room = reserveLast - reserveFirst + 1n;
  const byMac = new Map<string, string | undefined>();
  for (const host of wanted) {
    if (!byMac.has(host.mac)) {
      let chosen: bigint | undefined;
      if (room > 0n) {
        const start = hash(host.mac) % room;
        for (let step = 0n; step < room; step += 1n) {
          const candidate = reserveFirst + ((start + step) % room);
          if (!taken.has(candidate)) {
            chosen = candidate;
            break;
          }
        }
      }
      if (chosen !== undefined) taken.add(chosen);
      byMac.set(host.mac, chosen === undefined ? undefined : formatIpv4(chosen));
    }
    const ipAddress = byMac.get(host.mac);
    const reservation: DhcpReservation = { hostname: host.hostname, hwAddress: host.mac };
    if (ipAddress !== undefined) reservation.ipAddress = ipAddress;
    if (!reservations.has(host.server)) reservations.set(host.server, []);
    const list = reservations.get(host.server)!;
    if (!list.some((r) => r.hwAddress === host.mac)) list.push(reservation);
  }
  return { pools, reservations };
}

const plans = new WeakMap<TopologyIndex, Map<string, SubnetPlan>>();

/** Every DHCP server's subnets, pools and reservations; computed once per index. */
function subnetPlans(index: TopologyIndex): Map<string, SubnetPlan> {
  const cached = plans.get(index);
  if (cached) return cached;
  const statics = staticIpv4(index);
  const serversBySubnet = new Map<string, Array<{ node: NormalizedNode; lan: LanSubnet }>>();
  for (const node of index.nodes) {
    if (!node.services.some((s) => s.name === 'dhcp')) continue;
    const seen = new Set<string>();
    for (const lan of lanSubnets(node)) {
      if (seen.has(lan.key)) continue;
      seen.add(lan.key);
      if (!serversBySubnet.has(lan.key)) serversBySubnet.set(lan.key, []);
      serversBySubnet.get(lan.key)!.push({ node, lan });
    }
  }
  const out = new Map<string, SubnetPlan>();
  for (const [key, servers] of serversBySubnet) out.set(key, planSubnet(index, statics, servers));
  plans.set(index, out);
  return out;
}

/** What `node` (a DHCP server) hands out on each of its LAN subnets. */
export function planDhcp(index: TopologyIndex, node: NormalizedNode): DhcpSubnetPlan[] {
  const all = subnetPlans(index);
  const seen = new Set<string>();
  const out: DhcpSubnetPlan[] = [];
  for (const lan of lanSubnets(node)) {
    if (seen.has(lan.key)) continue;
    seen.add(lan.key);
    const plan = all.get(lan.key);
    out.push({ ...lan, pools: plan?.pools.get(node.name) ?? [], reservations: plan?.reservations.get(node.name) ?? [] });
  }
  return out;
}
