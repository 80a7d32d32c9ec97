import type { Plugin, Rule } from '@nixforge/core';
import { DEFAULT_PRESET, indexAliases, indexRules, presetLevel, presetsOf } from '@nixforge/core';
import { UsageError } from '../errors.js';
import { commandHelp } from '../help.js';
import type { CliIO } from '../io.js';
import { LISTING_FLAGS, parseListingArgs, pluginsFor } from './rules.js';

export const EXPLAIN_HELP = commandHelp({
  usage: 'Usage: nixforge explain RULE [options]',
  about: `Explain a rule: what it reports, why, and a bad and a good example. RULE is <plugin>/<rule>, e.g.
security/unpinned-fetcher (see \`nixforge rules\`).`,
  flags: LISTING_FLAGS,
});

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => (line ? `    ${line}` : ''))
    .join('\n');
}

/** The explanation of one rule as plain text. */
export function formatExplanation(id: string, rule: Rule<any>): string {
  const { meta } = rule;
  const onByDefault = presetLevel(meta, [DEFAULT_PRESET]) !== 'off';
  const tags = [meta.severity, meta.fixable ? 'fixable' : '', onByDefault ? '' : 'off by default'].filter(Boolean);
  const parts = [`${id} (${tags.join(', ')})`, '', meta.description, ''];
  parts.push(`Level: ${meta.severity}${meta.severityReason ? ` - ${meta.severityReason}` : ''}`);
  parts.push(`Presets: ${presetsOf(meta).join(', ')}`);
  if (meta.aliases && meta.aliases.length > 0) parts.push(`Also known as: ${meta.aliases.join(', ')}`);
  if (meta.tags && meta.tags.length > 0) parts.push(`Tags: ${meta.tags.join(', ')}`);
  if (meta.docs?.explanation) parts.push('', meta.docs.explanation);
  if (meta.docs?.bad) parts.push('', 'Bad:', '', indent(meta.docs.bad));
  if (meta.docs?.good) parts.push('', 'Good:', '', indent(meta.docs.good));
  if (meta.defaultOptions && Object.keys(meta.defaultOptions).length > 0) {
    parts.push('', `Options (defaults): ${JSON.stringify(meta.defaultOptions)}`);
  }
  if (meta.docs?.url) parts.push('', `Documentation: ${meta.docs.url}`);
  return `${parts.join('\n')}\n`;
}

/** Finds a rule by id; unknown ids throw a UsageError naming the id and suggesting close ones. */
export function findRule(plugins: readonly Plugin[], id: string): Rule<any> {
  const rules = indexRules(plugins);
  const rule = rules.get(id) ?? rules.get(indexAliases(rules).get(id) ?? '');
  if (rule) return rule;
  const name = id.includes('/') ? id.slice(id.indexOf('/') + 1) : id;
  const similar = [...rules.keys()].filter((key) => key.endsWith(`/${name}`) || key.startsWith(`${id}/`));
  const hint = similar.length > 0 ? `; did you mean ${similar.slice(0, 5).join(', ')}?` : ' (see `nixforge rules`)';
  throw new UsageError(`unknown rule '${id}'${hint}`);
}

/** `nixforge explain` with an explicit plugin list (what the integration and tests call). */
export function printExplanation(plugins: readonly Plugin[], id: string, format: string, io: CliIO): number {
  const rule = findRule(plugins, id);
  const rules = indexRules(plugins);
  const canonical = rules.has(id) ? id : indexAliases(rules).get(id) ?? id;
  if (format === 'json') {
    const json = { id: canonical, ...rule.meta, presets: presetsOf(rule.meta), defaultLevel: presetLevel(rule.meta, [DEFAULT_PRESET]) };
    io.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
  } else {
    io.stdout.write(formatExplanation(canonical, rule));
  }
  return 0;
}

export async function run(args: string[], io: CliIO): Promise<number> {
  const parsed = parseListingArgs(args, EXPLAIN_HELP, io);
  if (!parsed) return 0;
  if (parsed.positionals.length !== 1) throw new UsageError('expected exactly one RULE, e.g. `nixforge explain security/unpinned-fetcher`');
  return printExplanation(await pluginsFor(io, parsed.values), parsed.positionals[0]!, parsed.format, io);
}
