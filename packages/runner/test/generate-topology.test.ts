import { cp, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { nixEvalJson, nixParse, runCli } from './generate-helpers.js';

const FIXTURES = fileURLToPath(new URL('../../../fixtures/topology/', import.meta.url));

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'nixforge-generate-'));
  await cp(FIXTURES, path.join(dir, 'in'), { recursive: true });
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function listFiles(root: string): Promise<string[]> {
  const out: string[] = [];
  const stack = [''];
  while (stack.length > 0) {
    const relative = stack.pop()!;
    for (const entry of await readdir(path.join(root, relative), { withFileTypes: true })) {
      const child = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory()) stack.push(child);
      else out.push(child);
    }
  }
  return out.sort();
}

function hostOption(out: string, host: string, attrPath: string): unknown {
  return nixEvalJson(`(import ./hosts/${host}/default.nix { config = {}; lib = {}; pkgs = {}; }).${attrPath}`, out);
}

describe('nixforge generate topology', () => {
  it('writes a flake and one parseable module per node, with the expected option values', async () => {
    const result = await runCli(['generate', 'topology', 'in/homelab.yaml', '--out', 'out'], dir);
    expect(result.stderr).toContain('15 written, 0 unchanged');
    expect(result.code).toBe(0);
    const out = path.join(dir, 'out');
    const files = await listFiles(out);
    expect(files).toContain('flake.nix');
    expect(files.filter((f) => f.startsWith('hosts/'))).toHaveLength(14);
    for (const file of files) nixParse(path.join(out, file));

    expect(hostOption(out, 'db', 'networking.hostName')).toBe('db');
    expect(hostOption(out, 'db', 'networking.domain')).toBe('home.arpa');
    expect(hostOption(out, 'db', 'time.timeZone')).toBe('Europe/Berlin');
    expect(hostOption(out, 'db', 'system.stateVersion')).toBe('24.11');
    expect(hostOption(out, 'db', 'services.openssh.settings')).toEqual({ PermitRootLogin: 'prohibit-password', PasswordAuthentication: false });
    expect(hostOption(out, 'db', 'networking.firewall.allowedTCPPorts')).toEqual([22, 5432, 8080, 9090]);
    expect(hostOption(out, 'db', 'networking.defaultGateway')).toEqual({ address: '10.1.0.1', interface: 'eth0' });
    expect(hostOption(out, 'db', 'services.prometheus.exporters.node.enable')).toBe(true);
    expect(hostOption(out, 'db', 'services.postgresql.enable')).toBe(true);
  });

  it('is idempotent: a rerun writes nothing and keeps mtimes; --check exits 0, then 1 after a change', async () => {
    expect((await runCli(['generate', 'topology', 'in/homelab.yaml', '--out', 'out'], dir)).code).toBe(0);
    const flake = path.join(dir, 'out', 'flake.nix');
    const before = (await stat(flake)).mtimeMs;
    await new Promise((resolve) => setTimeout(resolve, 20));
    const again = await runCli(['generate', 'topology', 'in/homelab.yaml', '--out', 'out'], dir);
    expect(again.stderr).toContain('0 written, 15 unchanged');
    expect((await stat(flake)).mtimeMs).toBe(before);
    expect((await runCli(['generate', 'topology', 'in/homelab.yaml', '--out', 'out', '--check'], dir)).code).toBe(0);

    const snapshot = YAML.parse(await readFile(path.join(dir, 'in/homelab.yaml'), 'utf8'));
    snapshot.defaults.timeZone = 'UTC';
    await writeFile(path.join(dir, 'in/changed.json'), JSON.stringify(snapshot));
    const check = await runCli(['generate', 'topology', 'in/changed.json', '--out', 'out', '--check'], dir);
    expect(check.code).toBe(1);
    expect(check.stderr).toContain('would change: hosts/db/default.nix');
    expect(await readFile(path.join(dir, 'out/hosts/db/default.nix'), 'utf8')).toContain('Europe/Berlin');
  });

  it('removes the module of a node that is gone', async () => {
    expect((await runCli(['generate', 'topology', 'in/homelab.yaml', '--out', 'out'], dir)).code).toBe(0);
    const snapshot = YAML.parse(await readFile(path.join(dir, 'in/homelab.yaml'), 'utf8'));
    snapshot.nodes = snapshot.nodes.filter((n: { name: string }) => n.name !== 'box');
    await writeFile(path.join(dir, 'in/smaller.json'), JSON.stringify(snapshot));
    const result = await runCli(['generate', 'topology', 'in/smaller.json', '--out', 'out'], dir);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('1 removed');
    expect(await listFiles(path.join(dir, 'out'))).not.toContain('hosts/box/default.nix');
  });

  it('refuses bad input with exit 2, names the field and writes nothing', async () => {
    const snapshot = YAML.parse(await readFile(path.join(dir, 'in/homelab.yaml'), 'utf8'));
    snapshot.nodes[3].name = 'not_valid!';
    snapshot.nodes[1].interfaces[0].addresses = ['10.0.0.300/24'];
    await writeFile(path.join(dir, 'in/bad.json'), JSON.stringify(snapshot));
    const result = await runCli(['generate', 'topology', 'in/bad.json', '--out', 'out'], dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('nodes[3].name: expected a host name');
    expect(result.stderr).toContain('nodes[1].interfaces[0].addresses[0]: expected an IPv4 or IPv6 address');
    await expect(stat(path.join(dir, 'out'))).rejects.toThrow();
  });

  it('an event log whose parts arrive in any order gives byte-identical output to its snapshot; a part still missing at the end names its field and line', async () => {
    const snapshot = await runCli(['generate', 'topology', 'in/office.yaml', '--out', 'from-snapshot'], dir);
    const log = await runCli(['generate', 'topology', 'in/office-out-of-order.ndjson', '--out', 'from-log'], dir);
    expect([snapshot.code, log.code], log.stderr).toEqual([0, 0]);
    const files = await listFiles(path.join(dir, 'from-snapshot'));
    expect(await listFiles(path.join(dir, 'from-log'))).toEqual(files);
    for (const file of files) {
      expect(await readFile(path.join(dir, 'from-log', file), 'utf8'), file).toBe(await readFile(path.join(dir, 'from-snapshot', file), 'utf8'));
      if (file.endsWith('.nix')) nixParse(path.join(dir, 'from-log', file));
    }
    const pools = hostOption(path.join(dir, 'from-log'), 'gw', 'services.kea.dhcp4.settings.subnet4') as Array<{ pools: Array<{ pool: string }>; reservations: Array<{ hostname: string }> }>;
    expect(pools[0]!.pools.map((p) => p.pool)).toEqual(['10.20.0.128 - 10.20.0.249', '10.20.0.251 - 10.20.0.254']);
    expect(pools[0]!.reservations.map((r) => r.hostname)).toEqual(['laptop', 'phone']);

    const lines = (await readFile(path.join(dir, 'in/office-out-of-order.ndjson'), 'utf8')).trim().split('\n');
    await writeFile(path.join(dir, 'in/incomplete.ndjson'), lines.filter((_, i) => i !== 9).join('\n') + '\n');
    const refused = await runCli(['generate', 'topology', 'in/incomplete.ndjson', '--out', 'incomplete'], dir);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('in/incomplete.ndjson:2: nodes.db1.routes[0].interface: unknown interface "eth0" on node db1 (since this NodeAdded; still so after the last event)');
    await expect(stat(path.join(dir, 'incomplete'))).rejects.toThrow();
  });

  it('reports usage errors with exit 2', async () => {
    expect((await runCli(['generate', 'topology', 'in/homelab.yaml'], dir)).code).toBe(2);
    expect((await runCli(['generate', 'topology', 'in/missing.yaml', '--out', 'out'], dir)).stderr).toContain('cannot read topology in/missing.yaml');
    expect((await runCli(['generate', 'nonsense'], dir)).code).toBe(2);
  });
});
