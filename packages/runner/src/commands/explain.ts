import type { Plugin, Rule } from '@nixforge/core';
import { indexRules } from '@nixforge/core';
import { UsageError } from '../errors.js';
import type { CliIO } from '../io.js';
import { parseListingArgs, pluginsFor } from './rules.js';

export const EXPLAIN_HELP = `Usage: nixforge explain RULE [options]

Explain a rule: what it reports, why, and a bad and a good example. RULE is <plugin>/<rule>, e.g.
security/unpinned-fetcher (see \`nixforge rules\`).

Options:
  -f, --format FORMAT   text (default) or json
      --plugin PATH     also load this plugin module (repeatable)
      --config FILE     use FILE instead of the nearest nixforge.config.json
  -h, --help            show this help
`;

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => (line ? `    ${line}` : ''))
    .join('\n');
}

/** The explanation of one rule as plain text. */
export function formatExplanation(id: string, rule: Rule<any>): string {
  const { meta } = rule;
  const tags = [meta.severity, meta.fixable ? 'fixable' : '', meta.disabledByDefault ? 'off by default' : ''].filter(Boolean);
  const parts = [`${id} (${tags.join(', ')})`, '', meta.description];
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
  const rule = rules.get(id);
  if (rule) return rule;
  const name = id.includes('/') ? id.slice(id.indexOf('/') + 1) : id;
  const similar = [...rules.keys()].filter((key) => key.endsWith(`/${name}`) || key.startsWith(`${id}/`));
  const hint = similar.length > 0 ? `; did you mean ${similar.slice(0, 5).join(', ')}?` : ' (see `nixforge rules`)';
  throw new UsageError(`unknown rule '${id}'${hint}`);
}

/** `nixforge explain` with an explicit plugin list (what the integration and tests call). */
export function printExplanation(plugins: readonly Plugin[], id: string, format: string, io: CliIO): number {
  const rule = findRule(plugins, id);
  if (format === 'json') {
    io.stdout.write(`${JSON.stringify({ id, ...rule.meta }, null, 2)}\n`);
  } else {
    io.stdout.write(formatExplanation(id, rule));
  }
  return 0;
}

export async function run(args: string[], io: CliIO): Promise<number> {
  const parsed = parseListingArgs(args, EXPLAIN_HELP, io);
  if (!parsed) return 0;
  if (parsed.positionals.length !== 1) throw new UsageError('expected exactly one RULE, e.g. `nixforge explain security/unpinned-fetcher`');
  return printExplanation(await pluginsFor(io, parsed.values), parsed.positionals[0]!, parsed.format, io);
}
