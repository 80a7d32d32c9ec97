import { defineRule } from '@nixforge/core';
import { ruleDocsUrl } from '../security/docs-url.js';
import { collectDepsFacts, DEPS_FACTS_KEY, locationOfAt, type DepsFacts } from './facts.js';
import { resolvedImports, type DepsProject, type ResolvedImport } from './project.js';
import { stronglyConnectedComponents } from './strongly-connected.js';
import { reportMessage } from './report.js';

const MESSAGES = {
  importCycle: 'import cycle: {{cycle}}',
  /** The group of files that import each other is larger than the cycle shown. */
  importCycleInGroup: 'import cycle: {{cycle}} ({{count}} files import each other in this group)',
};

/** The shortest cycle from `start` back to itself inside one component (breadth-first), as node indices. */
function shortestCycle(start: number, inComponent: (node: number) => boolean, successors: (node: number) => readonly number[]): number[] {
  const parent = new Map<number, number>();
  const queue = [start];
  for (let head = 0; head < queue.length; head += 1) {
    const node = queue[head]!;
    for (const to of successors(node)) {
      if (to === start) {
        if (node === start) continue; // a self-import is reported on its own
        const path = [node];
        for (let step = parent.get(node); step !== undefined; step = parent.get(step)) path.push(step);
        return path.reverse();
      }
      if (!inComponent(to) || parent.has(to)) continue;
      parent.set(to, node);
      queue.push(to);
    }
  }
  return [start];
}

/**
 * Import cycles among the scanned files, as a project check over the import graph: each strongly connected
 * component is one finding, on the file whose path sorts first, at its import of the next file on the
 * shortest cycle through it. Independent of how files were split between threads, machines or the cache.
 */
export const importCycle = defineRule({
  meta: {
    description: 'Files import each other in a cycle.',
    severity: 'warning',
    messages: MESSAGES,
    docs: {
      explanation:
        'A cycle of `import`s evaluates forever (infinite recursion) as soon as the values depend on each ' +
        'other, and even when laziness saves it, the structure is hard to follow. Move the shared part into a ' +
        'third file both import. Each group of files that import each other is reported once, on the file whose ' +
        'path sorts first, at its import of the next file on the shortest cycle; cycles are found among the ' +
        'scanned files, whatever the cache or `--changed-since` left unanalysed.',
      bad: 'import ./example.nix',
      good: '{ value = 1; }',
      url: ruleDocsUrl('deps', 'import-cycle'),
    },
  },
  factsKey: DEPS_FACTS_KEY,
  collect: collectDepsFacts,
  check(project: DepsProject) {
    const files = project.files;
    const indexOf = new Map(files.map((file, i) => [file.absolutePath, i]));
    const byFile = resolvedImports(project);
    const edges: Array<Array<{ to: number; ref: ResolvedImport }>> = files.map((file) => {
      const out: Array<{ to: number; ref: ResolvedImport }> = [];
      for (const ref of byFile.get(file.absolutePath) ?? []) {
        const to = ref.exists ? indexOf.get(ref.target) : undefined;
        if (to !== undefined) out.push({ to, ref });
      }
      return out;
    });
    const targets = edges.map((out) => [...new Set(out.map((e) => e.to))]);
    const successors = (node: number): readonly number[] => targets[node]!;
    const report = (owner: number, ref: ResolvedImport, cycle: number[], component: number[]): void => {
      const names = [...cycle, owner].map((n) => files[n]!.path).join(' -> ');
      const location = locationOfAt(ref.fact.at);
      reportMessage(project, MESSAGES, {
        file: files[owner]!.path,
        ...(location ? { location } : {}),
        ...(component.length > cycle.length
          ? { messageId: 'importCycleInGroup', data: { cycle: names, count: component.length } }
          : { messageId: 'importCycle', data: { cycle: names } }),
        symbol: ref.fact.spec,
        related: component.filter((n) => n !== owner).sort((a, b) => a - b).map((n) => files[n]!.absolutePath),
      });
    };
    // A file that imports itself is a cycle of its own, reported at that import.
    files.forEach((_, node) => {
      const self = edges[node]!.find((e) => e.to === node);
      if (self) report(node, self.ref, [node], [node]);
    });
    for (const component of stronglyConnectedComponents(files.length, successors)) {
      if (component.length === 1) continue;
      // files are sorted by path, so the smallest index is the stable file to report on
      const owner = Math.min(...component);
      const members = new Set(component);
      const cycle = shortestCycle(owner, (n) => members.has(n) && n !== owner, successors);
      const ref = edges[owner]!.find((e) => e.to === (cycle[1] ?? owner))!.ref;
      report(owner, ref, cycle, component);
    }
  },
});

export type { DepsFacts };
