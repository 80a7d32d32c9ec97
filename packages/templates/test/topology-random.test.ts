import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  applyTopologyEvent,
  emptyTopology,
  NODE_ROLES,
  NODE_TIERS,
  renderTopology,
  SERVICE_NAMES,
  topologyFromSnapshot,
  type TopologyNode,
  type TopologySnapshot,
} from '../src/index.js';
import { writeTemp } from './nix.js';

/** Random valid topologies: 2-16 nodes on four /24 subnets, any role, tier and services, random links. */
const topologyArbitrary: fc.Arbitrary<TopologySnapshot> = fc
  .record({
    nodes: fc.array(
      fc.record({
        role: fc.constantFrom(...NODE_ROLES),
        tier: fc.option(fc.constantFrom(...NODE_TIERS), { nil: undefined }),
        services: fc.subarray([...SERVICE_NAMES]),
        subnet: fc.integer({ min: 0, max: 3 }),
        dhcp: fc.boolean(),
        ports: fc.array(fc.integer({ min: 1, max: 65535 }), { maxLength: 3 }),
      }),
      { minLength: 2, maxLength: 16 },
    ),
    links: fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 20 }),
  })
  .map(({ nodes, links }) => {
    const built: TopologyNode[] = nodes.map((spec, i) => ({
      name: `n${i}`,
      role: spec.role,
      ...(spec.tier ? { tier: spec.tier } : {}),
      interfaces: [
        { name: 'eth0', addresses: [`10.0.${spec.subnet}.${i + 2}/24`, `fd00:${spec.subnet}::${i + 2}/64`] },
        ...(spec.dhcp ? [{ name: 'wan0', dhcp: true }] : []),
      ],
      services: spec.services,
      firewall: { allowedTCPPorts: spec.ports },
    }));
    const connections = links
      .map(([a, b]) => [a % built.length, b % built.length] as const)
      .filter(([a, b]) => a !== b)
      .map(([a, b]) => ({ from: `n${a}:eth0`, to: `n${b}:eth0` }));
    const unique = [...new Map(connections.map((c) => [[c.from, c.to].sort().join(' '), c])).values()];
    return { name: 'random', domain: 'example.org', defaults: { system: 'x86_64-linux', stateVersion: '24.11', timeZone: 'UTC' }, nodes: built, connections: unique };
  });

describe('random topologies', () => {
  it('always render to Nix that nix-instantiate parses, the same from a snapshot and from events in any order', () => {
    fc.assert(
      fc.property(topologyArbitrary, fc.integer(), (snapshot, seed) => {
        const files = renderTopology(topologyFromSnapshot(snapshot));
        const dir = writeTemp(files);
        try {
          execFileSync('nix-instantiate', ['--parse', ...files.map((f) => path.join(dir, f.path))], { stdio: ['ignore', 'ignore', 'pipe'] });
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
        const events = [
          ...snapshot.nodes.map((node) => ({ type: 'NodeAdded', data: { node } })),
          ...(snapshot.connections ?? []).map((c, i) => ({ type: 'ConnectionAdded', data: i % 2 === 0 ? c : { from: c.to, to: c.from } })),
        ];
        // Nodes in a shuffled order (connections must follow their nodes), the header last.
        const order = events.map((e, i) => ({ e, key: e.type === 'NodeAdded' ? (i * 7919 + seed) % 1000 : 1000 + i })).sort((a, b) => a.key - b.key);
        let state = emptyTopology();
        for (const { e } of order) state = applyTopologyEvent(state, e).state;
        state = applyTopologyEvent(state, { type: 'TopologyCreated', data: { name: snapshot.name, domain: snapshot.domain, defaults: snapshot.defaults } }).state;
        expect(renderTopology(state)).toEqual(files);
      }),
      { numRuns: 12 },
    );
  });
});
