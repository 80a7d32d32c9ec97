import type { NixValue } from '../nix/value.js';

/** Options lifted out of a config file, and the lines that stay as `extraConfig`. */
export interface LiftedConfig {
  options: Record<string, NixValue>;
  extraConfig: string;
}

function joinRest(rest: string[]): string {
  while (rest.length > 0 && rest[rest.length - 1]!.trim() === '') rest.pop();
  while (rest.length > 0 && rest[0]!.trim() === '') rest.shift();
  return rest.length > 0 ? `${rest.join('\n')}\n` : '';
}

function unquote(value: string): string {
  return /^(['"]).*\1$/.test(value) ? value.slice(1, -1) : value;
}

/**
 * `.tmux.conf` -> `programs.tmux`: `prefix`, `mouse`, `baseIndex`, `escapeTime`, `historyLimit`, `keyMode`,
 * `terminal` from their `set`/`setw` lines; everything else stays in `extraConfig`.
 */
export function parseTmuxConf(text: string): LiftedConfig {
  const options: Record<string, NixValue> = {};
  const rest: string[] = [];
  for (const line of text.replace(/\r\n/g, '\n').split('\n')) {
    const match = /^\s*(?:set|set-option|setw|set-window-option)\s+(-[gsw]+\s+)?([a-z-]+)\s+(\S+)\s*$/.exec(line);
    const name = match?.[2];
    const value = match ? unquote(match[3]!) : '';
    let lifted = true;
    if (name === 'prefix' && /^C-.$/.test(value)) options.prefix = value;
    else if (name === 'mouse' && (value === 'on' || value === 'off')) options.mouse = value === 'on';
    else if (name === 'base-index' && /^\d+$/.test(value)) options.baseIndex = Number(value);
    else if (name === 'escape-time' && /^\d+$/.test(value)) options.escapeTime = Number(value);
    else if (name === 'history-limit' && /^\d+$/.test(value)) options.historyLimit = Number(value);
    else if (name === 'mode-keys' && (value === 'vi' || value === 'emacs')) options.keyMode = value;
    else if (name === 'default-terminal' && /^[A-Za-z0-9.+-]+$/.test(value)) options.terminal = value;
    else lifted = false;
    if (!lifted) rest.push(line);
  }
  return { options, extraConfig: joinRest(rest) };
}

const VIM_BOOLEANS = new Set(['number', 'relativenumber', 'expandtab', 'ignorecase', 'smartcase', 'modeline', 'copyindent', 'hidden', 'undofile']);
const VIM_NUMBERS = new Set(['tabstop', 'shiftwidth', 'history']);

/**
 * `.vimrc` -> `programs.vim.settings` for the options Home Manager declares (number, relativenumber, expandtab,
 * ignorecase, smartcase, modeline, copyindent, hidden, undofile, tabstop, shiftwidth, history, background, mouse);
 * everything else stays in `extraConfig`.
 */
export function parseVimrc(text: string): LiftedConfig {
  const settings: Record<string, NixValue> = {};
  const rest: string[] = [];
  for (const line of text.replace(/\r\n/g, '\n').split('\n')) {
    const match = /^\s*set\s+([a-z]+)(?:=([A-Za-z0-9]+))?\s*$/.exec(line);
    let lifted = false;
    if (match) {
      const [, rawName, value] = match;
      const negated = rawName!.startsWith('no') && VIM_BOOLEANS.has(rawName!.slice(2));
      const name = negated ? rawName!.slice(2) : rawName!;
      if (value === undefined && VIM_BOOLEANS.has(name)) {
        settings[name] = !negated;
        lifted = true;
      } else if (value !== undefined && VIM_NUMBERS.has(name) && /^\d+$/.test(value)) {
        settings[name] = Number(value);
        lifted = true;
      } else if (value !== undefined && name === 'background' && (value === 'dark' || value === 'light')) {
        settings.background = value;
        lifted = true;
      } else if (value !== undefined && name === 'mouse' && /^[nvichar]+$/.test(value)) {
        settings.mouse = value;
        lifted = true;
      }
    }
    if (!lifted) rest.push(line);
  }
  const options: Record<string, NixValue> = {};
  if (Object.keys(settings).length > 0) options.settings = settings;
  return { options, extraConfig: joinRest(rest) };
}
