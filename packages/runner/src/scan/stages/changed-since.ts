import { resolve } from 'node:path';
import { changedPathsSince } from '../../git/index.js';
import { locateRepositoryRoot } from '../repository-root.js';
import type { ScanStage, StageContext } from './stage.js';

/**
 * `--changed-since REV`: only files added or changed since REV (and uncommitted changes) are reported, and project
 * findings only where they touch a changed or deleted path.
 */
export function changedSinceStage(since: string, context: StageContext): ScanStage {
  const { io, targets } = context;
  const hasProjectChecks = context.rules.some((rule) => typeof rule.rule.check === 'function');
  let changed = new Set<string>();
  return {
    async selectInputs(inputs) {
      const repo = resolve(io.cwd, targets.length === 1 ? targets[0]! : '.');
      const root = locateRepositoryRoot(repo);
      const paths = await changedPathsSince(root, since, (path) => path.endsWith('.nix') || path === 'flake.lock' || path.endsWith('/flake.lock'));
      changed = new Set(paths.map((p) => resolve(root, p)));
      // Unchanged files still give their facts (from the cache, or collected without running the per-file
      // rules), so project checks see the whole tree; only without project checks are they left out.
      if (!hasProjectChecks) return inputs.filter((input) => changed.has(input.absolutePath));
      return inputs.map((input) => (changed.has(input.absolutePath) ? input : { ...input, factsOnly: true }));
    },
    wantProjectFinding: (files) => files.some((file) => changed.has(file)),
  };
}
