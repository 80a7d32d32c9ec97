import { hostConfigsFromIndex } from './render.js';
import { checkIntermediateState, transitionTopology } from './events.js';
import { buildTopologyIndex, staticAddresses, subnetKey, type TopologyIndex } from './topology-index.js';
import type { TopologyState } from './types.js';

/** Nodes whose module might change when `touched` change: neighbours, subnet mates and, for NATS, every NATS node. */
function candidates(index: TopologyIndex, touched: readonly string[]): Set<string> {
  const state = index.state;
  const out = new Set<string>();
  let touchesNats = false;
  for (const name of touched) {
    const node = state.nodes.get(name);
    if (!node) continue;
    out.add(name);
    for (const link of index.links.get(name) ?? []) out.add(link.peer);
    for (const address of staticAddresses(node)) for (const mate of index.nodesBySubnet.get(subnetKey(address.cidr)) ?? []) out.add(mate);
    if (node.services.some((s) => s.name === 'nats')) touchesNats = true;
  }
  if (touchesNats) for (const node of index.nodes) if (node.services.some((s) => s.name === 'nats')) out.add(node.name);
  // Any node's addresses and MACs shape every DHCP server's pools and reservations (whatever its prefix length).
  if (out.size > 0) for (const node of index.nodes) if (node.services.some((s) => s.name === 'dhcp')) out.add(node.name);
  return out;
}

function headerReady(state: TopologyState): boolean {
  return state.name !== undefined && state.domain !== undefined && state.defaults !== undefined;
}

/**
 * The hosts whose module differs between two states, given the nodes that changed (`touched`, removed ones
 * included, so their files can be deleted); everything when the header changed or just became complete.
 */
export function affectedBetween(before: TopologyState, after: TopologyState, touched: readonly string[], touchesAll: boolean): string[] {
  if (!headerReady(after)) return [...touched];
  if (touchesAll || !headerReady(before)) return [...new Set([...after.nodes.keys(), ...touched])].sort();
  if (touched.length === 0) return [];
  const beforeIndex = buildTopologyIndex(before);
  const afterIndex = buildTopologyIndex(after);
  const names = new Set([...candidates(beforeIndex, touched), ...candidates(afterIndex, touched)]);
  const old = hostConfigsFromIndex(beforeIndex, names);
  const now = hostConfigsFromIndex(afterIndex, names);
  const affected = new Set(touched);
  for (const name of names) {
    if (JSON.stringify(old.get(name)) !== JSON.stringify(now.get(name))) affected.add(name);
  }
  return [...affected].sort();
}

/**
 * Applies one event and says which hosts' modules it changes (removed nodes included, so their files can be
 * deleted). Pure: the input state is not modified. Throws `TopologyValidationError` naming the field, also when the
 * event leaves the state inconsistent (`stageTopologyEvent` holds such hosts back instead).
 */
export function applyTopologyEvent(state: TopologyState, event: unknown): { state: TopologyState; affectedHosts: string[] } {
  const { state: next, touched, touchesAll } = transitionTopology(state, event);
  checkIntermediateState(next);
  return { state: next, affectedHosts: affectedBetween(state, next, touched, touchesAll) };
}
