import { dirname, resolve } from 'node:path';
import type { DepsProject } from './project.js';
import { flakesOf } from './project.js';

/** Directory names that hold flake templates (`nix flake init -t` copies them; they ship without a lock). */
const TEMPLATE_DIRS = new Set(['templates', 'template']);

/**
 * Whether a file belongs to a flake template: it lies in a directory that is the `templates.<name>.path` (or
 * `defaultTemplate.path`) of a scanned flake, or under a `templates/` directory of the scanned tree. A template
 * is copied by `nix flake init` and completed by its user: it ships without flake.lock and without the files
 * its user adds (`./configuration.nix`, `./home.nix`).
 */
export function isTemplate(file: { absolutePath: string; path: string }, templateDirs: ReadonlySet<string>): boolean {
  for (let d = dirname(file.absolutePath); ; d = dirname(d)) {
    if (templateDirs.has(d)) return true;
    if (dirname(d) === d) break;
  }
  // The reported path: relative to the working directory, so a checkout under ~/templates/ is not a template.
  const segments = file.path.split(/[\\/]/).slice(0, -1);
  return segments.some((segment) => TEMPLATE_DIRS.has(segment));
}

/** Directories that scanned flakes declare as templates. */
export function declaredTemplateDirs(project: DepsProject): Set<string> {
  const dirs = new Set<string>();
  for (const file of flakesOf(project)) {
    for (const spec of file.facts.flake.templates ?? []) dirs.add(resolve(dirname(file.absolutePath), spec));
  }
  return dirs;
}
