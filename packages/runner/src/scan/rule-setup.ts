import { resolveRules, type Plugin, type ResolvedRule } from '@nixforge/core';
import { builtinPlugins } from '@nixforge/plugins';
import { importPlugin } from '../config/index.js';
import type { RuleSetup } from './task.js';

const cache = new Map<string, Promise<ResolvedRule[]>>();

/** Builds (once per thread and setup) the resolved rules a worker runs. */
export function rulesFor(setup: RuleSetup): Promise<ResolvedRule[]> {
  const key = JSON.stringify(setup);
  let rules = cache.get(key);
  if (!rules) {
    rules = (async () => {
      const extra: Plugin[] = [];
      for (let i = 0; i < setup.pluginUrls.length; i += 1) {
        extra.push(await importPlugin(setup.pluginUrls[i]!, setup.pluginSpecifiers[i] ?? setup.pluginUrls[i]!));
      }
      return resolveRules([...builtinPlugins, ...extra], setup.rules, { extends: setup.extends });
    })();
    cache.set(key, rules);
  }
  return rules;
}
