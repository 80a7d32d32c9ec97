import { rmSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { renderTopology, topologyFromSnapshot, type TopologyNode, type TopologySnapshot } from '../src/index.js';
import { parseIpv4 } from '../src/topology/addresses.js';
import { evalNixIn, writeTemp } from './nix.js';

interface Kea {
  subnet: string;
  pools: Array<{ pool: string }>;
  reservations?: Array<{ 'hw-address': string; 'ip-address'?: string; hostname: string }>;
}

const HEADER = { name: 'pools', domain: 'example.org', defaults: { system: 'x86_64-linux', stateVersion: '24.11', timeZone: 'UTC' } } as const;

/**
 * Random LANs: one subnet 10.20.0.0/P (P from 24 to 30) served by one to three DHCP gateways, static hosts anywhere
 * in it (upper half included, some written with a wider prefix), DHCP hosts with MACs linked to a gateway.
 */
const lanArbitrary = fc
  .record({
    prefix: fc.integer({ min: 24, max: 30 }),
    gateways: fc.integer({ min: 1, max: 3 }),
    statics: fc.uniqueArray(fc.integer({ min: 0, max: 255 }), { minLength: 3, maxLength: 40 }),
    wide: fc.array(fc.boolean(), { minLength: 40, maxLength: 40 }),
    dhcpHosts: fc.array(fc.nat(), { maxLength: 12 }),
  })
  .map(({ prefix, gateways, statics, wide, dhcpHosts }): TopologySnapshot => {
    const size = 2 ** (32 - prefix);
    const hostOffsets = [...new Set(statics.map((s) => 1 + (s % (size - 2))))];
    // A /30 has two host addresses: keep at least one gateway.
    const gatewayOffsets = hostOffsets.splice(0, gateways);
    const nodes: TopologyNode[] = gatewayOffsets.map((offset, i) => ({
      name: `gw${i}`,
      role: 'gateway',
      interfaces: [{ name: 'wan0', dhcp: true }, { name: 'lan0', addresses: [`10.20.0.${offset}/${prefix}`] }],
      services: ['dhcp'],
    }));
    hostOffsets.forEach((offset, i) => {
      // A /16 address inside the LAN is still the LAN's address: the pool must avoid it too.
      const length = wide[i] && prefix > 16 ? 16 : prefix;
      nodes.push({ name: `s${i}`, role: 'server', interfaces: [{ name: 'eth0', addresses: [`10.20.0.${offset}/${length}`] }] });
    });
    const connections = dhcpHosts.map((gw, i) => {
      const mac = `52:54:00:00:${(i >> 8).toString(16).padStart(2, '0')}:${(i & 255).toString(16).padStart(2, '0')}`;
      nodes.push({ name: `d${i}`, role: 'workstation', interfaces: [{ name: 'wlan0', dhcp: true, mac }] });
      return { from: `gw${gw % nodes.filter((n) => n.role === 'gateway').length}:lan0`, to: `d${i}:wlan0` };
    });
    return { ...HEADER, nodes, connections };
  });

function range(pool: string): [bigint, bigint] {
  const [first, last] = pool.split(' - ').map((part) => parseIpv4(part)!);
  return [first!, last!];
}

describe('Kea DHCP pools and reservations', () => {
  it('never hand out a static address, split between servers of one subnet, and reserve outside every pool (checked in Nix)', () => {
    fc.assert(
      fc.property(lanArbitrary, (snapshot) => {
        const files = renderTopology(topologyFromSnapshot(snapshot));
        const gateways = snapshot.nodes.filter((n) => n.role === 'gateway').map((n) => n.name);
        const dir = writeTemp(files);
        let kea: Record<string, Kea[]>;
        try {
          const attrs = gateways.map((name) => `${name} = (import ./hosts/${name}/default.nix { config = {}; lib = {}; pkgs = {}; }).services.kea.dhcp4.settings.subnet4;`);
          kea = evalNixIn(dir, `{ ${attrs.join(' ')} }`) as Record<string, Kea[]>;
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
        const statics = new Set<bigint>();
        for (const node of snapshot.nodes) for (const iface of node.interfaces) for (const a of iface.addresses ?? []) statics.add(parseIpv4(a.split('/')[0]!)!);
        const prefix = Number(snapshot.nodes[0]!.interfaces[1]!.addresses![0]!.split('/')[1]);
        const network = parseIpv4('10.20.0.0')!;
        const broadcast = network + (1n << BigInt(32 - prefix)) - 1n;
        const pools: Array<[bigint, bigint]> = [];
        const reserved = new Map<bigint, string>();
        for (const name of gateways) {
          expect(kea[name]).toHaveLength(1);
          const subnet = kea[name]![0]!;
          expect(subnet.subnet).toBe(`10.20.0.0/${prefix}`);
          for (const { pool } of subnet.pools) {
            const [first, last] = range(pool);
            expect(first <= last && first > network && last < broadcast).toBe(true);
            for (const address of statics) expect(address >= first && address <= last, `${pool} holds static ${address}`).toBe(false);
            for (const [a, b] of pools) expect(last < a || first > b, `${pool} overlaps another server's pool`).toBe(true);
            pools.push([first, last]);
          }
          for (const reservation of subnet.reservations ?? []) {
            expect(reservation.hostname).toMatch(/^d\d+$/);
            if (reservation['ip-address'] === undefined) continue;
            const ip = parseIpv4(reservation['ip-address'])!;
            expect(statics.has(ip)).toBe(false);
            expect(ip > network && ip < broadcast).toBe(true);
            const other = reserved.get(ip);
            expect(other === undefined || other === reservation['hw-address'], `${reservation['ip-address']} reserved twice`).toBe(true);
            reserved.set(ip, reservation['hw-address']);
          }
        }
        for (const ip of reserved.keys()) for (const [a, b] of pools) expect(ip >= a && ip <= b).toBe(false);
        // Every DHCP host with a MAC linked to a gateway has a reservation, with an address while the lower half has room.
        const reservations = gateways.flatMap((name) => kea[name]![0]!.reservations ?? []);
        expect(reservations.map((r) => r.hostname).sort()).toEqual(snapshot.nodes.filter((n) => n.name.startsWith('d')).map((n) => n.name).sort());
      }),
      { numRuns: 15 },
    );
  });

  it('the issue case: a static 10.20.0.250/24 on the gateway LAN splits the pool, DHCP hosts with a MAC get reservations', () => {
    const snapshot: TopologySnapshot = {
      ...HEADER,
      nodes: [
        { name: 'gw', role: 'gateway', interfaces: [{ name: 'wan0', dhcp: true }, { name: 'lan0', addresses: ['10.20.0.1/24'] }], services: ['dhcp'] },
        { name: 'nas', role: 'server', interfaces: [{ name: 'eth0', addresses: ['10.20.0.250/24'] }] },
        { name: 'tv', role: 'iot', interfaces: [{ name: 'eth0', dhcp: true, mac: '52:54:00:AB:CD:EF' }] },
      ],
      connections: [{ from: 'gw:lan0', to: 'tv:eth0' }],
    };
    const gw = renderTopology(topologyFromSnapshot(snapshot)).find((f) => f.path === 'hosts/gw/default.nix')!.content;
    expect(gw).toContain('pool = "10.20.0.128 - 10.20.0.249";');
    expect(gw).toContain('pool = "10.20.0.251 - 10.20.0.254";');
    expect(gw).toMatch(/hostname = "tv";\s+hw-address = "52:54:00:ab:cd:ef";\s+ip-address = "10\.20\.0\.(\d+)";/);
    const reservedAt = Number(/ip-address = "10\.20\.0\.(\d+)"/.exec(gw)![1]);
    expect(reservedAt).toBeGreaterThan(1);
    expect(reservedAt).toBeLessThan(128);
  });

  it('refuses a MAC used twice and a network or broadcast address on an interface', () => {
    const node = (name: string, iface: Record<string, unknown>): TopologyNode => ({ name, role: 'iot', interfaces: [{ name: 'eth0', ...iface }] });
    expect(() => topologyFromSnapshot({ ...HEADER, nodes: [node('a', { dhcp: true, mac: '52:54:00:00:00:01' }), node('b', { dhcp: true, mac: '52:54:00:00:00:01' })] })).toThrow(
      'nodes[1].interfaces.eth0.mac: MAC address 52:54:00:00:00:01 is also used by a:eth0',
    );
    expect(() => topologyFromSnapshot({ ...HEADER, nodes: [node('a', { addresses: ['10.0.0.255/24'] })] })).toThrow(
      'nodes[0].interfaces[0].addresses[0]: 10.0.0.255 is the broadcast address of 10.0.0.0/24, not a host address',
    );
    expect(() => topologyFromSnapshot({ ...HEADER, nodes: [node('a', { mac: 'not-a-mac' })] })).toThrow('nodes[0].interfaces[0].mac: expected a MAC address');
  });
});
