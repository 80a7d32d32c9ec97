import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { formatProblem, schemaValidator } from '@nixforge/core';
import { UsageError } from '../errors.js';
import { CONFIG_SCHEMA, type NixforgeConfig } from './schema.js';

export const CONFIG_FILE_NAME = 'nixforge.config.json';

export type { FailOn, NixforgeConfig } from './schema.js';

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

const configValidator = schemaValidator(CONFIG_SCHEMA);

/** Validates parsed JSON as a configuration; the error names the file and each offending key, one per line. */
export function validateConfig(value: unknown, file: string): NixforgeConfig {
  const problems = configValidator.problems(value);
  if (problems.length > 0) throw new UsageError(problems.map((problem) => `invalid configuration ${file}: ${formatProblem(problem)}`).join('\n'));
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
