import { defineRule, type FileLocation, type ProjectFile } from '@nixforge/core';
import { isTestOrExample } from '../shared/file-roles.js';
import { ruleDocsUrl } from '../security/docs-url.js';
import { collectDepsFacts, DEPS_FACTS_KEY, locationOfAt, type DepsFacts, type FlakeFact } from './facts.js';
import { isNixpkgsNode, reachableNodes, type FlakeLock, type LockNode } from './flake-lock.js';
import { flakesOf, lockBeside, type DepsProject } from './project.js';
import { declaredTemplateDirs, isTemplate } from './templates.js';
import { reportMessage } from './report.js';

type FlakeFile = ProjectFile<DepsFacts> & { facts: DepsFacts & { flake: FlakeFact } };

function inputLocation(flake: FlakeFact, name: string): FileLocation | undefined {
  return locationOfAt(flake.inputs.find((i) => i.name === name)?.at ?? flake.inputsAt);
}

function at(location: FileLocation | undefined): { location?: FileLocation } {
  return location ? { location } : {};
}

/** Each flake.nix whose flake.lock can be read, with the lock. */
function lockedFlakes(project: DepsProject): Array<{ file: FlakeFile; lock: FlakeLock; lockPath: string }> {
  const out: Array<{ file: FlakeFile; lock: FlakeLock; lockPath: string }> = [];
  for (const file of flakesOf(project)) {
    const state = lockBeside(project, file.absolutePath);
    if (state.lock) out.push({ file, lock: state.lock, lockPath: state.lockPath });
  }
  return out;
}

/** Directories of documentation snippets and drafts, whose flakes are read or copied, not locked in place. */
const UNLOCKED_DIRS = /^(docs?|tutorials?|drafts?)$/i;

function shipsUnlocked(path: string): boolean {
  return isTestOrExample(path, '') || path.split(/[\\/]/).slice(0, -1).some((segment) => UNLOCKED_DIRS.test(segment));
}

const MISSING_INPUT_LOCK_MESSAGES = {
  /** The lock parser's own text: the file and what is wrong in it. */
  unreadableLock: '{{error}}',
  noLock: 'no flake.lock beside flake.nix: inputs are not locked',
  inputNotLocked: 'input `{{name}}` is not in flake.lock: run `nix flake lock`',
};

/** Inputs of flake.nix that flake.lock does not lock (or no usable flake.lock at all). */
export const missingInputLock = defineRule({
  meta: {
    description: 'A flake input is not in flake.lock (or flake.lock is missing or unreadable).',
    severity: 'warning',
    messages: MISSING_INPUT_LOCK_MESSAGES,
    docs: {
      explanation:
        'An input that is not locked is resolved afresh on every evaluation, so builds change without a commit ' +
        'and `nix flake check` in CI differs from your machine. Run `nix flake lock` and commit flake.lock. ' +
        'Flake templates (directories named by `templates.<name>.path` of a scanned flake, or under a ' +
        '`templates/` directory) ship without a lock, or with one their user completes, and are not reported; ' +
        'nor are flakes without any flake.lock under `examples/`, `tests/`, `docs/` or `tutorials/`, which are copied or run afresh.',
      bad: '{\n  inputs.unlocked.url = "github:example/unlocked";\n  outputs = { self, ... }: { };\n}',
      good: '{\n  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-unstable";\n  outputs = { self, ... }: { };\n}',
      url: ruleDocsUrl('deps', 'missing-input-lock'),
    },
  },
  factsKey: DEPS_FACTS_KEY,
  collect: collectDepsFacts,
  check(project: DepsProject) {
    let templateDirs: Set<string> | undefined;
    for (const file of flakesOf(project)) {
      const flake = file.facts.flake;
      const state = lockBeside(project, file.absolutePath);
      const related = [state.lockPath];
      const where = at(locationOfAt(flake.inputsAt));
      if (state.error) {
        reportMessage(project, MISSING_INPUT_LOCK_MESSAGES, { file: file.path, ...where, messageId: 'unreadableLock', data: { error: state.error }, related });
        continue;
      }
      templateDirs ??= declaredTemplateDirs(project);
      // A template is copied by `nix flake init` and locked by its user: it ships without flake.lock on purpose,
      // or with one its user's first `nix flake lock` completes.
      if (isTemplate(file, templateDirs)) continue;
      if (!state.lock) {
        if (flake.inputs.length === 0) continue;
        // Examples, tutorials and test flakes are copied or run with a fresh lock (`nix flake init`-like use).
        if (shipsUnlocked(file.path)) continue;
        reportMessage(project, MISSING_INPUT_LOCK_MESSAGES, { file: file.path, ...where, messageId: 'noLock', related });
        continue;
      }
      const locked = state.lock.nodes.get(state.lock.root)!.inputs;
      for (const input of flake.inputs) {
        if (Object.hasOwn(locked, input.name)) continue;
        reportMessage(project, MISSING_INPUT_LOCK_MESSAGES, {
          file: file.path,
          ...at(locationOfAt(input.at)),
          messageId: 'inputNotLocked',
          data: { name: input.name },
          symbol: input.name,
          related,
        });
      }
    }
  },
});

const DUPLICATE_NIXPKGS_MESSAGES = {
  /** The lock shows which of the input's own inputs brings the copy: `via`. */
  ownNixpkgsVia: 'input `{{name}}` brings its own nixpkgs (lock node {{nodes}}): add `inputs.{{name}}.inputs.{{via}}.follows = "nixpkgs";`',
  ownNixpkgs: 'input `{{name}}` brings its own nixpkgs (lock node {{nodes}}): make its inputs follow your nixpkgs',
};

/** Inputs that bring their own copy of nixpkgs into the lock. */
export const duplicateNixpkgs = defineRule({
  meta: {
    description: 'An input brings its own nixpkgs, so the lock holds several nixpkgs instances.',
    severity: 'warning',
    messages: DUPLICATE_NIXPKGS_MESSAGES,
    docs: {
      explanation:
        'Every nixpkgs in flake.lock is downloaded and evaluated separately: more disk, slower evaluation and ' +
        'packages built against different library versions. Make the input use yours with ' +
        '`inputs.<name>.inputs.nixpkgs.follows = "nixpkgs"`. Inputs you declare yourself as nixpkgs (e.g. ' +
        '`nixpkgs-unstable`) are intended and not reported.',
      bad: '{\n  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-unstable";\n  inputs.home-manager.url = "github:nix-community/home-manager";\n  outputs = { self, ... }: { };\n}',
      good:
        '{\n  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-unstable";\n  inputs.home-manager.url = "github:nix-community/home-manager";\n' +
        '  inputs.home-manager.inputs.nixpkgs.follows = "nixpkgs";\n  outputs = { self, ... }: { };\n}',
      url: ruleDocsUrl('deps', 'duplicate-nixpkgs'),
    },
  },
  factsKey: DEPS_FACTS_KEY,
  collect: collectDepsFacts,
  check(project: DepsProject) {
    for (const { file, lock, lockPath } of lockedFlakes(project)) {
        const flake = file.facts.flake;
        const rootInputs = lock.nodes.get(lock.root)!.inputs;
        const direct = new Set(Object.values(rootInputs).filter((ref): ref is string => typeof ref === 'string'));
        for (const input of flake.inputs) {
          const name = input.name;
          const ref = rootInputs[name];
          if (typeof ref !== 'string' || isNixpkgsNode(lock.nodes.get(ref)!)) continue;
          const extra = [...reachableNodes(lock, ref)].filter((key) => !direct.has(key) && isNixpkgsNode(lock.nodes.get(key)!));
          if (extra.length === 0) continue;
          const own = lock.nodes.get(ref)!.inputs;
          const via = Object.entries(own).find(([, sub]) => typeof sub === 'string' && extra.includes(sub))?.[0];
          // Already fixed in flake.nix; the lock catches up on the next `nix flake lock`.
          if (via !== undefined && Object.hasOwn(input.inputFollows ?? {}, via)) continue;
          const nodes = extra.map((k) => `\`${k}\``).join(', ');
          reportMessage(project, DUPLICATE_NIXPKGS_MESSAGES, {
            file: file.path,
            ...at(inputLocation(flake, name)),
            ...(via ? { messageId: 'ownNixpkgsVia', data: { name, nodes, via } } : { messageId: 'ownNixpkgs', data: { name, nodes } }),
            symbol: name,
            related: [lockPath],
          });
        }
    }
  },
});

const DAY_SECONDS = 86_400;

/** An input pinned to a revision in flake.nix (`?rev=`, `/<40 hex>`): `nix flake update` does not move it. */
function isPinned(node: LockNode): boolean {
  const original = node.original;
  if (!original) return false;
  if (typeof original.rev === 'string') return true;
  return typeof original.ref === 'string' && /^[0-9a-f]{40}$/.test(original.ref);
}

/**
 * A flake.lock that has not been refreshed for `maxAgeDays`. Offline, nixforge cannot know whether an
 * input's upstream has newer revisions, so it judges the lock as a whole: `nix flake update` moves every
 * unpinned input to its newest revision, so the newest `lastModified` among the declared inputs is a lower
 * bound on when the lock was last refreshed. Only when even that is older than the limit is the flake
 * reported, once, at its `inputs`. A single old input in a recently refreshed lock is not reported: its
 * upstream has probably not moved (or it was kept back on purpose).
 */
const STALE_INPUT_MESSAGES = {
  staleLock:
    'flake.lock has not been refreshed since {{date}} or earlier (its newest input revision, {{days}} days old, limit {{maxAgeDays}}): run `nix flake update`',
};

export const staleInput = defineRule<{ maxAgeDays: number }>({
  meta: {
    description: 'flake.lock has not been refreshed for longer than the configured age.',
    severity: 'info',
    messages: STALE_INPUT_MESSAGES,
    defaultOptions: { maxAgeDays: 180 },
    docs: {
      explanation:
        'Old locks miss security fixes: a lock not refreshed for a year carries a year of unpatched ' +
        'vulnerabilities. Run `nix flake update` regularly (or automate it). The rule cannot see upstream ' +
        'offline, so it judges the lock as a whole: it reports a flake when the newest `lastModified` among its ' +
        'declared, unpinned inputs is older than `maxAgeDays` (default 180). An old input in a lock refreshed ' +
        'recently is not stale by this measure: its upstream has no newer revision, or it is held back on purpose.',
      bad: '{\n  inputs.old.url = "github:example/old";\n  outputs = { self, ... }: { };\n}',
      good: '{\n  inputs.fresh.url = "github:example/fresh";\n  outputs = { self, ... }: { };\n}',
      url: ruleDocsUrl('deps', 'stale-input'),
    },
  },
  factsKey: DEPS_FACTS_KEY,
  collect: collectDepsFacts,
  check(project) {
    const maxAgeDays = Number(project.options.maxAgeDays);
    const now = Date.now() / 1000;
    for (const { file, lock, lockPath } of lockedFlakes(project as DepsProject)) {
      const flake = file.facts.flake;
      const rootInputs = lock.nodes.get(lock.root)!.inputs;
      let newest: number | undefined;
      for (const { name } of flake.inputs) {
        const ref = rootInputs[name];
        if (typeof ref !== 'string') continue;
        const node = lock.nodes.get(ref)!;
        const lastModified = node.locked?.lastModified;
        if (lastModified === undefined || isPinned(node)) continue;
        newest = newest === undefined ? lastModified : Math.max(newest, lastModified);
      }
      if (newest === undefined) continue;
      const days = Math.floor((now - newest) / DAY_SECONDS);
      if (days <= maxAgeDays) continue;
      const date = new Date(newest * 1000).toISOString().slice(0, 10);
      reportMessage(project, STALE_INPUT_MESSAGES, {
        file: file.path,
        ...at(locationOfAt(flake.inputsAt)),
        messageId: 'staleLock',
        data: { date, days, maxAgeDays },
        related: [lockPath],
      });
    }
  },
});
