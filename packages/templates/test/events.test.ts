import { describe, expect, it } from 'vitest';
import {
  applyTopologyEvent,
  emptyTopology,
  renderTopology,
  TOPOLOGY_EVENT_TYPES,
  topologyFromEventLog,
  topologyFromSnapshot,
  TopologyValidationError,
  type TopologyEvent,
  type TopologyNode,
  type TopologyState,
} from '../src/index.js';
import { homelab } from './topology-fixture.js';

let sequence = 0;
/** A CloudEvents-style envelope: extra fields beside type and data must be accepted. */
function event(type: string, data: unknown): TopologyEvent {
  sequence += 1;
  return { specversion: '1.0', id: `evt-${sequence}`, source: 'test', time: '2026-01-01T00:00:00Z', type, data };
}

/**
 * An event log that uses every event type and, applied in order, reaches the home lab snapshot: nodes arrive
 * bare and grow by interface/route/service events, detours are added and removed again.
 */
function homelabLog(): TopologyEvent[] {
  const snapshot = homelab();
  const log: TopologyEvent[] = [event('TopologyCreated', { name: snapshot.name, domain: 'old.example', defaults: { ...snapshot.defaults, timeZone: 'UTC' } })];
  log.push(event('TopologyCreated', { name: snapshot.name, domain: snapshot.domain, defaults: snapshot.defaults }));
  for (const node of snapshot.nodes) {
    const refersToAnother = (i: (typeof node.interfaces)[number]) => (i.vlan || i.bridge ? 1 : 0);
    const [first, ...others] = [...node.interfaces].sort((a, b) => refersToAnother(a) - refersToAnother(b));
    // The VLAN parent must exist before the VLAN: add in an order that keeps every step valid.
    const bare: TopologyNode = { name: node.name, role: node.role, interfaces: [first!], ...(node.tier ? { tier: node.tier } : {}) };
    if (node.users) bare.users = node.users;
    if (node.firewall) bare.firewall = node.firewall;
    log.push(event('NodeAdded', { node: bare }));
    for (const iface of others) log.push(event('InterfaceAdded', { node: node.name, interface: iface }));
    for (const route of node.routes ?? []) log.push(event('RouteAdded', { node: node.name, route }));
    for (const service of node.services ?? []) log.push(event('ServiceEnabled', { node: node.name, service }));
  }
  for (const connection of snapshot.connections ?? []) log.push(event('ConnectionAdded', connection));
  // Detours that must leave no trace.
  log.push(event('NodeAdded', { node: { name: 'tmp', role: 'vm', interfaces: [{ name: 'eth0', addresses: ['10.1.0.99/24'] }] } }));
  log.push(event('ConnectionAdded', { from: 'tmp:eth0', to: 'core:eth1' }));
  log.push(event('InterfaceAdded', { node: 'db', interface: { name: 'eth9', dhcp: true } }));
  log.push(event('InterfaceUpdated', { node: 'db', interface: { name: 'eth9', mtu: 1400 } }));
  log.push(event('ConnectionAdded', { from: 'db:eth9', to: 'web:eth0' }));
  log.push(event('ConnectionRemoved', { from: 'web:eth0', to: 'db:eth9' }));
  log.push(event('InterfaceRemoved', { node: 'db', name: 'eth9' }));
  log.push(event('RouteAdded', { node: 'db', route: { destination: '172.16.0.0/12', via: '10.1.0.1', interface: 'eth0' } }));
  log.push(event('RouteRemoved', { node: 'db', destination: '172.16.0.0/12' }));
  log.push(event('ServiceEnabled', { node: 'box', service: 'nginx' }));
  log.push(event('ServiceDisabled', { node: 'box', service: 'nginx' }));
  log.push(event('InterfaceUpdated', { node: 'web', interface: { name: 'eth0', addresses: ['10.1.0.12/24'] } }));
  log.push(event('NodeUpdated', { node: snapshot.nodes.find((n) => n.name === 'web') }));
  log.push(event('NodeRemoved', { name: 'tmp' }));
  return log;
}

function replay(log: readonly TopologyEvent[]): TopologyState {
  let state = emptyTopology();
  for (const e of log) state = applyTopologyEvent(state, e).state;
  return state;
}

describe('topology events', () => {
  it('a log using every event type renders exactly like the equivalent snapshot', () => {
    const log = homelabLog();
    expect(new Set(log.map((e) => e.type))).toEqual(new Set(TOPOLOGY_EVENT_TYPES));
    const expected = renderTopology(topologyFromSnapshot(homelab()));
    expect(renderTopology(replay(log))).toEqual(expected);
    // The NDJSON reader used by the CLI gives the same result.
    const ndjson = log.map((e) => JSON.stringify(e)).join('\n') + '\n';
    expect(renderTopology(topologyFromEventLog('log.ndjson', ndjson))).toEqual(expected);
  });

  it('is pure: applying an event does not change the state it was given', () => {
    const state = topologyFromSnapshot(homelab());
    const before = JSON.stringify([...state.nodes.values()]);
    applyTopologyEvent(state, event('NodeRemoved', { name: 'gw' }));
    applyTopologyEvent(state, event('ServiceEnabled', { node: 'db', service: 'nginx' }));
    expect(JSON.stringify([...state.nodes.values()])).toBe(before);
    expect(state.nodes.has('gw')).toBe(true);
  });

  it('reports only the hosts an event changes', () => {
    const state = topologyFromSnapshot(homelab());
    expect(applyTopologyEvent(state, event('ServiceEnabled', { node: 'web', service: 'postgresql' })).affectedHosts).toEqual(['web']);
    // The gateway's VLAN address is the default gateway of ap and edge.
    const moved = applyTopologyEvent(state, event('InterfaceUpdated', { node: 'gw', interface: { name: 'vlan20', addresses: ['10.0.20.254/24'], vlan: { id: 20, parent: 'lan0' } } }));
    expect(moved.affectedHosts).toEqual(['ap', 'edge', 'gw']);
    const only = renderTopology(moved.state, { only: moved.affectedHosts });
    expect(only.map((f) => f.path)).toEqual(['flake.nix', 'hosts/ap/default.nix', 'hosts/edge/default.nix', 'hosts/gw/default.nix']);
    expect(only[1]!.content).toContain('address = "10.0.20.254";');
    // A new cluster member changes every member's routes and the leaf node stays as it is.
    const joined = applyTopologyEvent(state, event('ConnectionAdded', { from: 'nats-a3:eth0', to: 'nats-b2:eth0' }));
    expect(joined.affectedHosts).toEqual(['nats-a1', 'nats-a2', 'nats-a3', 'nats-b1', 'nats-b2']);
    // Removing a node reports it, so its module can be deleted, plus the hosts that referred to it.
    expect(applyTopologyEvent(state, event('NodeRemoved', { name: 'edge' })).affectedHosts).toEqual(['edge', 'nats-a2', 'nats-a3']);
    expect(applyTopologyEvent(state, event('TopologyCreated', { name: 'homelab', domain: 'lab.example', defaults: homelab().defaults })).affectedHosts).toHaveLength(14);
  });

  it('refuses bad events with the field named', () => {
    const state = topologyFromSnapshot(homelab());
    const refuse = (e: unknown): string => {
      try {
        applyTopologyEvent(state, e);
      } catch (error) {
        expect(error).toBeInstanceOf(TopologyValidationError);
        return (error as Error).message;
      }
      throw new Error('expected a refusal');
    };
    expect(refuse({ type: 'NodeExploded', data: {} })).toContain('type: unknown event type "NodeExploded"');
    expect(refuse({ type: 'NodeAdded' })).toContain('data: missing (expected an object)');
    expect(refuse({ type: 'NodeAdded', data: [] })).toContain('data: expected an object, got []');
    expect(refuse([])).toBe('expected an event object { type, data }, got []');
    expect(refuse(event('NodeAdded', { node: { name: 'gw', role: 'server', interfaces: [] } }))).toContain('NodeAdded data.node.name: node "gw" already exists');
    expect(refuse(event('NodeAdded', { node: { name: 'x', role: 'toaster', interfaces: [] } }))).toContain('NodeAdded data.node.role: expected a role (gateway, router, server, workstation, access-point, iot, vm, container), got "toaster"');
    expect(refuse(event('RouteAdded', { node: 'nobody', route: { destination: 'default', via: '10.0.0.1', interface: 'eth0' } }))).toContain('RouteAdded data.node: unknown node "nobody"');
    expect(refuse(event('InterfaceRemoved', { node: 'gw', name: 'lan0' }))).toContain('vlan.parent: unknown interface "lan0"');
    expect(refuse(event('ConnectionAdded', { from: 'gw:lan0', to: 'db:eth7' }))).toContain('node db has no interface "eth7"');
    expect(refuse(event('ServiceDisabled', { node: 'db', service: 'nginx' }))).toContain('service "nginx" is not enabled on db');
    expect(refuse(event('NodeRemoved', {}))).toBe('NodeRemoved data.name: missing (expected a non-empty string)');
    expect(refuse(event('InterfaceRemoved', { node: 'gw', name: 3 }))).toBe('InterfaceRemoved data.name: expected a non-empty string, got 3');
    expect(refuse(event('ServiceDisabled', { node: 'db', service: 7 }))).toBe('ServiceDisabled data.service: expected a service name, got 7');
  });

  it('names the line of a bad event in an NDJSON log', () => {
    const log = homelabLog().map((e) => JSON.stringify(e));
    log.splice(3, 0, '{"type":"NodeAdded","data":{"node":{"name":"bad name","role":"vm","interfaces":[]}}}');
    expect(() => topologyFromEventLog('t.ndjson', log.join('\n'))).toThrow(/^t\.ndjson:4: NodeAdded data\.node\.name: expected a host name/);
    expect(() => topologyFromEventLog('t.ndjson', '{"type":"NodeAdded",\n')).toThrow(/^t\.ndjson:1: not JSON/);
  });

  it('carries 20,000 levels of nested metadata through events without recursion', () => {
    let deep: Record<string, unknown> = {};
    for (let i = 0; i < 20_000; i += 1) deep = { a: deep };
    const snapshot = homelab();
    snapshot.nodes[2]!.metadata = deep;
    const { state, affectedHosts } = applyTopologyEvent(topologyFromSnapshot(snapshot), event('ServiceEnabled', { node: 'db', service: 'nginx' }));
    expect(affectedHosts).toEqual(['db']);
    expect(renderTopology(state, { only: ['db'] })[1]!.content).toContain('services.nginx');
  });
});
