import type { Plugin, PresetName, Rule, RuleLevel, Severity } from './plugin-api.js';
import { DEFAULT_PRESET, isPresetName, presetLevel } from './presets.js';
import { ruleOptionsProblem } from './rule-options.js';

/** A rule as configured for a run: its id, implementation, effective severity and merged options. */
export interface ResolvedRule {
  id: string;
  rule: Rule<any>;
  severity: Severity;
  options: Record<string, unknown>;
}

/** A rule's entry in `rules` of the configuration: a level, or `[level, options]`. */
export type RuleSetting = RuleLevel | [RuleLevel, Record<string, unknown>?];

/** Thrown for configuration that names something that does not exist; the message names it. */
export class RuleConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RuleConfigError';
  }
}

/** Every rule of every plugin, keyed by `<plugin>/<rule>`. Duplicate plugin names are an error. */
export function indexRules(plugins: readonly Plugin[]): Map<string, Rule<any>> {
  const rules = new Map<string, Rule<any>>();
  const seen = new Set<string>();
  for (const plugin of plugins) {
    if (seen.has(plugin.name)) throw new RuleConfigError(`two plugins are named "${plugin.name}"`);
    seen.add(plugin.name);
    for (const [name, rule] of Object.entries(plugin.rules)) rules.set(`${plugin.name}/${name}`, rule);
  }
  return rules;
}

/** How the rules of a run are chosen besides the `rules` settings. */
export interface ResolveOptions {
  /**
   * The configuration's `extends`: one preset or a list (later entries win). A rule runs at its severity when
   * one of them contains it. Default: `recommended`.
   */
  extends?: PresetName | readonly PresetName[];
}

/** Former rule ids (`meta.aliases`) mapped to the rule that now carries them. Two claims of one alias throw. */
export function indexAliases(rules: ReadonlyMap<string, Rule<any>>): Map<string, string> {
  const aliases = new Map<string, string>();
  for (const [id, rule] of rules) {
    for (const alias of rule.meta.aliases ?? []) {
      const other = aliases.get(alias);
      if ((other !== undefined && other !== id) || (rules.has(alias) && alias !== id)) {
        throw new RuleConfigError(`rule ${id} declares the alias ${alias}, which ${other ?? alias} already is`);
      }
      aliases.set(alias, id);
    }
  }
  return aliases;
}

/** The presets of an `extends` value, checked; an unknown name throws, naming it. */
export function extendedPresets(value: ResolveOptions['extends']): PresetName[] {
  const list = value === undefined ? [DEFAULT_PRESET] : typeof value === 'string' ? [value] : [...value];
  for (const name of list) {
    if (!isPresetName(name)) throw new RuleConfigError(`extends: unknown preset "${String(name)}" (one of recommended, strict, style, all)`);
  }
  return list;
}

/**
 * Chooses the rules of a run: the presets of `options.extends` (default `recommended`) enable rules at their
 * severity, then `rules` settings override. Keys may be a rule id, a former id (alias) or a plugin name (all
 * its rules); rule ids and aliases override plugin-wide settings. Unknown keys throw, naming the key, and so do
 * options a rule does not accept (see `ruleOptionsProblem`), naming the rule and the option.
 */
export function resolveRules(
  plugins: readonly Plugin[],
  settings: Readonly<Record<string, RuleSetting>> = {},
  options: ResolveOptions = {},
): ResolvedRule[] {
  const rules = indexRules(plugins);
  const aliases = indexAliases(rules);
  const extended = extendedPresets(options.extends);
  const pluginNames = new Set(plugins.map((p) => p.name));
  const byRule = new Map<string, RuleSetting>();
  for (const [key, setting] of Object.entries(settings)) {
    if (rules.has(key)) byRule.set(key, setting);
    else if (!aliases.has(key) && !pluginNames.has(key)) {
      throw new RuleConfigError(`rules.${key}: no such rule or plugin (see \`nixforge rules\`)`);
    }
  }
  // A setting under a rule's own id wins over one under a former id.
  for (const [alias, id] of aliases) {
    const setting = settings[alias];
    if (setting !== undefined && !byRule.has(id)) byRule.set(id, setting);
  }
  const resolved: ResolvedRule[] = [];
  for (const [id, rule] of rules) {
    const plugin = id.slice(0, id.indexOf('/'));
    const setting = byRule.get(id) ?? settings[plugin];
    const [level, ruleOptions] = Array.isArray(setting) ? setting : [setting, undefined];
    if (ruleOptions !== undefined && byRule.has(id)) {
      const problem = ruleOptionsProblem(rule, ruleOptions);
      if (problem !== undefined) throw new RuleConfigError(`rules.${id}: ${problem}`);
    }
    const effective: RuleLevel = level ?? presetLevel(rule.meta, extended);
    if (effective === 'off') continue;
    resolved.push({
      id,
      rule,
      severity: effective,
      options: { ...(rule.meta.defaultOptions ?? {}), ...(ruleOptions ?? {}) },
    });
  }
  resolved.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return resolved;
}
