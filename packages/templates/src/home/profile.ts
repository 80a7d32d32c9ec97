import { nixAttrPath } from '../nix/escape.js';
import { NixExpr, type NixValue } from '../nix/value.js';

/** A Home Manager profile as read from YAML or JSON. */
export interface HomeProfile {
  user: string;
  /** Defaults to `/home/<user>`. */
  homeDirectory?: string;
  stateVersion: string;
  /** nixpkgs/home-manager release to follow (`nixos-<release>`, `release-<release>`); defaults to stateVersion. */
  release?: string;
  /** The system for `homeConfigurations`; defaults to `x86_64-linux`. */
  system?: string;
  /** nixpkgs attribute paths, e.g. `ripgrep`, `python3Packages.black`. */
  packages?: string[];
  /** `programs.<name>`: `true` to enable, or an object of options (`enable` defaults to true). */
  programs?: Record<string, boolean | Record<string, unknown>>;
  /** `services.<name>`, like programs. */
  services?: Record<string, boolean | Record<string, unknown>>;
  shellAliases?: Record<string, string>;
  sessionVariables?: Record<string, string | number>;
}

/** A profile that cannot be used; lists every problem as `field: problem`. */
export class HomeProfileError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
    this.name = 'HomeProfileError';
  }
}

const USER = /^[a-z_][a-z0-9_-]{0,30}$/;
const STATE_VERSION = /^\d{2}\.\d{2}$/;
const ATTR_PATH = /^[A-Za-z_][A-Za-z0-9_'-]*(\.[A-Za-z_][A-Za-z0-9_'-]*)*$/;
const MODULE_NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;
const ALIAS = /^[^\s='"`$\\]+$/;
const VARIABLE = /^[A-Za-z_][A-Za-z0-9_]*$/;
const SYSTEMS = ['x86_64-linux', 'aarch64-linux', 'x86_64-darwin', 'aarch64-darwin'];
/** Option names that would put a secret into the world-readable Nix store. */
const SECRET_KEY = /^(password|passwd|secret|token|apiKey|api_key|privateKey|private_key)$/i;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Finds secret-looking keys in option values (iteratively, so deep data cannot overflow the stack). */
function findSecrets(value: unknown, path: string, problems: string[]): void {
  const stack: Array<{ value: unknown; path: string }> = [{ value, path }];
  while (stack.length > 0) {
    const { value: current, path: at } = stack.pop()!;
    if (Array.isArray(current)) current.forEach((item, i) => stack.push({ value: item, path: `${at}[${i}]` }));
    else if (isObject(current)) {
      for (const [key, inner] of Object.entries(current)) {
        if (SECRET_KEY.test(key)) problems.push(`${at}.${key}: secrets are never inlined; use the option that reads a file at run time (e.g. passwordFile)`);
        else stack.push({ value: inner, path: `${at}.${key}` });
      }
    } else if (typeof current === 'string' && current.includes('\0')) problems.push(`${at}: NUL characters are not allowed`);
  }
}

function checkModules(field: 'programs' | 'services', value: unknown, problems: string[]): void {
  if (value === undefined) return;
  if (!isObject(value)) {
    problems.push(`${field}: expected an object of ${field} by name`);
    return;
  }
  for (const [name, options] of Object.entries(value)) {
    if (!MODULE_NAME.test(name)) problems.push(`${field}.${name}: not a valid ${field === 'programs' ? 'program' : 'service'} name`);
    if (typeof options !== 'boolean' && !isObject(options)) problems.push(`${field}.${name}: expected true/false or an object of options`);
    findSecrets(options, `${field}.${name}`, problems);
  }
}

function checkStringMap(field: string, value: unknown, keyPattern: RegExp, what: string, allowNumbers: boolean, problems: string[]): void {
  if (value === undefined) return;
  if (!isObject(value)) {
    problems.push(`${field}: expected an object`);
    return;
  }
  for (const [key, inner] of Object.entries(value)) {
    if (!keyPattern.test(key)) problems.push(`${field}.${key}: not a valid ${what}`);
    const ok = typeof inner === 'string' ? !inner.includes('\0') : allowNumbers && typeof inner === 'number' && Number.isFinite(inner);
    if (!ok) problems.push(`${field}.${key}: expected a string${allowNumbers ? ' or number' : ''}`);
  }
}

/** Validates a parsed profile; throws `HomeProfileError` naming each bad field. */
export function parseHomeProfile(raw: unknown): HomeProfile {
  const problems: string[] = [];
  if (!isObject(raw)) throw new HomeProfileError(['a profile must be an object { user, stateVersion, ... }']);
  const allowed = ['user', 'homeDirectory', 'stateVersion', 'release', 'system', 'packages', 'programs', 'services', 'shellAliases', 'sessionVariables'];
  for (const key of Object.keys(raw)) if (!allowed.includes(key)) problems.push(`${key}: unknown field (expected ${allowed.join(', ')})`);
  if (typeof raw.user !== 'string' || !USER.test(raw.user)) problems.push('user: expected a login name (lower case letters, digits, _ and -)');
  if (raw.homeDirectory !== undefined && (typeof raw.homeDirectory !== 'string' || !/^\/[^\0\n]*$/.test(raw.homeDirectory))) problems.push('homeDirectory: expected an absolute path');
  if (typeof raw.stateVersion !== 'string' || !STATE_VERSION.test(raw.stateVersion)) problems.push('stateVersion: expected a release such as "24.11"');
  if (raw.release !== undefined && (typeof raw.release !== 'string' || !STATE_VERSION.test(raw.release))) problems.push('release: expected a release such as "25.05"');
  if (raw.system !== undefined && (typeof raw.system !== 'string' || !SYSTEMS.includes(raw.system))) problems.push(`system: expected one of ${SYSTEMS.join(', ')}`);
  if (raw.packages !== undefined) {
    if (!Array.isArray(raw.packages)) problems.push('packages: expected a list of nixpkgs attribute names');
    else raw.packages.forEach((p, i) => {
      if (typeof p !== 'string' || !ATTR_PATH.test(p)) problems.push(`packages[${i}]: expected a nixpkgs attribute path such as "ripgrep", got ${JSON.stringify(p)}`);
    });
  }
  checkModules('programs', raw.programs, problems);
  checkModules('services', raw.services, problems);
  checkStringMap('shellAliases', raw.shellAliases, ALIAS, 'alias name', false, problems);
  checkStringMap('sessionVariables', raw.sessionVariables, VARIABLE, 'variable name', true, problems);
  if (problems.length > 0) throw new HomeProfileError(problems);
  return raw as unknown as HomeProfile;
}

/** `pkgs.<attr path>` for a validated package name. */
export function packageExpr(name: string): NixExpr {
  return new NixExpr(`pkgs.${nixAttrPath(name.split('.'))}`);
}

/** A program or service entry as module options: `true` -> `{ enable = true; }`, objects get `enable = true` unless set. */
export function moduleOptions(value: boolean | Record<string, unknown>): Record<string, NixValue> {
  if (typeof value === 'boolean') return { enable: value };
  return { enable: true, ...(value as Record<string, NixValue>) };
}
