import { describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTree, runCli } from './helpers/cli.js';

const TOPOLOGY = (name: string): string =>
  [
    'name: lab',
    'domain: home.arpa',
    'defaults: { system: x86_64-linux, stateVersion: "24.11", timeZone: UTC }',
    'nodes:',
    `  - name: ${JSON.stringify(name)}`,
    '    role: server',
    '    interfaces:',
    '      - { name: eth0, addresses: ["10.0.0.2/24"] }',
    '',
  ].join('\n');

/** A user template directory with one template `name` whose flake.nix.hbs is `body`. */
function userTemplate(root: string, name: string, body: string): string {
  const dir = join(root, 'templates', name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'template.json'), JSON.stringify({ description: 'hostile', variables: { name: { type: 'string', description: 'a name', default: 'x' } } }));
  writeFileSync(join(dir, 'flake.nix.hbs'), body);
  return join(root, 'templates');
}

/** Every file below `dir`, relative, sorted. */
function listFiles(dir: string): string[] {
  return existsSync(dir) ? (readdirSync(dir, { recursive: true, withFileTypes: true }) as Array<{ isFile(): boolean; parentPath: string; name: string }>)
      .filter((entry) => entry.isFile())
      .map((entry) => join(entry.parentPath, entry.name).slice(dir.length + 1))
      .sort() : [];
}

describe('hardening: template rendering cannot reach prototype properties', () => {
  it('renders constructor, __proto__ and lookup tricks in a user template as empty, never as JavaScript objects', async () => {
    const root = makeTree({});
    const body = [
      '{',
      '  a = "{{constructor}}";',
      '  b = "{{__proto__}}";',
      '  c = "{{lookup this "constructor"}}";',
      '  d = "{{#with this}}{{lookup (lookup this "constructor") "name"}}{{/with}}";',
      '  e = "{{lookup (lookup this "__proto__") "toString"}}";',
      '}',
      '',
    ].join('\n');
    const templates = userTemplate(root, 'evil', body);
    const run = await runCli(['generate', 'flake', '--template', 'evil', '--template-dir', templates, '--out', 'out'], root);
    expect(run.code).toBe(0);
    const text = readFileSync(join(root, 'out', 'flake.nix'), 'utf8');
    expect(text).toBe('{\n  a = "";\n  b = "";\n  c = "";\n  d = "";\n  e = "";\n}\n');
  });

  it('refuses a template that reads a property of a string variable, naming the template file', async () => {
    const root = makeTree({});
    const templates = userTemplate(root, 'evil', '{ f = "{{name.constructor}}"; }\n');
    const run = await runCli(['generate', 'flake', '--template', 'evil', '--template-dir', templates, '--out', 'out'], root);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(join(templates, 'evil', 'flake.nix.hbs'));
    expect(existsSync(join(root, 'out'))).toBe(false);
  });

  it('refuses --set keys that name prototype properties, writing nothing', async () => {
    const root = makeTree({});
    const templates = userTemplate(root, 'plain', '{ name = {{str name}}; }\n');
    for (const key of ['__proto__', 'constructor', 'prototype', 'toString']) {
      const run = await runCli(['generate', 'flake', '--template', 'plain', '--template-dir', templates, '--out', 'out', '--set', `${key}=x`], root);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(`--set ${key}: template plain has no such variable (it has name)`);
    }
    expect(existsSync(join(root, 'out'))).toBe(false);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it('keeps template syntax in --set values as data, escaped for Nix', async () => {
    const root = makeTree({});
    const templates = userTemplate(root, 'plain', '{ name = {{str name}}; }\n');
    const run = await runCli(['generate', 'flake', '--template', 'plain', '--template-dir', templates, '--out', 'out', '--set', 'name={{constructor}} ${builtins.exec} "'], root);
    expect(run.code).toBe(0);
    expect(readFileSync(join(root, 'out', 'flake.nix'), 'utf8')).toBe('{ name = "{{constructor}} \\${builtins.exec} \\""; }\n');
  });
});

describe('hardening: generated paths never leave --out', () => {
  for (const name of ['../../etc', '/etc/evil', 'a/../../b', '..']) {
    it(`refuses a node named ${JSON.stringify(name)} and writes nothing`, async () => {
      const root = makeTree({ 'topology.yaml': TOPOLOGY(name) });
      const run = await runCli(['generate', 'topology', 'topology.yaml', '--out', 'out/inner'], root);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('nodes[0].name: expected a host name');
      expect(listFiles(root)).toEqual(['topology.yaml']);
    });
  }

  it('refuses to write through a symlink inside --out that leads outside it', async () => {
    const root = makeTree({ 'topology.yaml': TOPOLOGY('web'), 'outside/.keep': '' });
    mkdirSync(join(root, 'out'));
    symlinkSync(join(root, 'outside'), join(root, 'out', 'hosts'));
    const run = await runCli(['generate', 'topology', 'topology.yaml', '--out', 'out'], root);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/refusing to write 'hosts\/web\/default\.nix': .*hosts leads outside/);
    expect(listFiles(join(root, 'outside'))).toEqual(['.keep']);
  });

  it('writes only inside the directory a symlinked --out resolves to', async () => {
    const root = makeTree({ 'topology.yaml': TOPOLOGY('web'), 'real-out/.keep': '' });
    symlinkSync(join(root, 'real-out'), join(root, 'out'));
    const run = await runCli(['generate', 'topology', 'topology.yaml', '--out', 'out'], root);
    expect(run.code).toBe(0);
    expect(listFiles(join(root, 'real-out'))).toEqual(['.keep', 'flake.nix', 'hosts/web/default.nix']);
    expect(listFiles(root).filter((file) => !file.startsWith('real-out/'))).toEqual(['topology.yaml']);
  });
});
