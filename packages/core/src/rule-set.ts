import type { Plugin, Rule, RuleLevel, Severity } from './plugin-api.js';

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

/**
 * Applies `rules` settings to the plugins' rules. Keys may be a rule id or a plugin name (all its rules);
 * rule ids override plugin-wide settings. Unknown keys throw, naming the key.
 */
export function resolveRules(
  plugins: readonly Plugin[],
  settings: Readonly<Record<string, RuleSetting>> = {},
): ResolvedRule[] {
  const rules = indexRules(plugins);
  const pluginNames = new Set(plugins.map((p) => p.name));
  for (const key of Object.keys(settings)) {
    if (!rules.has(key) && !pluginNames.has(key)) {
      throw new RuleConfigError(`rules.${key}: no such rule or plugin (see \`nixforge rules\`)`);
    }
  }
  const resolved: ResolvedRule[] = [];
  for (const [id, rule] of rules) {
    const plugin = id.slice(0, id.indexOf('/'));
    const setting = settings[id] ?? settings[plugin];
    const [level, options] = Array.isArray(setting) ? setting : [setting, undefined];
    const effective: RuleLevel | undefined = level ?? (rule.meta.disabledByDefault ? 'off' : undefined);
    if (effective === 'off') continue;
    resolved.push({
      id,
      rule,
      severity: effective ?? rule.meta.severity,
      options: { ...(rule.meta.defaultOptions ?? {}), ...(options ?? {}) },
    });
  }
  resolved.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return resolved;
}
