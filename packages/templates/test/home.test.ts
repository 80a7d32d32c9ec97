import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { convertDotfiles, HomeProfileError, parseGitConfig, parseHomeProfile, parseShellRc, parseTmuxConf, parseVimrc, renderHome } from '../src/index.js';
import { evalNixIn, nixParseFile, writeTemp } from './nix.js';

const FIXTURES = fileURLToPath(new URL('../../../fixtures/', import.meta.url));
const profile = parseHomeProfile(YAML.parse(readFileSync(path.join(FIXTURES, 'profiles/alice.yaml'), 'utf8')));
const dotfiles = convertDotfiles(path.join(FIXTURES, 'dotfiles/alice'));
const generated = renderHome(profile, dotfiles);
const out = writeTemp(generated.files);
afterAll(() => rmSync(out, { recursive: true, force: true }));

const STUB_PKGS = '{ ripgrep = "rg"; fd = "fd"; jq = "jq"; python3Packages = { black = "black"; }; }';
function home(attrPath: string): unknown {
  return evalNixIn(out, `(import ./home.nix { pkgs = ${STUB_PKGS}; }).${attrPath}`);
}

describe('Home Manager from a profile and dotfiles', () => {
  it('writes home.nix, a flake with homeConfigurations.<user> following nixpkgs, and kept dotfiles', () => {
    expect(generated.files.map((f) => f.path)).toEqual(['dotfiles/.inputrc', 'flake.nix', 'home.nix']);
    for (const file of ['flake.nix', 'home.nix']) nixParseFile(path.join(out, file));
    expect(evalNixIn(out, '(import ./flake.nix).inputs.home-manager')).toEqual({ url: 'github:nix-community/home-manager/release-25.05', inputs: { nixpkgs: { follows: 'nixpkgs' } } });
    expect(evalNixIn(out, '(import ./flake.nix).inputs.nixpkgs.url')).toBe('github:NixOS/nixpkgs/nixos-25.05');
    expect(generated.files.find((f) => f.path === 'flake.nix')!.content).toContain('homeConfigurations.alice = home-manager.lib.homeManagerConfiguration {');
  });

  it('maps the profile to home and program options', () => {
    expect(home('home.username')).toBe('alice');
    expect(home('home.homeDirectory')).toBe('/home/alice');
    expect(home('home.stateVersion')).toBe('24.11');
    expect(home('home.packages')).toEqual(['fd', 'jq', 'black', 'rg']);
    expect(home('home.shellAliases')).toEqual({ ll: 'ls -l', gs: 'git status' });
    expect(home('home.sessionVariables')).toEqual({ EDITOR: 'vim', PAGER: 'less -R' });
    expect(home('programs.direnv')).toEqual({ enable: true, 'nix-direnv': { enable: true } });
    expect(home('programs.fzf.enable')).toBe(true);
    expect(home('services.syncthing.enable')).toBe(true);
    expect(home('programs.home-manager.enable')).toBe(true);
  });

  it('converts each known dotfile to today\'s option names, merged under the profile', () => {
    expect(home('programs.git.settings.user')).toEqual({ name: 'Alice Example', email: 'alice@example.org' });
    expect(home('programs.git.settings.alias.lg')).toBe('log --graph --oneline --decorate');
    expect(home('programs.git.settings.core')).toEqual({ editor: 'vim', autocrlf: false });
    expect(home('programs.git.settings.init.defaultBranch')).toBe('main');
    expect(home('programs.git.includes')).toEqual([{ path: '~/.gitconfig.local' }, { path: '~/.gitconfig.work', condition: 'gitdir:~/work/' }]);
    expect(home('programs.bash.shellAliases')).toEqual({ la: 'ls -A', grep: 'grep --color=auto' });
    expect(home('programs.bash.sessionVariables')).toEqual({ VISUAL: 'vim' });
    const bashInit = home('programs.bash.initExtra') as string;
    expect(bashInit).toContain('export PATH="$HOME/bin:$PATH"\n');
    expect(bashInit).toContain("  alias inner='echo not lifted'\n");
    expect(bashInit).toContain('echo "hello ${USER}"');
    expect(home('programs.zsh.initContent')).toBe('setopt autocd\nbindkey -e\n');
    expect(home('programs.zsh.shellAliases')).toEqual({ k: 'kubectl' });
    expect(home('programs.tmux')).toEqual({ enable: true, prefix: 'C-a', mouse: true, baseIndex: 1, escapeTime: 10, historyLimit: 50000, keyMode: 'vi', extraConfig: 'bind r source-file ~/.tmux.conf\n' });
    expect(home('programs.vim.settings')).toEqual({ number: true, expandtab: true, tabstop: 4, shiftwidth: 4 });
    expect(home('programs.starship.settings.character.success_symbol')).toBe('[➜](bold green)');
    expect(home('programs.alacritty.settings.window.padding')).toEqual({ x: 4, y: 4 });
    expect(evalNixIn(out, `toString (import ./home.nix { pkgs = ${STUB_PKGS}; }).home.file.".inputrc".source`)).toBe(path.join(out, 'dotfiles/.inputrc'));
    expect(generated.notes).toContain('.inputrc: no matching Home Manager options; kept as home.file.".inputrc".source');
  });

  it('refuses bad profiles naming the field, and inline secrets', () => {
    const problems = (raw: unknown): string => {
      try {
        parseHomeProfile(raw);
      } catch (error) {
        expect(error).toBeInstanceOf(HomeProfileError);
        return (error as Error).message;
      }
      throw new Error('expected a refusal');
    };
    const message = problems({ user: 'Alice', stateVersion: 'x', packages: ['ok', 'rm -rf /'], programs: { git: { settings: { github: { token: 'abc' } } } }, shellAliases: { 'a b': 'x' } });
    expect(message).toContain('user: expected a login name');
    expect(message).toContain('stateVersion: expected a release');
    expect(message).toContain('packages[1]: expected a nixpkgs attribute path');
    expect(message).toContain('programs.git.settings.github.token: secrets are never inlined');
    expect(message).toContain('shellAliases.a b: not a valid alias name');
    const shape = problems({ stateVersion: '24.11', colour: 'blue', programs: { git: 3 }, sessionVariables: { EDITOR: ['vim'] } });
    expect(shape.split('\n')).toEqual(
      expect.arrayContaining([
        'user: missing (expected a login name (lower case letters, digits, _ and -))',
        'colour: unknown field (expected user, homeDirectory, stateVersion, release, system, packages, programs, services, shellAliases, sessionVariables)',
        'programs.git: expected true/false or an object of options, got 3',
        'sessionVariables.EDITOR: expected a string or number, got ["vim"]',
      ]),
    );
    expect(problems(['user'])).toBe('expected a profile object { user, stateVersion, ... }, got ["user"]');
  });
});

describe('dotfile parsers', () => {
  it('git config: quoting, escapes, comments, multi-valued keys, continuation lines', () => {
    const { settings } = parseGitConfig('[core]\n  pager = "less \\"-R\\"" ; comment\n[url "git@github.com:"]\n  insteadOf = https://github.com/\n[remote "o"]\n  fetch = a\n  fetch = b\n[alias]\n  long = one \\\n two\n  flag\n');
    expect(settings).toEqual({ core: { pager: 'less "-R"' }, url: { 'git@github.com:': { insteadOf: 'https://github.com/' } }, remote: { o: { fetch: ['a', 'b'] } }, alias: { long: 'one  two', flag: true } });
    expect(() => parseGitConfig('key = value\n')).toThrow(/line 1/);
  });

  it('shell rc: lifts only top-level plain aliases and exports', () => {
    const rc = parseShellRc("alias a='x y'\nalias b=\"$(date)\"\nexport A=1\nexport B=\"$HOME\"\nfunction f {\n  alias c=d\n}\n");
    expect(rc.aliases).toEqual({ a: 'x y' });
    expect(rc.variables).toEqual({ A: '1' });
    expect(rc.initText).toBe('alias b="$(date)"\nexport B="$HOME"\nfunction f {\n  alias c=d\n}\n');
  });

  it('tmux and vim: known settings become options, the rest extraConfig', () => {
    expect(parseTmuxConf('set -g mouse off\nset -g status-style bg=blue\n')).toEqual({ options: { mouse: false }, extraConfig: 'set -g status-style bg=blue\n' });
    expect(parseVimrc('set norelativenumber\nset background=dark\ncolorscheme x\n')).toEqual({ options: { settings: { relativenumber: false, background: 'dark' } }, extraConfig: 'colorscheme x\n' });
  });
});
