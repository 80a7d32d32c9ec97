import { isAbsolute, resolve } from 'node:path';
import type { RuleLevel, RuleSetting } from '@nixforge/core';
import type { RuleSettings } from './protocol.js';

/**
 * The server's settings: the `nixforge` section of the editor's configuration (pushed with
 * `workspace/didChangeConfiguration`, pulled with `workspace/configuration`, or given as
 * `initializationOptions`). Unknown keys are ignored; a bad value is reported and its default used.
 */
export interface ServerSettings {
  rules: RuleSettings;
  /** Quiet time after an edit before the document is analysed. */
  debounceMs: number;
  /** A document whose analysis takes longer gets one diagnostic saying so. */
  fileTimeoutMs: number;
}

/**
 * No debounce by default: an edit is analysed at once when the worker is idle, and while it is busy, queued
 * versions of a document replace each other, so a burst of typing costs one analysis more than the last,
 * not one per keystroke. A debounce only added its delay to every edit's latency.
 */
export const DEFAULT_SETTINGS: ServerSettings = { rules: {}, debounceMs: 0, fileTimeoutMs: 10_000 };

const LEVELS: readonly RuleLevel[] = ['off', 'info', 'warning', 'error'];

function isRuleSetting(value: unknown): value is RuleSetting {
  if (typeof value === 'string') return (LEVELS as readonly string[]).includes(value);
  return (
    Array.isArray(value) &&
    value.length >= 1 &&
    value.length <= 2 &&
    (LEVELS as readonly unknown[]).includes(value[0]) &&
    (value[1] === undefined || (typeof value[1] === 'object' && value[1] !== null && !Array.isArray(value[1])))
  );
}

function nonNegativeInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}

/** Reads the `nixforge` settings object; relative paths resolve against `root` (the workspace folder). */
export function parseSettings(value: unknown, root: string, problems: string[]): ServerSettings {
  const settings: ServerSettings = { ...DEFAULT_SETTINGS, rules: {} };
  if (value === undefined || value === null) return settings;
  if (typeof value !== 'object' || Array.isArray(value)) {
    problems.push('nixforge settings: expected an object');
    return settings;
  }
  const raw = value as Record<string, unknown>;
  if (raw.configFile !== undefined && raw.configFile !== null && raw.configFile !== '') {
    if (typeof raw.configFile === 'string') settings.rules.configFile = resolve(root, raw.configFile);
    else problems.push('nixforge.configFile: expected a path');
  }
  if (raw.plugins !== undefined) {
    if (Array.isArray(raw.plugins) && raw.plugins.every((p) => typeof p === 'string')) {
      settings.rules.plugins = (raw.plugins as string[]).map((p) => (p.startsWith('.') || isAbsolute(p) ? resolve(root, p) : p));
    } else problems.push('nixforge.plugins: expected a list of paths or package names');
  }
  if (raw.rules !== undefined) {
    if (typeof raw.rules === 'object' && raw.rules !== null && !Array.isArray(raw.rules)) {
      const rules: Record<string, RuleSetting> = {};
      for (const [id, setting] of Object.entries(raw.rules as Record<string, unknown>)) {
        if (isRuleSetting(setting)) rules[id] = setting;
        else problems.push(`nixforge.rules.${id}: expected one of ${LEVELS.join(', ')} or [level, options]`);
      }
      settings.rules.rules = rules;
    } else problems.push('nixforge.rules: expected an object of rule ids to levels');
  }
  if (raw.debounceMs !== undefined) {
    if (nonNegativeInteger(raw.debounceMs)) settings.debounceMs = raw.debounceMs;
    else problems.push('nixforge.debounceMs: expected a whole number of milliseconds');
  }
  if (raw.fileTimeoutMs !== undefined) {
    if (nonNegativeInteger(raw.fileTimeoutMs) && raw.fileTimeoutMs > 0) settings.fileTimeoutMs = raw.fileTimeoutMs;
    else problems.push('nixforge.fileTimeoutMs: expected a positive whole number of milliseconds');
  }
  return settings;
}
