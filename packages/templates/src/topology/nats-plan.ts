import { compareKeys } from '../nix/value.js';
import { addressFor, type TopologyIndex } from './topology-index.js';
import type { NormalizedNode } from './types.js';

export const NATS_PORTS = { client: 4222, cluster: 6222, leaf: 7422, gateway: 7222 } as const;

/** What one NATS server needs to know about the hierarchy around it. */
export interface NatsServerPlan {
  cluster?: { name: string; routes: string[] };
  leafRemotes: string[];
  acceptsLeafnodes: boolean;
  gateway?: { name: string; gateways: Array<{ name: string; urls: string[] }> };
}

function runsNats(node: NormalizedNode): boolean {
  return node.services.some((service) => service.name === 'nats');
}

function isClusterTier(node: NormalizedNode): boolean {
  return node.tier === 'cluster' || node.tier === 'super-cluster';
}

/** Union-find over names, for connected components. */
class Components {
  private readonly parent = new Map<string, string>();
  find(name: string): string {
    let root = name;
    while (this.parent.has(root) && this.parent.get(root) !== root) root = this.parent.get(root)!;
    let current = name;
    while (current !== root) {
      const next = this.parent.get(current) ?? root;
      this.parent.set(current, root);
      current = next;
    }
    return root;
  }
  union(a: string, b: string): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra !== rb) this.parent.set(compareKeys(ra, rb) < 0 ? rb : ra, compareKeys(ra, rb) < 0 ? ra : rb);
  }
}

/**
 * The NATS hierarchy from tiers and connections:
 * - cluster and super-cluster tier NATS nodes connected to each other form a cluster, named after its first
 *   member, with full-mesh routes on port 6222 (a link between two super-cluster nodes is a gateway, not a route);
 * - a leaf node has a leafnode remote (port 7422) for each cluster node it connects to, which accepts leaf nodes;
 * - super-cluster nodes linked across clusters join those clusters into a super-cluster: every server of each
 *   such cluster gets a `gateway` block (port 7222) naming the other clusters and their super-cluster nodes.
 */
export function planNats(index: TopologyIndex): Map<string, NatsServerPlan> {
  const natsNodes = index.nodes.filter(runsNats);
  const members = natsNodes.filter(isClusterTier);
  const memberNames = new Set(members.map((n) => n.name));
  const superNames = new Set(members.filter((n) => n.tier === 'super-cluster').map((n) => n.name));
  const clusters = new Components();
  const gatewayLinks: Array<[string, string]> = [];
  for (const node of members) {
    for (const link of index.links.get(node.name) ?? []) {
      if (!memberNames.has(link.peer) || compareKeys(node.name, link.peer) >= 0) continue;
      if (superNames.has(node.name) && superNames.has(link.peer)) gatewayLinks.push([node.name, link.peer]);
      else clusters.union(node.name, link.peer);
    }
  }
  const clusterMembers = new Map<string, string[]>();
  for (const node of members) {
    const root = clusters.find(node.name);
    if (!clusterMembers.has(root)) clusterMembers.set(root, []);
    clusterMembers.get(root)!.push(node.name);
  }
  const superClusters = new Components();
  for (const [a, b] of gatewayLinks) {
    const ca = clusters.find(a);
    const cb = clusters.find(b);
    if (ca !== cb) superClusters.union(ca, cb);
  }
  const superMembers = new Map<string, string[]>();
  for (const root of [...clusterMembers.keys()].sort(compareKeys)) {
    const top = superClusters.find(root);
    if (!superMembers.has(top)) superMembers.set(top, []);
    superMembers.get(top)!.push(root);
  }

  const plans = new Map<string, NatsServerPlan>();
  for (const node of natsNodes) plans.set(node.name, { leafRemotes: [], acceptsLeafnodes: false });
  for (const [clusterName, names] of clusterMembers) {
    const siblings = superMembers.get(superClusters.find(clusterName)) ?? [clusterName];
    for (const name of names) {
      const plan = plans.get(name)!;
      if (names.length > 1) {
        const routes = names.filter((peer) => peer !== name).map((peer) => `nats://${addressFor(index, name, peer)}:${NATS_PORTS.cluster}`);
        plan.cluster = { name: clusterName, routes: routes.sort(compareKeys) };
      }
      if (siblings.length > 1) {
        const gateways = siblings
          .filter((other) => other !== clusterName)
          .map((other) => ({
            name: other,
            urls: clusterMembers
              .get(other)!
              .filter((peer) => superNames.has(peer))
              .map((peer) => `nats://${addressFor(index, name, peer)}:${NATS_PORTS.gateway}`)
              .sort(compareKeys),
          }));
        plan.gateway = { name: clusterName, gateways };
      }
    }
  }
  for (const node of natsNodes) {
    if (node.tier !== 'leaf') continue;
    const plan = plans.get(node.name)!;
    const hubs = new Set((index.links.get(node.name) ?? []).map((link) => link.peer).filter((peer) => memberNames.has(peer)));
    for (const hub of [...hubs].sort(compareKeys)) {
      plan.leafRemotes.push(`nats://${addressFor(index, node.name, hub)}:${NATS_PORTS.leaf}`);
      plans.get(hub)!.acceptsLeafnodes = true;
    }
  }
  return plans;
}
