import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadFlakeTemplates, parseAssignments, renderFlakeTemplate, TemplateDefinitionError, TemplateVariableError } from '../src/index.js';
import { evalNixIn, nixParseFile, writeTemp } from './nix.js';

const REQUIRED: Record<string, Record<string, string>> = {
  nixos: { hostname: 'box' },
  'home-manager': { username: 'alice' },
};
const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function render(name: string, sets: Record<string, string>, userDirs: string[] = []) {
  const template = loadFlakeTemplates(userDirs).get(name)!;
  return renderFlakeTemplate(template, new Map(Object.entries(sets))).files;
}

describe('flake templates', () => {
  it('has the seven built-in templates, each with declared variables', () => {
    const templates = loadFlakeTemplates();
    expect([...templates.keys()].sort()).toEqual(['devshell', 'go', 'home-manager', 'nixos', 'node', 'python', 'rust']);
    for (const template of templates.values()) {
      expect(template.description.length).toBeGreaterThan(10);
      for (const variable of template.variables) expect(variable.description.length).toBeGreaterThan(3);
    }
  });

  it('renders every built-in template with defaults to Nix that nix-instantiate parses', () => {
    for (const name of loadFlakeTemplates().keys()) {
      const files = render(name, REQUIRED[name] ?? {});
      const dir = writeTemp(files);
      dirs.push(dir);
      for (const file of files) nixParseFile(path.join(dir, file.path));
      expect(evalNixIn(dir, '(import ./flake.nix).inputs ? nixpkgs')).toBe(true);
    }
  });

  it('puts --set values where they belong, escaped, and typed', () => {
    const hostile = 'say "hi" ${builtins.currentTime} \\ done';
    const dir = writeTemp(render('devshell', { description: hostile, packages: 'git, python3Packages.requests, if', systems: 'x86_64-linux' }));
    dirs.push(dir);
    expect(evalNixIn(dir, '(import ./flake.nix).description')).toBe(hostile);
    const flake = render('devshell', { packages: 'git,nodejs' })[0]!.content;
    expect(flake).toContain('pkgs.git\n');
    expect(flake).toContain('pkgs.nodejs\n');
    const nixos = writeTemp(render('nixos', { hostname: 'web-1', user: 'ops', sshKey: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIA ops@laptop' }));
    dirs.push(nixos);
    expect(evalNixIn(nixos, '(import ./configuration.nix {}).users.users.ops.openssh.authorizedKeys.keys')).toEqual(['ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIA ops@laptop']);
    expect(evalNixIn(nixos, '(import ./configuration.nix {}).networking.hostName')).toBe('web-1');
    const home = writeTemp(render('home-manager', { username: 'alice', stateVersion: '25.05' }));
    dirs.push(home);
    expect(evalNixIn(home, '(import ./flake.nix).inputs.home-manager')).toEqual({ url: 'github:nix-community/home-manager/release-25.05', inputs: { nixpkgs: { follows: 'nixpkgs' } } });
    expect(evalNixIn(home, '(import ./home.nix {}).home.homeDirectory')).toBe('/home/alice');
    const mac = writeTemp(render('home-manager', { username: 'bob', system: 'aarch64-darwin' }));
    dirs.push(mac);
    expect(evalNixIn(mac, '(import ./home.nix {}).home.homeDirectory')).toBe('/Users/bob');
  });

  it('refuses unknown, missing and malformed variables, naming each', () => {
    const problems = (name: string, sets: Record<string, string>): string[] => {
      try {
        render(name, sets);
      } catch (error) {
        expect(error).toBeInstanceOf(TemplateVariableError);
        return (error as TemplateVariableError).problems;
      }
      throw new Error('expected a refusal');
    };
    expect(problems('nixos', {})).toEqual([expect.stringContaining('hostname: required')]);
    expect(problems('nixos', { hostname: 'bad_host!', system: 'sparc-linux', colour: 'red' }).sort()).toEqual([
      expect.stringContaining('colour: template nixos has no such variable'),
      expect.stringContaining('hostname: "bad_host!" does not match'),
      expect.stringContaining('system: expected one of x86_64-linux, aarch64-linux'),
    ]);
    expect(problems('devshell', { packages: 'git,rm -rf' })).toEqual([expect.stringContaining('"rm -rf" does not match')]);
    expect(() => parseAssignments(['novalue'])).toThrow(/expected key=value/);
  });

  it('loads user template directories, which may add or replace templates', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'nixforge-usertpl-'));
    dirs.push(dir);
    mkdirSync(path.join(dir, 'hello'));
    writeFileSync(path.join(dir, 'hello', 'template.json'), JSON.stringify({ description: 'says hello', variables: { greeting: { type: 'string', description: 'what to say', default: 'hi' }, loud: { type: 'boolean', description: 'shout', default: false } } }));
    writeFileSync(path.join(dir, 'hello', 'default.nix.hbs'), '{ greeting = {{str greeting}}; loud = {{nix loud}}; }\n');
    const templates = loadFlakeTemplates([dir]);
    expect(templates.get('hello')!.origin).toBe(dir);
    const [file] = render('hello', { greeting: "it's ${x}", loud: 'true' }, [dir]);
    expect(file).toEqual({ path: 'default.nix', content: '{ greeting = "it\'s \\${x}"; loud = true; }\n' });

    mkdirSync(path.join(dir, 'broken'));
    writeFileSync(path.join(dir, 'broken', 'template.json'), JSON.stringify({ description: 'x', variables: { a: { type: 'colour', description: 'x' } } }));
    writeFileSync(path.join(dir, 'broken', 'flake.nix.hbs'), '{ }');
    expect(() => loadFlakeTemplates([dir])).toThrow(TemplateDefinitionError);
    expect(() => loadFlakeTemplates([dir])).toThrow(/broken\/template\.json: variables\.a\.type: expected one of string, boolean, integer, enum, list, got "colour"/);
    writeFileSync(path.join(dir, 'broken', 'template.json'), JSON.stringify({ variables: { 'a-b': { type: 'enum', description: 'x' }, c: 'x' } }));
    const refused = (() => {
      try {
        loadFlakeTemplates([dir]);
      } catch (error) {
        return (error as Error).message.split('\n');
      }
      return [];
    })();
    expect(refused.map((line) => line.slice(line.indexOf('template.json: ') + 'template.json: '.length))).toEqual(
      expect.arrayContaining([
        'description: missing',
        'variables.a-b: not a valid variable name (an identifier: letters, digits, _)',
        'variables.c: expected an object { type, description, default? }, got "x"',
      ]),
    );
  });
});
