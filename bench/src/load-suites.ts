import { readdirSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import type { Suite } from './suite.js';

function isSuite(value: unknown): value is Suite {
  return (
    value !== null &&
    typeof value === 'object' &&
    typeof (value as Suite).name === 'string' &&
    typeof (value as Suite).run === 'function'
  );
}

/**
 * Imports every module in `dir` (the compiled bench/src/suites) and collects its suites: the default export,
 * or, when a module has none, every exported Suite. Sorted by name; a module without a suite is an error.
 */
export async function loadSuites(dir: string): Promise<Suite[]> {
  const suites: Suite[] = [];
  // Compiled suites are .js; under vitest the sources (.ts) are imported directly.
  const extension = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
  const modules = readdirSync(dir).filter((f) => f.endsWith(extension) && !f.endsWith('.d.ts')).sort();
  for (const file of modules) {
    const module = (await import(pathToFileURL(join(dir, file)).href)) as Record<string, unknown>;
    const found = isSuite(module.default) ? [module.default] : Object.values(module).filter(isSuite);
    if (found.length === 0) throw new Error(`bench: ${file} exports no Suite (expected a default export with name and run)`);
    for (const suite of found) if (!suites.some((s) => s.name === suite.name)) suites.push(suite);
  }
  return suites.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
