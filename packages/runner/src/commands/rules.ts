import type { Plugin, Severity } from '@nixforge/core';
import { parseCommandArgs } from '../cli.js';
import { UsageError } from '../errors.js';
import type { CliIO } from '../io.js';

import { loadConfiguredPlugins } from '../config/load-plugins.js';

export const RULES_HELP = `Usage: nixforge rules [options]

List every rule: built-in ones and those of configured or --plugin plugins.

Options:
  -f, --format FORMAT   text (default) or json
      --plugin PATH     also load this plugin module (repeatable)
      --config FILE     use FILE instead of the nearest nixforge.config.json
  -h, --help            show this help
`;

/** One rule as `nixforge rules` lists it. */
export interface RuleInfo {
  id: string;
  plugin: string;
  severity: Severity;
  fixable: boolean;
  /** True when the rule runs only if the configuration enables it. */
  disabledByDefault: boolean;
  description: string;
  url?: string;
}

/** Flags shared by `rules` and `explain` to choose the plugins. */
export const PLUGIN_FLAGS = {
  plugin: { type: 'string', multiple: true },
  config: { type: 'string' },
} as const;

/** The built-in plugins plus those named by the configuration and by `--plugin` (resolved from the cwd). */
export async function pluginsFor(io: CliIO, values: { plugin?: string[]; config?: string }): Promise<Plugin[]> {
  return (await loadConfiguredPlugins(io.cwd, values.config, values.plugin ?? [])).plugins;
}

/**
 * Parses the flags `rules` and `explain` share (`--format text|json`, `--help`, plugin flags). Returns
 * undefined when help was printed.
 */
export function parseListingArgs(args: string[], help: string, io: CliIO) {
  const { values, positionals } = parseCommandArgs(args, {
    format: { type: 'string', short: 'f' },
    help: { type: 'boolean', short: 'h' },
    ...PLUGIN_FLAGS,
  });
  if (values.help) {
    io.stdout.write(help);
    return undefined;
  }
  const format = values.format ?? 'text';
  if (format !== 'text' && format !== 'json') throw new UsageError(`--format: unknown format '${format}' (one of text, json)`);
  return { values, positionals, format };
}

/** Every rule of the given plugins, sorted by id. */
export function listRules(plugins: readonly Plugin[]): RuleInfo[] {
  const infos: RuleInfo[] = [];
  for (const plugin of plugins) {
    for (const [name, rule] of Object.entries(plugin.rules)) {
      const info: RuleInfo = {
        id: `${plugin.name}/${name}`,
        plugin: plugin.name,
        severity: rule.meta.severity,
        fixable: rule.meta.fixable === true,
        disabledByDefault: rule.meta.disabledByDefault === true,
        description: rule.meta.description,
      };
      if (rule.meta.docs?.url) info.url = rule.meta.docs.url;
      infos.push(info);
    }
  }
  return infos.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** The text listing: one rule per line, aligned, with a count at the end. */
export function formatRulesText(rules: readonly RuleInfo[]): string {
  const width = Math.max(0, ...rules.map((r) => r.id.length));
  const lines = rules.map((r) => {
    const flags = [r.fixable ? 'fix' : '', r.disabledByDefault ? 'off' : ''].filter(Boolean).join(',');
    return `${r.id.padEnd(width)}  ${r.severity.padEnd(7)}  ${flags.padEnd(7)}  ${r.description}`;
  });
  const fixable = rules.filter((r) => r.fixable).length;
  lines.push('', `${rules.length} rules (${fixable} fixable). \`nixforge explain RULE\` shows one with examples.`);
  return `${lines.join('\n')}\n`;
}

/** `nixforge rules` with an explicit plugin list (what the integration and tests call). */
export function printRules(plugins: readonly Plugin[], format: string, io: CliIO): number {
  const rules = listRules(plugins);
  if (format === 'json') io.stdout.write(`${JSON.stringify(rules, null, 2)}\n`);
  else if (format === 'text') io.stdout.write(formatRulesText(rules));
  else throw new UsageError(`--format: unknown format '${format}' (one of text, json)`);
  return 0;
}

export async function run(args: string[], io: CliIO): Promise<number> {
  const parsed = parseListingArgs(args, RULES_HELP, io);
  if (!parsed) return 0;
  if (parsed.positionals.length > 0) throw new UsageError(`unexpected argument '${parsed.positionals[0]}' (see nixforge rules --help)`);
  return printRules(await pluginsFor(io, parsed.values), parsed.format, io);
}
