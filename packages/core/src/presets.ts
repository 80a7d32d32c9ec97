import type { PresetName, RuleMeta } from './plugin-api.js';

/** Every preset name, in the order `nixforge rules` and the docs list them. */
export const PRESET_NAMES: readonly PresetName[] = ['recommended', 'strict', 'style', 'all'];

/** The preset used when the configuration has no `extends`. */
export const DEFAULT_PRESET: PresetName = 'recommended';

export function isPresetName(value: unknown): value is PresetName {
  return typeof value === 'string' && (PRESET_NAMES as readonly string[]).includes(value);
}

/**
 * The presets that enable a rule, derived from its metadata: `recommended` rules are also in `strict`,
 * every rule is in `all`. Sorted as {@link PRESET_NAMES}.
 */
export function presetsOf(meta: RuleMeta): PresetName[] {
  const declared = new Set<PresetName>(meta.presets ?? (meta.disabledByDefault ? [] : ['recommended']));
  if (declared.has('recommended')) declared.add('strict');
  declared.add('all');
  return PRESET_NAMES.filter((name) => declared.has(name));
}

/** The level a rule runs at under the given presets (the configuration's `extends`): its severity, or off. */
export function presetLevel(meta: RuleMeta, extended: readonly PresetName[]): RuleMeta['severity'] | 'off' {
  const member = presetsOf(meta);
  return extended.some((name) => member.includes(name)) ? meta.severity : 'off';
}
