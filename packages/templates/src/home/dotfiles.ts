import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { MultilineText, NixExpr, type NixValue } from '../nix/value.js';
import { nixString } from '../nix/escape.js';
import type { GeneratedFile } from '../generated-file.js';
import { GitConfigSyntaxError, parseGitConfig } from './gitconfig.js';
import { parseShellRc } from './shell-rc.js';
import { parseTmuxConf, parseVimrc } from './simple-configs.js';

/** Home Manager options contributed by dotfiles, plus files to copy and what the run should tell the user. */
export interface DotfilesConversion {
  /** `programs.<name>` option sets. */
  programs: Record<string, Record<string, NixValue>>;
  /** `home.file.<target>` entries for files kept as they are. */
  homeFiles: Record<string, NixValue>;
  /** Copies of kept files, under `dotfiles/` in the output. */
  files: GeneratedFile[];
  /** One line per file: what it became. */
  notes: string[];
}

/** Where kept files are copied, relative to the output directory. */
export const DOTFILES_OUT_DIR = 'dotfiles';

const SAFE_PATH = /^[A-Za-z0-9._+-]+(\/[A-Za-z0-9._+-]+)*$/;

function listFiles(dir: string): string[] {
  const out: string[] = [];
  const stack = [''];
  while (stack.length > 0) {
    const relative = stack.pop()!;
    for (const entry of readdirSync(path.join(dir, relative), { withFileTypes: true })) {
      const child = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (entry.name !== '.git') stack.push(child);
      } else if (entry.isFile()) out.push(child);
    }
  }
  return out.sort();
}

/** TOML values as Nix values: dates become strings, integers beyond JavaScript's safe range are refused. */
function tomlToNix(value: unknown): NixValue {
  return JSON.parse(
    JSON.stringify(value, (_key, inner: unknown) => {
      if (typeof inner === 'bigint') throw new Error(`integer ${inner} is too large`);
      if (inner instanceof Date) return inner.toISOString();
      return inner;
    }),
  ) as NixValue;
}

/** `./dotfiles/<path>` as a path literal where Nix allows one, else `./. + "/dotfiles/<path>"`. */
function sourceExpr(relative: string): NixExpr {
  const target = `${DOTFILES_OUT_DIR}/${relative}`;
  return new NixExpr(SAFE_PATH.test(target) ? `./${target}` : `./. + ${nixString(`/${target}`)}`);
}

/**
 * Converts a dotfiles directory: `.gitconfig`, `.bashrc`, `.zshrc`, `.tmux.conf`, `.vimrc`, `starship.toml` and
 * `alacritty.toml` become Home Manager options; any other file (or one that cannot be read) is copied and linked
 * with `home.file.<path>.source`, and a note says so.
 */
export function convertDotfiles(dir: string): DotfilesConversion {
  const result: DotfilesConversion = { programs: {}, homeFiles: {}, files: [], notes: [] };
  const keep = (relative: string, text: string, why: string) => {
    result.homeFiles[relative] = { source: sourceExpr(relative) };
    result.files.push({ path: `${DOTFILES_OUT_DIR}/${relative}`, content: text });
    result.notes.push(`${relative}: ${why}; kept as home.file."${relative}".source`);
  };
  const decoder = new TextDecoder('utf-8', { fatal: true });
  for (const relative of listFiles(dir)) {
    let text: string;
    try {
      text = decoder.decode(readFileSync(path.join(dir, relative)));
    } catch {
      result.notes.push(`${relative}: not UTF-8 text; skipped (copy it yourself)`);
      continue;
    }
    if (text.includes('\0')) {
      result.notes.push(`${relative}: contains NUL bytes; skipped (copy it yourself)`);
      continue;
    }
    const base = path.posix.basename(relative);
    try {
      if (base === '.gitconfig' || relative === '.config/git/config') {
        const { settings, includes } = parseGitConfig(text);
        const options: Record<string, NixValue> = { enable: true, settings };
        if (includes.length > 0) options.includes = includes;
        result.programs.git = options;
        result.notes.push(`${relative}: programs.git (settings${includes.length > 0 ? ', includes' : ''})`);
      } else if (base === '.bashrc' || base === '.zshrc') {
        const shell = base === '.bashrc' ? 'bash' : 'zsh';
        const rc = parseShellRc(text);
        const options: Record<string, NixValue> = { enable: true };
        if (Object.keys(rc.aliases).length > 0) options.shellAliases = rc.aliases;
        if (Object.keys(rc.variables).length > 0) options.sessionVariables = rc.variables;
        if (rc.initText) options[shell === 'bash' ? 'initExtra' : 'initContent'] = new MultilineText(rc.initText);
        result.programs[shell] = options;
        result.notes.push(`${relative}: programs.${shell} (${Object.keys(rc.aliases).length} aliases, ${Object.keys(rc.variables).length} variables${rc.initText ? ', the rest as init text' : ''})`);
      } else if (base === '.tmux.conf' || relative === '.config/tmux/tmux.conf') {
        const { options, extraConfig } = parseTmuxConf(text);
        result.programs.tmux = { enable: true, ...options, ...(extraConfig ? { extraConfig: new MultilineText(extraConfig) } : {}) };
        result.notes.push(`${relative}: programs.tmux`);
      } else if (base === '.vimrc') {
        const { options, extraConfig } = parseVimrc(text);
        result.programs.vim = { enable: true, ...options, ...(extraConfig ? { extraConfig: new MultilineText(extraConfig) } : {}) };
        result.notes.push(`${relative}: programs.vim`);
      } else if (base === 'starship.toml' || base === 'alacritty.toml') {
        const program = base === 'starship.toml' ? 'starship' : 'alacritty';
        result.programs[program] = { enable: true, settings: tomlToNix(parseToml(text)) };
        result.notes.push(`${relative}: programs.${program}.settings`);
      } else {
        keep(relative, text, 'no matching Home Manager options');
      }
    } catch (error) {
      const reason = error instanceof GitConfigSyntaxError || error instanceof Error ? error.message.split('\n')[0] : String(error);
      keep(relative, text, `could not be read (${reason})`);
    }
  }
  return result;
}
