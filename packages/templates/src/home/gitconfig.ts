import type { NixValue } from '../nix/value.js';

/** `programs.git` options from a `.gitconfig`: `settings` (freeform, nested by section) and `includes`. */
export interface GitConfigOptions {
  settings: Record<string, NixValue>;
  includes: Array<{ path: string; condition?: string }>;
}

/** A line that cannot be read; the whole file is then kept as a plain file. */
export class GitConfigSyntaxError extends Error {}

function typed(value: string): string | number | boolean {
  if (value === 'true') return true;
  if (value === 'false') return false;
  if (/^-?\d{1,15}$/.test(value)) return Number(value);
  return value;
}

/** Reads a value: strips comments outside quotes, removes quotes, applies `\n \t \b \" \\` escapes. */
function readValue(raw: string, line: number): string {
  let out = '';
  let quoted = false;
  let pendingSpace = '';
  for (let i = 0; i < raw.length; i += 1) {
    const ch = raw[i]!;
    if (ch === '\\') {
      const next = raw[i + 1];
      const escapes: Record<string, string> = { n: '\n', t: '\t', b: '\b', '"': '"', '\\': '\\' };
      if (next === undefined || !(next in escapes)) throw new GitConfigSyntaxError(`line ${line}: bad escape`);
      out += pendingSpace + escapes[next]!;
      pendingSpace = '';
      i += 1;
    } else if (ch === '"') {
      quoted = !quoted;
    } else if (!quoted && (ch === '#' || ch === ';')) {
      break;
    } else if (!quoted && (ch === ' ' || ch === '\t')) {
      if (out.length > 0) pendingSpace += ch;
    } else {
      out += pendingSpace + ch;
      pendingSpace = '';
    }
  }
  if (quoted) throw new GitConfigSyntaxError(`line ${line}: unterminated quote`);
  return out;
}

function setIn(root: Record<string, NixValue>, path: string[], value: NixValue): void {
  let node = root;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    if (typeof next !== 'object' || next === null || Array.isArray(next)) node[key] = {};
    node = node[key] as Record<string, NixValue>;
  }
  const last = path[path.length - 1]!;
  const existing = node[last];
  // A key given more than once is a multi-valued key: keep every value, in order.
  if (existing === undefined) node[last] = value;
  else node[last] = Array.isArray(existing) ? [...(existing as NixValue[]), value] : [existing, value];
}

/** Parses git's config format (sections, `[section "sub"]`, quoting, continuation lines, comments). */
export function parseGitConfig(text: string): GitConfigOptions {
  const settings: Record<string, NixValue> = {};
  const includes: GitConfigOptions['includes'] = [];
  let section: string[] | undefined;
  let includeCondition: string | undefined;
  let isInclude = false;
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  for (let index = 0; index < lines.length; index += 1) {
    let line = lines[index]!;
    const number = index + 1;
    while (line.endsWith('\\') && !line.endsWith('\\\\') && index + 1 < lines.length) {
      index += 1;
      line = line.slice(0, -1) + lines[index]!;
    }
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#') || trimmed.startsWith(';')) continue;
    const header = /^\[\s*([A-Za-z0-9.-]+)(?:\s+"((?:[^"\\]|\\.)*)")?\s*\]\s*(?:[#;].*)?$/.exec(trimmed);
    if (header) {
      const name = header[1]!;
      const sub = header[2]?.replace(/\\(.)/g, '$1');
      isInclude = name.toLowerCase() === 'include' || name.toLowerCase() === 'includeif';
      includeCondition = name.toLowerCase() === 'includeif' ? sub : undefined;
      section = sub === undefined ? name.split('.') : [name, sub];
      continue;
    }
    if (trimmed.startsWith('[')) throw new GitConfigSyntaxError(`line ${number}: bad section header`);
    const entry = /^([A-Za-z][A-Za-z0-9-]*)\s*(?:=(.*))?$/.exec(trimmed);
    if (!entry || !section) throw new GitConfigSyntaxError(`line ${number}: expected key = value inside a section`);
    const key = entry[1]!;
    const value = entry[2] === undefined ? true : typed(readValue(entry[2], number));
    if (isInclude && key.toLowerCase() === 'path' && typeof value === 'string') {
      includes.push(includeCondition === undefined ? { path: value } : { path: value, condition: includeCondition });
      continue;
    }
    setIn(settings, [...section, key], value);
  }
  return { settings, includes };
}
