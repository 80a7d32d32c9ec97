import { DEFAULT_PRESET, presetLevel, presetsOf, type Plugin, type PresetName, type RuleLevel, type Severity } from '@nixforge/core';
import { parseCommandArgs } from './args.js';
import { UsageError } from '../errors.js';
import { commandHelp, HELP_FLAG, type FlagTable } from '../help.js';
import type { CliIO } from '../io.js';

import { loadConfiguredPlugins } from '../config/index.js';

/** Flags shared by `rules` and `explain`: the report format and the plugins to list. */
export const LISTING_FLAGS = {
  format: { type: 'string', short: 'f', arg: 'FORMAT', help: 'text (default) or json' },
  plugin: { type: 'string', multiple: true, arg: 'PATH', help: 'also load this plugin module (repeatable)' },
  config: { type: 'string', arg: 'FILE', help: 'use FILE instead of the nearest nixforge.config.json' },
  ...HELP_FLAG,
} as const satisfies FlagTable;

export const RULES_HELP = commandHelp({
  usage: 'Usage: nixforge rules [options]',
  about: `List every rule: built-in ones and those of configured or --plugin plugins, with the level it runs at
by default (the recommended preset; off when it is not in it), its level when enabled, and its presets.`,
  flags: LISTING_FLAGS,
});

/** One rule as `nixforge rules` lists it. */
export interface RuleInfo {
  id: string;
  plugin: string;
  /** The level the rule runs at when a preset or the configuration enables it without a level. */
  severity: Severity;
  /** Why it has that level. */
  severityReason?: string;
  /** Its level under the default preset (`recommended`): `severity`, or `off`. */
  defaultLevel: RuleLevel;
  /** Every preset that enables it (always includes `all`). */
  presets: PresetName[];
  /** Former ids that still select it. */
  aliases: string[];
  tags: string[];
  fixable: boolean;
  /** True when the rule runs only if the configuration enables it (it is not in the default preset). */
  disabledByDefault: boolean;
  description: string;
  url?: string;
}

/** The built-in plugins plus those named by the configuration and by `--plugin` (resolved from the cwd). */
export async function pluginsFor(io: CliIO, values: { plugin?: string[]; config?: string }): Promise<Plugin[]> {
  return (await loadConfiguredPlugins(io.cwd, values.config, values.plugin ?? [])).plugins;
}

/**
 * Parses the flags `rules` and `explain` share (`--format text|json`, `--help`, plugin flags). Returns
 * undefined when help was printed.
 */
export function parseListingArgs(args: string[], help: string, io: CliIO) {
  const { values, positionals } = parseCommandArgs(args, LISTING_FLAGS);
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
      const { meta } = rule;
      const defaultLevel = presetLevel(meta, [DEFAULT_PRESET]);
      const info: RuleInfo = {
        id: `${plugin.name}/${name}`,
        plugin: plugin.name,
        severity: meta.severity,
        defaultLevel,
        presets: presetsOf(meta),
        aliases: [...(meta.aliases ?? [])],
        tags: [...(meta.tags ?? [])],
        fixable: meta.fixable === true,
        disabledByDefault: defaultLevel === 'off',
        description: meta.description,
      };
      if (meta.severityReason) info.severityReason = meta.severityReason;
      if (meta.docs?.url) info.url = meta.docs.url;
      infos.push(info);
    }
  }
  return infos.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** The presets column: the declared ones (`recommended` implies `strict`), or `all` when only `all` has it. */
export function presetLabel(presets: readonly PresetName[]): string {
  const shown = presets.filter((p) => p !== 'all' && !(p === 'strict' && presets.includes('recommended')));
  return shown.length > 0 ? shown.join(',') : 'all';
}

/** The text listing: a header, one rule per line, aligned, and a count at the end. */
export function formatRulesText(rules: readonly RuleInfo[]): string {
  const rows = [
    ['RULE', 'DEFAULT', 'LEVEL', 'PRESETS', 'FLAGS', 'DESCRIPTION'],
    ...rules.map((r) => [r.id, r.defaultLevel, r.severity, presetLabel(r.presets), r.fixable ? 'fix' : '', r.description]),
  ];
  const widths = [0, 1, 2, 3, 4].map((col) => Math.max(...rows.map((row) => row[col]!.length)));
  const lines = rows.map((row) => [...row.slice(0, 5).map((cell, col) => cell.padEnd(widths[col]!)), row[5]].join('  '));
  const fixable = rules.filter((r) => r.fixable).length;
  const enabled = rules.filter((r) => r.defaultLevel !== 'off').length;
  lines.push(
    '',
    `${rules.length} rules (${fixable} fixable, ${enabled} on by default). DEFAULT is the level under the recommended preset; ` +
      '`"extends"` in nixforge.config.json chooses others. `nixforge explain RULE` shows one with examples.',
  );
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
