import { cp, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { nixEvalJson, nixParse, runCli } from './generate-helpers.js';

const FIXTURES = fileURLToPath(new URL('../../../fixtures/', import.meta.url));

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'nixforge-generate-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('nixforge templates', () => {
  it('lists every template with its variables', async () => {
    const result = await runCli(['templates'], dir);
    expect(result.code).toBe(0);
    for (const name of ['devshell', 'rust', 'node', 'python', 'go', 'nixos', 'home-manager']) expect(result.stdout).toMatch(new RegExp(`^${name}: `, 'm'));
    expect(result.stdout).toContain('  hostname (string, required): ');
    expect(result.stdout).toContain('  nodejs (one of nodejs_20|nodejs_22|nodejs_24, default nodejs_22): ');
    const json = JSON.parse((await runCli(['templates', '--json'], dir)).stdout) as Array<{ name: string }>;
    expect(json.map((t) => t.name)).toContain('rust');
  });
});

describe('nixforge generate flake', () => {
  it('renders a template with --set values; a rerun changes nothing; --check detects a difference', async () => {
    const args = ['generate', 'flake', '--template', 'rust', '--out', 'proj', '--set', 'name=hello', '--set', 'description=Says "hello"'];
    const first = await runCli(args, dir);
    expect(first.code).toBe(0);
    expect(first.stderr).toContain('generate flake rust: 1 written, 0 unchanged');
    nixParse(path.join(dir, 'proj/flake.nix'));
    expect(nixEvalJson('(import ./proj/flake.nix).description', dir)).toBe('Says "hello"');
    expect((await runCli(args, dir)).stderr).toContain('0 written, 1 unchanged');
    const check = await runCli([...args.slice(0, -1), 'description=other', '--check'], dir);
    expect(check.code).toBe(1);
    expect(check.stderr).toContain('would change: flake.nix');
  });

  it('refuses bad variables and unknown templates with exit 2 and writes nothing', async () => {
    const bad = await runCli(['generate', 'flake', '--template', 'nixos', '--out', 'sys', '--set', 'hostname=no_good', '--set', 'colour=red'], dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--set hostname: "no_good" does not match');
    expect(bad.stderr).toContain('--set colour: template nixos has no such variable');
    await expect(stat(path.join(dir, 'sys'))).rejects.toThrow();
    const unknown = await runCli(['generate', 'flake', '--template', 'cobol', '--out', 'x'], dir);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown template 'cobol'");
    expect((await runCli(['generate', 'flake', '--out', 'x'], dir)).stderr).toContain('--template NAME is required');
  });

  it('uses templates from --template-dir', async () => {
    await mkdir(path.join(dir, 'mine/shell'), { recursive: true });
    await writeFile(path.join(dir, 'mine/shell/template.json'), JSON.stringify({ description: 'my shell', variables: { tool: { type: 'enum', description: 'tool', values: ['git', 'jq'], default: 'jq' } } }));
    await writeFile(path.join(dir, 'mine/shell/shell.nix.hbs'), '{ pkgs }: pkgs.mkShell { packages = [ pkgs.{{attr tool}} ]; }\n');
    const listed = await runCli(['templates', '--template-dir', 'mine'], dir);
    expect(listed.stdout).toContain('shell [');
    const result = await runCli(['generate', 'flake', '--template', 'shell', '--template-dir', 'mine', '--out', 'o', '--set', 'tool=git'], dir);
    expect(result.code).toBe(0);
    expect(await readFile(path.join(dir, 'o/shell.nix'), 'utf8')).toBe('{ pkgs }: pkgs.mkShell { packages = [ pkgs.git ]; }\n');
  });
});

describe('nixforge generate home', () => {
  it('converts the profile and dotfiles, says which files were kept as they are', async () => {
    const result = await runCli(['generate', 'home', '--profile', path.join(FIXTURES, 'profiles/alice.yaml'), '--dotfiles', path.join(FIXTURES, 'dotfiles/alice'), '--out', 'home'], dir);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('dotfiles: .inputrc: no matching Home Manager options; kept as home.file.".inputrc".source');
    expect(result.stderr).toContain('generate home: 3 written, 0 unchanged');
    expect((await readdir(path.join(dir, 'home'))).sort()).toEqual(['dotfiles', 'flake.nix', 'home.nix']);
    nixParse(path.join(dir, 'home/home.nix'));
    expect(nixEvalJson('(import ./home/home.nix { pkgs = { ripgrep = 1; fd = 2; jq = 3; python3Packages.black = 4; }; }).programs.git.settings.user.name', dir)).toBe('Alice Example');
  });

  it('refuses a bad profile with exit 2, naming the file and field', async () => {
    await writeFile(path.join(dir, 'p.json'), JSON.stringify({ user: 'root!', stateVersion: '24.11', programs: { git: { password: 'x' } } }));
    const result = await runCli(['generate', 'home', '--profile', 'p.json', '--out', 'home'], dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('p.json: user: expected a login name');
    expect(result.stderr).toContain('p.json: programs.git.password: secrets are never inlined');
    await expect(stat(path.join(dir, 'home'))).rejects.toThrow();
  });
});

describe('nixforge generate topology from an event log, with events published', () => {
  it('reads NDJSON events and writes one nixforge.generate.config event per written file', async () => {
    await cp(path.join(FIXTURES, 'topology'), path.join(dir, 'in'), { recursive: true });
    const log = [
      { type: 'TopologyCreated', id: '1', source: 'test', data: { name: 'tiny', domain: 'lan', defaults: { system: 'aarch64-linux', stateVersion: '25.05', timeZone: 'UTC' } } },
      { type: 'NodeAdded', data: { node: { name: 'gw', role: 'gateway', interfaces: [{ name: 'wan', dhcp: true }, { name: 'lan', addresses: ['192.168.1.1/24'] }], services: ['dhcp'] } } },
      { type: 'NodeAdded', data: { node: { name: 'pi', role: 'iot', interfaces: [{ name: 'eth0', addresses: ['192.168.1.20/24'] }] } } },
      { type: 'ConnectionAdded', data: { from: 'pi:eth0', to: 'gw:lan' } },
    ];
    await writeFile(path.join(dir, 'tiny.ndjson'), log.map((e) => JSON.stringify(e)).join('\n') + '\n');
    const result = await runCli(['generate', 'topology', 'tiny.ndjson', '--out', 'out', '--events', 'events.ndjson'], dir);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('3 written, 0 unchanged');
    expect(nixEvalJson('(import ./out/hosts/pi/default.nix { config = {}; lib = {}; pkgs = {}; }).networking.defaultGateway', dir)).toEqual({ address: '192.168.1.1', interface: 'eth0' });
    const events = (await readFile(path.join(dir, 'events.ndjson'), 'utf8')).trim().split('\n').map((line) => JSON.parse(line) as { type: string; data: { path: string } });
    expect(events.map((e) => e.type)).toEqual(Array(3).fill('nixforge.generate.config'));
    expect(events.map((e) => e.data.path).sort()).toEqual(['flake.nix', 'hosts/gw/default.nix', 'hosts/pi/default.nix']);
    // Nothing changes on a rerun, so nothing is published.
    await runCli(['generate', 'topology', 'tiny.ndjson', '--out', 'out', '--events', 'events.ndjson'], dir);
    expect((await readFile(path.join(dir, 'events.ndjson'), 'utf8')).trim().split('\n')).toHaveLength(3);
  });

  it('names the line of a bad event and writes nothing', async () => {
    await writeFile(path.join(dir, 'bad.ndjson'), '{"type":"TopologyCreated","data":{"name":"x","domain":"lan","defaults":{"system":"x86_64-linux","stateVersion":"24.11","timeZone":"UTC"}}}\n{"type":"RouteAdded","data":{"node":"ghost","route":{"destination":"default","via":"10.0.0.1","interface":"eth0"}}}\n');
    const result = await runCli(['generate', 'topology', 'bad.ndjson', '--out', 'out'], dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('bad.ndjson:2: RouteAdded data.node: unknown node "ghost"');
    await expect(stat(path.join(dir, 'out'))).rejects.toThrow();
  });
});
