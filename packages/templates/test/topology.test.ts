import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SourceFile, findSyntaxErrors } from '@nixforge/core';
import { renderTopology, topologyFromSnapshot, TopologyValidationError, type GeneratedFile, type TopologySnapshot } from '../src/index.js';
import { evalNixIn, nixParseFile, writeTemp } from './nix.js';
import { homelab } from './topology-fixture.js';

const files = renderTopology(topologyFromSnapshot(homelab()));
const out = writeTemp(files);
afterAll(() => rmSync(out, { recursive: true, force: true }));

/** One option of a host module, evaluated with stub module arguments. */
function option(host: string, attrPath: string): unknown {
  return evalNixIn(out, `let m = import ./hosts/${host}/default.nix { config = {}; lib = {}; pkgs = {}; }; in m.${attrPath}`);
}

function refusal(snapshot: unknown): string {
  try {
    topologyFromSnapshot(snapshot);
  } catch (error) {
    expect(error).toBeInstanceOf(TopologyValidationError);
    return (error as Error).message;
  }
  throw new Error('expected the snapshot to be refused');
}

describe('topology rendering', () => {
  it('produces flake.nix and one module per node, all parsing with our parser and with Nix', () => {
    expect(files.map((f) => f.path)).toEqual(['flake.nix', ...homelab().nodes.map((n) => `hosts/${n.name}/default.nix`).sort()]);
    for (const file of files) {
      expect(findSyntaxErrors(new SourceFile(file.path, file.content))).toEqual([]);
      nixParseFile(path.join(out, file.path));
    }
    const flake = files.find((f) => f.path === 'flake.nix')!.content;
    expect(flake).toContain('nats-a1 = nixpkgs.lib.nixosSystem { modules = [ ./hosts/nats-a1 ]; };');
    expect(evalNixIn(out, '(import ./flake.nix).inputs.nixpkgs.url')).toBe('github:NixOS/nixpkgs/nixos-24.11');
    const newer = homelab();
    newer.defaults.release = '25.05';
    expect(renderTopology(topologyFromSnapshot(newer))[0]!.content).toContain('inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-25.05";');
  });

  it('sets identity, SSH and users on every node', () => {
    expect(option('web', 'networking.hostName')).toBe('web');
    expect(option('web', 'networking.domain')).toBe('home.arpa');
    expect(option('web', 'time.timeZone')).toBe('Europe/Berlin');
    expect(option('web', 'system.stateVersion')).toBe('24.11');
    expect(option('web', 'nixpkgs.hostPlatform')).toBe('x86_64-linux');
    for (const host of ['gw', 'sensor', 'ap']) {
      expect(option(host, 'services.openssh')).toEqual({ enable: true, settings: { PermitRootLogin: 'prohibit-password', PasswordAuthentication: false } });
    }
    expect(option('gw', 'users.users.admin')).toEqual({
      isNormalUser: true,
      description: 'Lab admin',
      extraGroups: ['wheel'],
      openssh: { authorizedKeys: { keys: [homelab().nodes[0]!.users![0]!.sshKeys![0]] } },
    });
  });

  it('gateway: forwarding, NAT from LAN to WAN, Kea DHCP for the LAN subnets, Unbound, VLAN, WireGuard by key file', () => {
    expect(option('gw', 'boot.kernel.sysctl')).toEqual({ 'net.ipv4.ip_forward': 1, 'net.ipv6.conf.all.forwarding': 1 });
    expect(option('gw', 'networking.nat')).toEqual({ enable: true, externalInterface: 'wan0', internalInterfaces: ['lan0', 'vlan20'] });
    expect(option('gw', 'networking.interfaces.wan0.useDHCP')).toBe(true);
    expect(option('gw', 'networking.interfaces.lan0.ipv6.addresses')).toEqual([{ address: 'fd00::1', prefixLength: 64 }]);
    expect(option('gw', 'networking.vlans.vlan20')).toEqual({ id: 20, interface: 'lan0' });
    const kea = option('gw', 'services.kea.dhcp4.settings') as { subnet4: Array<{ subnet: string; pools: Array<{ pool: string }> }>; 'interfaces-config': unknown };
    expect(kea.subnet4.map((s) => s.subnet)).toEqual(['10.0.0.0/24', '10.0.20.0/24']);
    expect(kea.subnet4[0]!.pools).toEqual([{ pool: '10.0.0.128 - 10.0.0.254' }]);
    expect(kea['interfaces-config']).toEqual({ interfaces: ['lan0', 'vlan20'] });
    expect(option('gw', 'services.unbound.enable')).toBe(true);
    expect(option('gw', 'services.unbound.settings.server.access-control')).toContain('10.0.20.0/24 allow');
    expect(option('gw', 'networking.wireguard.interfaces.wg0.privateKeyFile')).toBe('/run/secrets/wireguard/wg0.key');
    expect(option('gw', 'networking.firewall.allowedTCPPorts')).toEqual([22, 53]);
    expect(option('gw', 'networking.firewall.allowedUDPPorts')).toEqual([53, 67, 51820]);
    expect(option('gw', 'networking ? defaultGateway')).toBe(false);
  });

  it('router: forwarding, static routes and no default gateway of its own when it has a default route', () => {
    expect(option('core', 'boot.kernel.sysctl."net.ipv4.ip_forward"')).toBe(1);
    expect(option('core', 'networking.interfaces.eth0.ipv4.routes')).toEqual([{ address: '0.0.0.0', prefixLength: 0, via: '10.0.0.1' }]);
    expect(option('core', 'networking.interfaces.eth1.mtu')).toBe(9000);
    expect(option('core', 'networking ? defaultGateway')).toBe(false);
    expect(option('core', 'networking ? nat')).toBe(false);
  });

  it('hosts of every other role get their gateway on their subnet, bridges, DHCP and service ports', () => {
    expect(option('web', 'networking.interfaces.eth0.ipv4.routes')).toEqual([{ address: '192.168.50.0', prefixLength: 24, via: '10.1.0.1' }]);
    expect(option('web', 'networking.defaultGateway')).toEqual({ address: '10.1.0.1', interface: 'eth0' });
    expect(option('web', 'services.nginx.enable')).toBe(true);
    expect(option('web', 'networking.firewall.allowedTCPPorts')).toEqual([22, 80, 443]);
    expect(option('desk', 'networking.bridges.br0.interfaces')).toEqual(['enp3s0']);
    expect(option('desk', 'networking.defaultGateway')).toEqual({ address: '10.0.0.1', interface: 'br0' });
    expect(option('ap', 'networking.defaultGateway')).toEqual({ address: '10.0.20.1', interface: 'eth0' });
    expect(option('sensor', 'networking.interfaces.wlan0.useDHCP')).toBe(true);
    expect(option('sensor', 'networking ? defaultGateway')).toBe(false);
    expect(option('box', 'networking.firewall.allowedUDPPorts')).toEqual([5353]);
    expect(option('db', 'services.postgresql.enable')).toBe(true);
    expect(option('db', 'services.prometheus.exporters.node.enable')).toBe(true);
    expect(option('db', 'networking.firewall.allowedTCPPorts')).toEqual([22, 5432, 8080, 9090]);
  });

  it('NATS: clusters from connected cluster-tier nodes, leaf remotes, gateways between clusters', () => {
    expect(option('nats-a1', 'services.nats.jetstream')).toBe(true);
    expect(option('nats-a1', 'services.nats.settings.cluster')).toEqual({ name: 'nats-a1', listen: '0.0.0.0:6222', routes: ['nats://10.1.0.22:6222', 'nats://10.1.0.23:6222'] });
    expect(option('nats-a3', 'services.nats.settings.cluster.routes')).toEqual(['nats://10.1.0.21:6222', 'nats://10.1.0.22:6222']);
    expect(option('nats-b2', 'services.nats.settings.cluster.routes')).toEqual(['nats://10.1.0.31:6222']);
    expect(option('edge', 'services.nats.settings.leafnodes.remotes')).toEqual([{ url: 'nats://10.1.0.22:7422' }, { url: 'nats://10.1.0.23:7422' }]);
    expect(option('nats-a2', 'services.nats.settings.leafnodes')).toEqual({ port: 7422 });
    expect(option('nats-a1', 'services.nats.settings ? leafnodes')).toBe(false);
    expect(option('nats-a2', 'services.nats.settings.gateway')).toEqual({ name: 'nats-a1', port: 7222, gateways: [{ name: 'nats-b1', urls: ['nats://10.1.0.31:7222'] }] });
    expect(option('nats-b2', 'services.nats.settings.gateway.gateways')).toEqual([{ name: 'nats-a1', urls: ['nats://10.1.0.21:7222'] }]);
    expect(option('nats-a2', 'networking.firewall.allowedTCPPorts')).toEqual([22, 4222, 6222, 7222, 7422]);
    expect(option('edge', 'networking.firewall.allowedTCPPorts')).toEqual([22, 4222]);
  });
});

function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let state = seed;
  for (let i = out.length - 1; i > 0; i -= 1) {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    const j = state % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

describe('determinism', () => {
  it('the same topology in any order gives byte-identical files', () => {
    for (const seed of [1, 7, 42]) {
      const snapshot = homelab();
      const reordered: TopologySnapshot = {
        ...snapshot,
        nodes: shuffled(snapshot.nodes, seed).map((node) => ({
          ...node,
          interfaces: shuffled(node.interfaces, seed + 1),
          ...(node.services ? { services: shuffled(node.services, seed + 2) } : {}),
        })),
        connections: shuffled(snapshot.connections ?? [], seed + 3).map((c, i) => (i % 2 === 0 ? { from: c.to, to: c.from } : c)),
      };
      const again: GeneratedFile[] = renderTopology(topologyFromSnapshot(reordered));
      expect(again).toEqual(files);
    }
  });
});

describe('validation', () => {
  it('names the field of each problem', () => {
    const snapshot = homelab() as unknown as { nodes: Array<Record<string, any>>; connections: Array<Record<string, string>>; defaults: Record<string, string> };
    snapshot.nodes[3]!.name = '-bad-';
    snapshot.nodes[1]!.interfaces[0].addresses = ['10.0.0.2/33', 'fd00::zz/64'];
    snapshot.nodes[2]!.firewall = { allowedTCPPorts: [0, 70000] };
    snapshot.nodes[0]!.users[0].name = 'Bad User';
    snapshot.nodes[4]!.interfaces[0].name = 'this-name-is-far-too-long';
    snapshot.connections.push({ from: 'ghost:eth0', to: 'gw:nope' });
    snapshot.defaults.stateVersion = 'latest';
    const message = refusal(snapshot);
    expect(message).toContain('nodes[3].name: expected a host name');
    expect(message).toContain('nodes[1].interfaces[0].addresses[0]: expected an IPv4 or IPv6 address');
    expect(message).toContain('nodes[1].interfaces[0].addresses[1]:');
    expect(message).toContain('nodes[2].firewall.allowedTCPPorts[0]: expected a port');
    expect(message).toContain('nodes[2].firewall.allowedTCPPorts[1]: expected a port');
    expect(message).toContain('nodes[0].users[0].name: expected a user name');
    expect(message).toContain('nodes[4].interfaces[0].name: expected an interface name');
    expect(message).toContain('defaults.stateVersion:');
  });

  it('refuses unknown references, duplicates and inline secrets', () => {
    const dup = homelab();
    dup.nodes[5]!.name = 'gw';
    expect(refusal(dup)).toContain('nodes[5].name: duplicate node name "gw" (first at nodes[0])');

    const dangling = homelab();
    dangling.connections!.push({ from: 'ghost:eth0', to: 'gw:nope' });
    const message = refusal(dangling);
    expect(message).toMatch(/connections\[11\]\.from: unknown node/);
    expect(message).toMatch(/connections\[11\]\.to: node gw has no interface "nope"/);

    const route = homelab();
    route.nodes[1]!.routes![0]!.interface = 'eth9';
    expect(refusal(route)).toContain('nodes[1].routes[0].interface: unknown interface "eth9" on node core');

    const secret = homelab();
    (secret.nodes[0]!.services as unknown[])[2] = { name: 'wireguard', privateKey: 'c2VjcmV0' };
    expect(refusal(secret)).toContain('nodes[0].services[2].privateKey: secrets are never inlined');

    const sameAddress = homelab();
    sameAddress.nodes[7]!.interfaces[0]!.addresses = ['10.1.0.11/24'];
    expect(refusal(sameAddress)).toContain('address 10.1.0.11 is also used by');

    const unknownService = homelab();
    unknownService.nodes[2]!.services = ['postgresql', 'mongodb' as never];
    expect(refusal(unknownService)).toContain('nodes[2].services[1]: unknown service "mongodb"');
  });
});

describe('validation against the topology schemas', () => {
  it('names unknown fields with the known ones, wrong types with what was found, and missing fields', () => {
    const snapshot = homelab() as unknown as { nodes: Array<Record<string, any>> };
    snapshot.nodes[0]!.colour = 'red';
    snapshot.nodes[1]!.interfaces[0].mtu = 20;
    snapshot.nodes[2]!.interfaces[0].dhcp = 'yes';
    delete snapshot.nodes[3]!.interfaces;
    snapshot.nodes[4]!.role = 'toaster';
    snapshot.nodes[5]!.interfaces[0].vlan = { id: 5000, parent: 'eth0' };
    const lines = refusal(snapshot).split('\n');
    expect(lines).toEqual(
      expect.arrayContaining([
        'nodes[0].colour: unknown field (expected name, role, tier, system, interfaces, routes, services, firewall, users, metadata)',
        'nodes[1].interfaces[0].mtu: expected an MTU (an integer from 68 to 65535), got 20',
        'nodes[2].interfaces[0].dhcp: expected true or false, got "yes"',
        'nodes[3].interfaces: missing (expected a list of interfaces (a node needs at least one interface))',
        'nodes[4].role: expected a role (gateway, router, server, workstation, access-point, iot, vm, container), got "toaster"',
        'nodes[5].interfaces[0].vlan.id: expected a VLAN id (an integer from 1 to 4094), got 5000',
      ]),
    );
  });

  it('keeps the checks a schema cannot make: host addresses, root, secrets, unknown services', () => {
    const snapshot = homelab() as unknown as { nodes: Array<Record<string, any>> };
    snapshot.nodes[1]!.interfaces[0].addresses = ['10.0.0.0/24'];
    snapshot.nodes[0]!.users[0].name = 'root';
    snapshot.nodes[2]!.users = [{ name: 'eve', password: 'hunter2' }];
    snapshot.nodes[3]!.services = [{ name: 'nginx', port: 8080 }, { name: 'redis' }];
    const message = refusal(snapshot);
    expect(message).toContain('nodes[1].interfaces[0].addresses[0]: 10.0.0.0 is the network address of 10.0.0.0/24, not a host address');
    expect(message).toContain('nodes[0].users[0].name: root is configured by NixOS itself');
    expect(message).toContain('nodes[2].users[0].password: secrets are never inlined');
    expect(message).toContain('nodes[3].services[0].port: unknown field (expected name)');
    expect(message).toContain('nodes[3].services[1].name: unknown service "redis"');
  });
});

describe('hostile strings in topology input', () => {
  it('user descriptions with quotes, ${, \'\' and backslashes come out exactly', async () => {
    const fc = (await import('fast-check')).default;
    const piece = fc.constantFrom('"', '\\', '${', "''", "'", '$', '{', '}', ' ', 'x', 'é', '#', '*/');
    fc.assert(
      fc.property(fc.array(fc.array(piece, { maxLength: 20 }).map((p) => p.join('')), { minLength: 10, maxLength: 10 }), (descriptions) => {
        const snapshot = homelab();
        const gw = snapshot.nodes[0]!;
        gw.users = descriptions.map((description, i) => ({ name: `u${i}`, description }));
        const dir = writeTemp(renderTopology(topologyFromSnapshot(snapshot), { only: ['gw'] }));
        try {
          const users = evalNixIn(dir, '(import ./hosts/gw/default.nix { config = {}; lib = {}; pkgs = {}; }).users.users') as Record<string, { description: string }>;
          expect(descriptions.map((_, i) => users[`u${i}`]!.description)).toEqual(descriptions);
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      }),
      { numRuns: 5 },
    );
  });

  it('refuses a route whose gateway is not on the interface subnet', () => {
    const snapshot = homelab();
    snapshot.nodes[3]!.routes![0]!.via = '192.168.7.1';
    expect(refusal(snapshot)).toContain('nodes[3].routes[0].via: 192.168.7.1 is not on a subnet of interface eth0');
  });
});

describe('secrets by file', () => {
  it('WireGuard peers and user passwords come from files, never inline', () => {
    const snapshot = homelab();
    const gw = snapshot.nodes[0]!;
    gw.services = ['dhcp', 'dns', { name: 'wireguard', interface: 'wg1', listenPort: 51999, ips: ['10.9.0.1/24'], privateKeyFile: '/var/lib/wireguard/wg1.key', peers: [{ publicKey: 'xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=', allowedIPs: ['10.9.0.2/32'], endpoint: 'peer.example:51820', persistentKeepalive: 25 }] }];
    gw.users![0]!.passwordFile = '/run/secrets/admin-password';
    const dir = writeTemp(renderTopology(topologyFromSnapshot(snapshot), { only: ['gw'] }));
    try {
      const module = '(import ./hosts/gw/default.nix { config = {}; lib = {}; pkgs = {}; })';
      expect(evalNixIn(dir, `${module}.networking.wireguard.interfaces.wg1`)).toEqual({
        ips: ['10.9.0.1/24'],
        listenPort: 51999,
        privateKeyFile: '/var/lib/wireguard/wg1.key',
        peers: [{ publicKey: 'xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=', allowedIPs: ['10.9.0.2/32'], endpoint: 'peer.example:51820', persistentKeepalive: 25 }],
      });
      expect(evalNixIn(dir, `${module}.networking.firewall.allowedUDPPorts`)).toEqual([53, 67, 51999]);
      expect(evalNixIn(dir, `${module}.users.users.admin.hashedPasswordFile`)).toBe('/run/secrets/admin-password');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const inline = homelab();
    (inline.nodes[0]!.users![0] as unknown as Record<string, string>).hashedPassword = '$6$abc';
    expect(refusal(inline)).toContain('nodes[0].users[0].hashedPassword: secrets are never inlined');
  });
});
