import { compareKeys, type NixValue } from '../nix/value.js';
import { parseCidr, parseIp, subnetText } from './addresses.js';
import { planDhcp, wanInterface } from './dhcp-plan.js';
import { NATS_PORTS, type NatsServerPlan } from './nats-plan.js';
import { isForwarder, sortedInterfaces, staticAddresses, subnetKey, type TopologyIndex } from './topology-index.js';
import type { NormalizedNode, TopologyService } from './types.js';

/** One top-level assignment in a host module: `path = value;`, with a comment saying what it is for. */
export interface HostSection {
  title: string;
  path: string[];
  value: NixValue;
}

/** Everything a host module shows: identity fields and the option sections in a fixed order. */
export interface HostConfig {
  name: string;
  domain: string;
  timeZone: string;
  stateVersion: string;
  system: string;
  sections: HostSection[];
}

const SERVICE_PORTS: Record<string, { tcp?: number[]; udp?: number[] }> = {
  nginx: { tcp: [80, 443] },
  postgresql: { tcp: [5432] },
  dns: { tcp: [53], udp: [53] },
  dhcp: { udp: [67] },
  prometheus: { tcp: [9090] },
};

const DEFAULT_WIREGUARD_PORT = 51820;

function hasService(node: NormalizedNode, name: TopologyService['name']): TopologyService | undefined {
  return node.services.find((service) => service.name === name);
}

function sortedUnique(values: Iterable<number>): number[] {
  return [...new Set(values)].sort((a, b) => a - b);
}

function interfaceOptions(node: NormalizedNode): Record<string, NixValue> {
  const routesByInterface = new Map<string, { 4: NixValue[]; 6: NixValue[] }>();
  const sortedRoutes = [...node.routes].sort((a, b) => compareKeys(a.destination, b.destination));
  for (const route of sortedRoutes) {
    const via = parseIp(route.via)!;
    const destination = route.destination === 'default' ? undefined : parseCidr(route.destination)!;
    const family = destination?.family ?? via.family;
    const entry = {
      address: destination ? destination.address : family === 4 ? '0.0.0.0' : '::',
      prefixLength: destination ? destination.prefixLength : 0,
      via: route.via,
    };
    if (!routesByInterface.has(route.interface)) routesByInterface.set(route.interface, { 4: [], 6: [] });
    routesByInterface.get(route.interface)![family].push(entry);
  }
  const out: Record<string, NixValue> = {};
  for (const iface of sortedInterfaces(node)) {
    const options: Record<string, NixValue> = {};
    const cidrs = (iface.addresses ?? []).map((a) => parseCidr(a)!);
    const routes = routesByInterface.get(iface.name);
    for (const family of [4, 6] as const) {
      const addresses = cidrs.filter((c) => c.family === family).map((c) => ({ address: c.address, prefixLength: c.prefixLength }));
      const familyOptions: Record<string, NixValue> = {};
      if (addresses.length > 0) familyOptions.addresses = addresses;
      if (routes && routes[family].length > 0) familyOptions.routes = routes[family];
      if (Object.keys(familyOptions).length > 0) options[`ipv${family}`] = familyOptions;
    }
    if (iface.dhcp) options.useDHCP = true;
    if (iface.mtu !== undefined) options.mtu = iface.mtu;
    if (Object.keys(options).length > 0) out[iface.name] = options;
  }
  return out;
}

function bridgeOptions(node: NormalizedNode): Record<string, NixValue> {
  const members = new Map<string, Set<string>>();
  const add = (bridge: string, member: string) => {
    if (!members.has(bridge)) members.set(bridge, new Set());
    members.get(bridge)!.add(member);
  };
  for (const iface of node.interfaces) {
    if (Array.isArray(iface.bridge)) {
      if (!members.has(iface.name)) members.set(iface.name, new Set());
      for (const member of iface.bridge) add(iface.name, member);
    } else if (typeof iface.bridge === 'string') add(iface.bridge, iface.name);
  }
  const out: Record<string, NixValue> = {};
  for (const [bridge, set] of members) out[bridge] = { interfaces: [...set].sort(compareKeys) };
  return out;
}

function vlanOptions(node: NormalizedNode): Record<string, NixValue> {
  const out: Record<string, NixValue> = {};
  for (const iface of node.interfaces) if (iface.vlan) out[iface.name] = { id: iface.vlan.id, interface: iface.vlan.parent };
  return out;
}

/** `networking.defaultGateway(6)` from a gateway/router on one of the node's subnets, unless it routes itself. */
function defaultGateways(index: TopologyIndex, node: NormalizedNode): HostSection[] {
  if (node.interfaces.some((i) => i.dhcp)) return [];
  const sections: HostSection[] = [];
  for (const family of [4, 6] as const) {
    const hasDefault = node.routes.some((route) => {
      if (route.destination === 'default') return parseIp(route.via)?.family === family;
      const cidr = parseCidr(route.destination)!;
      return cidr.family === family && cidr.prefixLength === 0;
    });
    if (hasDefault) continue;
    for (const own of staticAddresses(node).filter((a) => a.cidr.family === family)) {
      const gateway = (index.gatewaysBySubnet.get(subnetKey(own.cidr)) ?? []).find((candidate) => candidate.node !== node.name);
      if (!gateway) continue;
      sections.push({
        title: `default route via ${gateway.node}`,
        path: ['networking', family === 4 ? 'defaultGateway' : 'defaultGateway6'],
        value: { address: gateway.cidr.address, interface: own.iface },
      });
      break;
    }
  }
  return sections;
}

function keaSection(index: TopologyIndex, node: NormalizedNode, domain: string): HostSection {
  const subnets = planDhcp(index, node);
  const hasDns = hasService(node, 'dns') !== undefined;
  const subnet4 = subnets.map((subnet, i) => {
    const optionData: NixValue[] = [{ name: 'routers', data: subnet.address }];
    if (hasDns) optionData.push({ name: 'domain-name-servers', data: subnet.address });
    optionData.push({ name: 'domain-name', data: domain });
    const entry: Record<string, NixValue> = { id: i + 1, subnet: subnet.subnet, pools: subnet.pools.map((pool) => ({ pool })), 'option-data': optionData };
    if (subnet.reservations.length > 0) {
      entry.reservations = subnet.reservations.map((r) => ({ 'hw-address': r.hwAddress, 'ip-address': r.ipAddress, hostname: r.hostname }));
    }
    return entry;
  });
  return {
    title: 'DHCP for the LAN subnets (pools leave out every static address; reservations lie outside the pools)',
    path: ['services', 'kea', 'dhcp4'],
    value: {
      enable: true,
      settings: {
        'interfaces-config': { interfaces: [...new Set(subnets.map((s) => s.iface))] },
        'lease-database': { name: '/var/lib/kea/dhcp4.leases', persist: true, type: 'memfile' },
        'valid-lifetime': 3600,
        subnet4,
      },
    },
  };
}

function unboundSection(node: NormalizedNode): HostSection {
  const wan = wanInterface(node)?.name;
  const local = staticAddresses(node).filter((a) => a.iface !== wan);
  return {
    title: 'DNS resolver for the local networks',
    path: ['services', 'unbound'],
    value: {
      enable: true,
      settings: {
        server: {
          interface: ['127.0.0.1', '::1', ...local.map((a) => a.cidr.address)],
          'access-control': ['127.0.0.0/8 allow', '::1/128 allow', ...local.map((a) => `${subnetText(a.cidr)} allow`)],
        },
      },
    },
  };
}

function wireguardSection(service: TopologyService): HostSection {
  const name = service.interface ?? 'wg0';
  const value: Record<string, NixValue> = {
    listenPort: service.listenPort ?? DEFAULT_WIREGUARD_PORT,
    privateKeyFile: service.privateKeyFile ?? `/run/secrets/wireguard/${name}.key`,
    ips: service.ips ?? [],
    peers: [...(service.peers ?? [])]
      .sort((a, b) => compareKeys(a.publicKey, b.publicKey))
      .map((peer) => ({ publicKey: peer.publicKey, allowedIPs: peer.allowedIPs, endpoint: peer.endpoint, persistentKeepalive: peer.persistentKeepalive })),
  };
  return { title: 'WireGuard (the private key is read from a file at run time)', path: ['networking', 'wireguard', 'interfaces', name], value };
}

function natsSection(node: NormalizedNode, plan: NatsServerPlan): HostSection {
  const settings: Record<string, NixValue> = {};
  if (plan.cluster) settings.cluster = { name: plan.cluster.name, listen: `0.0.0.0:${NATS_PORTS.cluster}`, routes: plan.cluster.routes };
  if (plan.acceptsLeafnodes) settings.leafnodes = { port: NATS_PORTS.leaf };
  else if (plan.leafRemotes.length > 0) settings.leafnodes = { remotes: plan.leafRemotes.map((url) => ({ url })) };
  if (plan.gateway) settings.gateway = { name: plan.gateway.name, port: NATS_PORTS.gateway, gateways: plan.gateway.gateways };
  return {
    title: `NATS (${node.tier ?? 'client'} tier) with JetStream`,
    path: ['services', 'nats'],
    value: { enable: true, jetstream: true, serverName: node.name, port: NATS_PORTS.client, settings },
  };
}

function userSection(node: NormalizedNode): HostSection | undefined {
  if (node.users.length === 0) return undefined;
  const users: Record<string, NixValue> = {};
  for (const user of node.users) {
    users[user.name] = {
      isNormalUser: true,
      description: user.description,
      extraGroups: user.groups ? [...new Set(user.groups)].sort(compareKeys) : undefined,
      openssh: user.sshKeys && user.sshKeys.length > 0 ? { authorizedKeys: { keys: user.sshKeys } } : undefined,
      hashedPasswordFile: user.passwordFile,
    };
  }
  return { title: 'users', path: ['users', 'users'], value: users };
}

/** Derives the NixOS options for one node; plain data, rendered by the host template. */
export function buildHostConfig(index: TopologyIndex, node: NormalizedNode, natsPlans: Map<string, NatsServerPlan>): HostConfig {
  const state = index.state;
  const defaults = state.defaults!;
  const sections: HostSection[] = [];
  const tcp: number[] = [22];
  const udp: number[] = [];

  sections.push({ title: 'interfaces are configured one by one below', path: ['networking', 'useDHCP'], value: false });
  const interfaces = interfaceOptions(node);
  if (Object.keys(interfaces).length > 0) sections.push({ title: 'interfaces, addresses and static routes', path: ['networking', 'interfaces'], value: interfaces });
  const vlans = vlanOptions(node);
  if (Object.keys(vlans).length > 0) sections.push({ title: 'VLANs', path: ['networking', 'vlans'], value: vlans });
  const bridges = bridgeOptions(node);
  if (Object.keys(bridges).length > 0) sections.push({ title: 'bridges', path: ['networking', 'bridges'], value: bridges });
  sections.push(...defaultGateways(index, node));

  if (isForwarder(node)) {
    sections.push({
      title: `${node.role}: forward packets between interfaces`,
      path: ['boot', 'kernel', 'sysctl'],
      value: { 'net.ipv4.ip_forward': 1, 'net.ipv6.conf.all.forwarding': 1 },
    });
    const wan = wanInterface(node);
    const internal = sortedInterfaces(node).filter((i) => i !== wan && (i.addresses?.length ?? 0) > 0).map((i) => i.name);
    if (wan) sections.push({ title: 'NAT from the internal networks to the upstream interface', path: ['networking', 'nat'], value: { enable: true, externalInterface: wan.name, internalInterfaces: internal } });
  }

  sections.push({
    title: 'SSH: keys only',
    path: ['services', 'openssh'],
    value: { enable: true, settings: { PermitRootLogin: 'prohibit-password', PasswordAuthentication: false } },
  });
  const domain = state.domain!;
  for (const service of [...node.services].sort((a, b) => compareKeys(a.name, b.name))) {
    const ports = SERVICE_PORTS[service.name];
    if (ports) {
      tcp.push(...(ports.tcp ?? []));
      udp.push(...(ports.udp ?? []));
    }
    switch (service.name) {
      case 'dhcp':
        sections.push(keaSection(index, node, domain));
        break;
      case 'dns':
        sections.push(unboundSection(node));
        break;
      case 'nginx':
        sections.push({ title: 'web server', path: ['services', 'nginx'], value: { enable: true, recommendedProxySettings: true, recommendedTlsSettings: true } });
        break;
      case 'postgresql':
        sections.push({ title: 'PostgreSQL', path: ['services', 'postgresql'], value: { enable: true, enableTCPIP: true } });
        break;
      case 'prometheus':
        sections.push({
          title: 'Prometheus with the node exporter',
          path: ['services', 'prometheus'],
          value: {
            enable: true,
            port: 9090,
            exporters: { node: { enable: true, port: 9100 } },
            scrapeConfigs: [{ job_name: 'node', static_configs: [{ targets: ['127.0.0.1:9100'] }] }],
          },
        });
        break;
      case 'wireguard':
        sections.push(wireguardSection(service));
        udp.push(service.listenPort ?? DEFAULT_WIREGUARD_PORT);
        break;
      case 'nats': {
        const plan = natsPlans.get(node.name)!;
        sections.push(natsSection(node, plan));
        tcp.push(NATS_PORTS.client);
        if (plan.cluster) tcp.push(NATS_PORTS.cluster);
        if (plan.acceptsLeafnodes) tcp.push(NATS_PORTS.leaf);
        if (plan.gateway) tcp.push(NATS_PORTS.gateway);
        break;
      }
    }
  }
  tcp.push(...(node.firewall?.allowedTCPPorts ?? []));
  udp.push(...(node.firewall?.allowedUDPPorts ?? []));
  sections.push({
    title: 'firewall: ports of the services above plus the node\'s own',
    path: ['networking', 'firewall'],
    value: { enable: true, allowedTCPPorts: sortedUnique(tcp), allowedUDPPorts: sortedUnique(udp) },
  });
  const users = userSection(node);
  if (users) sections.push(users);
  return { name: node.name, domain, timeZone: defaults.timeZone, stateVersion: defaults.stateVersion, system: node.system ?? defaults.system, sections };
}
