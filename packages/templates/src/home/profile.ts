import { formatProblem, schemaValidator } from '@nixforge/core';
import { nixAttrPath } from '../nix/escape.js';
import { NixExpr, type NixValue } from '../nix/value.js';
import { HOME_PROFILE_SCHEMA, type HomeProfile } from './profile-schema.js';

export type { HomeProfile } from './profile-schema.js';

/** A profile that cannot be used; lists every problem as `field: problem`. */
export class HomeProfileError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
    this.name = 'HomeProfileError';
  }
}

/** Option names that would put a secret into the world-readable Nix store. */
const SECRET_KEY = /^(password|passwd|secret|token|apiKey|api_key|privateKey|private_key)$/i;

const profileValidator = schemaValidator(HOME_PROFILE_SCHEMA);

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

/** Validates a parsed profile (HOME_PROFILE_SCHEMA, then no inline secrets); throws `HomeProfileError` naming each bad field. */
export function parseHomeProfile(raw: unknown): HomeProfile {
  const problems = profileValidator.problems(raw).map(formatProblem);
  if (isObject(raw)) {
    for (const field of ['programs', 'services'] as const) {
      const modules = raw[field];
      if (isObject(modules)) for (const [name, options] of Object.entries(modules)) findSecrets(options, `${field}.${name}`, problems);
    }
  }
  if (problems.length > 0) throw new HomeProfileError(problems);
  return raw as HomeProfile;
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
