import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Ajv, type ErrorObject } from 'ajv';
import type { PresetName, RuleSetting } from '@nixforge/core';
import { UsageError } from '../errors.js';
import { CONFIG_SCHEMA } from './schema.js';

export const CONFIG_FILE_NAME = 'nixforge.config.json';

/** Lowest severity that fails a run, or never. */
export type FailOn = 'info' | 'warning' | 'error' | 'never';

/** The configuration file's content, validated. */
export interface NixforgeConfig {
  plugins?: string[];
  /** Preset(s) the rules start from (default `recommended`); later entries win. */
  extends?: PresetName | PresetName[];
  rules?: Record<string, RuleSetting>;
  ignores?: string[];
  threads?: number;
  failOn?: FailOn;
  /** NDJSON event log of every scan, relative to the configuration file. */
  events?: string;
}

/** A configuration and the directory its relative paths are resolved against. */
export interface LoadedConfig {
  config: NixforgeConfig;
  /** The file it came from; undefined when no file was found. */
  path: string | undefined;
  baseDir: string;
}

/** Finds nixforge.config.json in `cwd` or the nearest parent directory. */
export function findConfigFile(cwd: string): string | undefined {
  let dir = resolve(cwd);
  for (;;) {
    const candidate = join(dir, CONFIG_FILE_NAME);
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

let validator: ReturnType<Ajv['compile']> | undefined;

function describeError(error: ErrorObject): string {
  const path = error.instancePath
    .split('/')
    .slice(1)
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((acc, part) => (/^\d+$/.test(part) ? `${acc}[${part}]` : acc ? `${acc}.${part}` : part), '');
  if (error.keyword === 'additionalProperties') {
    const extra = (error.params as { additionalProperty: string }).additionalProperty;
    return `${path ? `${path}.` : ''}${extra}: unknown key`;
  }
  if (error.keyword === 'enum') {
    const allowed = (error.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ');
    return `${path || '(root)'}: must be one of ${allowed}`;
  }
  return `${path || '(root)'}: ${error.message ?? 'is invalid'}`;
}

/** Validates parsed JSON as a configuration; the error names the offending key. */
export function validateConfig(value: unknown, file: string): NixforgeConfig {
  validator ??= new Ajv({ allErrors: false, strict: false }).compile(CONFIG_SCHEMA);
  if (!validator(value)) {
    const errors = validator.errors ?? [];
    // oneOf failures are reported for every branch; the most specific message is the deepest path.
    const best = [...errors].sort((a, b) => b.instancePath.length - a.instancePath.length)[0];
    throw new UsageError(`invalid configuration ${file}: ${best ? describeError(best) : 'invalid'}`);
  }
  return value as NixforgeConfig;
}

/** Loads `--config FILE`, or the nearest nixforge.config.json, or an empty configuration. */
export async function loadConfig(cwd: string, explicitPath?: string): Promise<LoadedConfig> {
  const path = explicitPath ? resolve(cwd, explicitPath) : findConfigFile(cwd);
  if (!path) return { config: {}, path: undefined, baseDir: resolve(cwd) };
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read configuration ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`invalid configuration ${path}: not valid JSON (${(error as Error).message})`);
  }
  return { config: validateConfig(json, path), path, baseDir: dirname(path) };
}
