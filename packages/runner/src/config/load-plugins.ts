import { createRequire } from 'node:module';
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Plugin } from '@nixforge/core';
import { builtinPlugins } from '@nixforge/plugins';
import { UsageError, errorMessage } from '../errors.js';
import { loadConfig, type LoadedConfig } from './config-file.js';

/** A plugin named in the configuration or with `--plugin`, and where to resolve it from. */
export interface PluginSpec {
  specifier: string;
  baseDir: string;
}

/** Turns a specifier into an importable URL: paths resolve against baseDir, names as npm packages from there. */
export function resolvePluginUrl(spec: PluginSpec): string {
  const { specifier, baseDir } = spec;
  if (specifier.startsWith('.') || isAbsolute(specifier)) return pathToFileURL(resolve(baseDir, specifier)).href;
  try {
    const require = createRequire(resolve(baseDir, 'noop.js'));
    return pathToFileURL(require.resolve(specifier)).href;
  } catch {
    throw new UsageError(`plugin "${specifier}": cannot find it (not a path, and no npm package of that name from ${baseDir})`);
  }
}

function assertPlugin(value: unknown, specifier: string): asserts value is Plugin {
  const plugin = value as Partial<Plugin> | undefined;
  if (!plugin || typeof plugin !== 'object') throw new UsageError(`plugin "${specifier}": the default export is not an object`);
  if (typeof plugin.name !== 'string' || !/^[a-z0-9][a-z0-9-]*$/.test(plugin.name)) {
    throw new UsageError(`plugin "${specifier}": \`name\` must be a lower-case kebab-case string`);
  }
  if (!plugin.rules || typeof plugin.rules !== 'object') throw new UsageError(`plugin "${specifier}": \`rules\` must be an object`);
  for (const [name, rule] of Object.entries(plugin.rules)) {
    if (!rule || (typeof rule.create !== 'function' && typeof rule.check !== 'function') || !rule.meta || typeof rule.meta.description !== 'string') {
      throw new UsageError(`plugin "${specifier}": rule "${name}" needs \`meta.description\` and a \`create\` or \`check\` function`);
    }
    if (rule.collect !== undefined && typeof rule.collect !== 'function') {
      throw new UsageError(`plugin "${specifier}": rule "${name}": \`collect\` must be a function`);
    }
    if (!['error', 'warning', 'info'].includes(rule.meta.severity)) {
      throw new UsageError(`plugin "${specifier}": rule "${name}" has an invalid meta.severity`);
    }
    const { presets, aliases } = rule.meta;
    if (presets !== undefined && (!Array.isArray(presets) || presets.some((p) => !['recommended', 'strict', 'style'].includes(p)))) {
      throw new UsageError(`plugin "${specifier}": rule "${name}": meta.presets must list "recommended", "strict" or "style"`);
    }
    if (aliases !== undefined && (!Array.isArray(aliases) || aliases.some((a) => typeof a !== 'string' || !/^[^/\s]+\/[^/\s]+$/.test(a)))) {
      throw new UsageError(`plugin "${specifier}": rule "${name}": meta.aliases must be rule ids (<plugin>/<rule>)`);
    }
  }
}

/** Imports a plugin module by URL and checks its shape. Only explicitly configured plugins are ever loaded. */
export async function importPlugin(url: string, specifier: string): Promise<Plugin> {
  let module: { default?: unknown };
  try {
    module = (await import(url)) as { default?: unknown };
  } catch (error) {
    throw new UsageError(`plugin "${specifier}": failed to load: ${errorMessage(error)}`);
  }
  assertPlugin(module.default, specifier);
  return module.default;
}

/** The built-in plugins followed by the configured ones, in order. */
export async function loadPlugins(specs: readonly PluginSpec[]): Promise<{ plugins: Plugin[]; urls: string[] }> {
  const urls = specs.map(resolvePluginUrl);
  const extra: Plugin[] = [];
  for (let i = 0; i < specs.length; i += 1) extra.push(await importPlugin(urls[i]!, specs[i]!.specifier));
  return { plugins: [...builtinPlugins, ...extra], urls };
}

/**
 * The built-in plugins plus those of the configuration (resolved from the config file's directory) and of
 * `--plugin` (resolved from the working directory), in that order.
 */
export async function loadConfiguredPlugins(
  cwd: string,
  configPath: string | undefined,
  cliPlugins: readonly string[],
): Promise<{ loaded: LoadedConfig; specs: PluginSpec[]; plugins: Plugin[]; urls: string[] }> {
  const loaded = await loadConfig(cwd, configPath);
  const specs: PluginSpec[] = [
    ...(loaded.config.plugins ?? []).map((specifier) => ({ specifier, baseDir: loaded.baseDir })),
    ...cliPlugins.map((specifier) => ({ specifier, baseDir: cwd })),
  ];
  return { loaded, specs, ...(await loadPlugins(specs)) };
}
