import { defineRule, type RuleContext, type TextRange } from '@nixforge/core';
import { ruleDocsUrl } from '../security/docs-url.js';
import { flakeAnalysis, type FlakeFacts } from './analyses.js';
import { isNixpkgsNode, reachableNodes, type FlakeLock } from './flake-lock.js';

const FILE_START: TextRange = { start: 0, end: 0 };

/** The flake facts of a flake.nix with a readable lock, or undefined (not a flake, or no usable lock). */
function lockedFlake(context: RuleContext<any>): (FlakeFacts & { lock: FlakeLock }) | undefined {
  if (context.fileType !== 'flake') return undefined;
  const facts = context.getAnalysis(flakeAnalysis);
  return facts.lock ? (facts as FlakeFacts & { lock: FlakeLock }) : undefined;
}

function rangeOfInput(facts: FlakeFacts, name: string): TextRange {
  return facts.inputs.find((i) => i.name === name)?.range ?? facts.inputsRange ?? FILE_START;
}

/** Inputs of flake.nix that flake.lock does not lock (or no usable flake.lock at all). */
export const missingInputLock = defineRule({
  meta: {
    description: 'A flake input is not in flake.lock (or flake.lock is missing or unreadable).',
    severity: 'warning',
    docs: {
      explanation:
        'An input that is not locked is resolved afresh on every evaluation, so builds change without a commit ' +
        'and `nix flake check` in CI differs from your machine. Run `nix flake lock` and commit flake.lock.',
      bad: '{\n  inputs.unlocked.url = "github:example/unlocked";\n  outputs = { self, ... }: { };\n}',
      good: '{\n  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-unstable";\n  outputs = { self, ... }: { };\n}',
      url: ruleDocsUrl('deps', 'missing-input-lock'),
    },
  },
  create(context) {
    return {
      onEnd() {
        if (context.fileType !== 'flake') return;
        const facts = context.getAnalysis(flakeAnalysis);
        if (facts.lockError) {
          context.report({ range: facts.inputsRange ?? FILE_START, message: facts.lockError });
          return;
        }
        if (!facts.lock) {
          if (facts.inputs.length > 0) {
            context.report({ range: facts.inputsRange ?? FILE_START, message: 'no flake.lock beside flake.nix: inputs are not locked' });
          }
          return;
        }
        const locked = facts.lock.nodes.get(facts.lock.root)!.inputs;
        for (const input of facts.inputs) {
          if (!Object.hasOwn(locked, input.name)) {
            context.report({ range: input.range, message: `input \`${input.name}\` is not in flake.lock: run \`nix flake lock\``, symbol: input.name });
          }
        }
      },
    };
  },
});

/** Inputs that bring their own copy of nixpkgs into the lock. */
export const duplicateNixpkgs = defineRule({
  meta: {
    description: 'An input brings its own nixpkgs, so the lock holds several nixpkgs instances.',
    severity: 'warning',
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
  create(context) {
    return {
      onEnd() {
        const facts = lockedFlake(context);
        if (!facts) return;
        const lock = facts.lock;
        const rootInputs = lock.nodes.get(lock.root)!.inputs;
        const direct = new Set(Object.values(rootInputs).filter((ref): ref is string => typeof ref === 'string'));
        for (const input of facts.inputs) {
          const name = input.name;
          const ref = rootInputs[name];
          if (typeof ref !== 'string' || isNixpkgsNode(lock.nodes.get(ref)!)) continue;
          const extra = [...reachableNodes(lock, ref)].filter((key) => !direct.has(key) && isNixpkgsNode(lock.nodes.get(key)!));
          if (extra.length === 0) continue;
          const own = lock.nodes.get(ref)!.inputs;
          const via = Object.entries(own).find(([, sub]) => typeof sub === 'string' && extra.includes(sub))?.[0];
          // Already fixed in flake.nix; the lock catches up on the next `nix flake lock`.
          if (via !== undefined && Object.hasOwn(input.inputFollows, via)) continue;
          const hint = via ? `: add \`inputs.${name}.inputs.${via}.follows = "nixpkgs";\`` : ': make its inputs follow your nixpkgs';
          context.report({
            range: rangeOfInput(facts, name),
            message: `input \`${name}\` brings its own nixpkgs (lock node ${extra.map((k) => `\`${k}\``).join(', ')})${hint}`,
            symbol: name,
          });
        }
      },
    };
  },
});

const DAY_SECONDS = 86_400;

/** Inputs declared in flake.nix whose lock is older than `maxAgeDays`. */
export const staleInput = defineRule<{ maxAgeDays: number }>({
  meta: {
    description: 'A flake input is locked to a revision older than the configured age.',
    severity: 'info',
    defaultOptions: { maxAgeDays: 180 },
    docs: {
      explanation:
        'Old locks miss security fixes: an input locked a year ago carries a year of unpatched vulnerabilities. ' +
        'Run `nix flake update <input>` regularly (or automate it). Option `maxAgeDays` (default 180) sets the ' +
        'age, measured from the locked revision\'s `lastModified`.',
      bad: '{\n  inputs.old.url = "github:example/old";\n  outputs = { self, ... }: { };\n}',
      good: '{\n  inputs.fresh.url = "github:example/fresh";\n  outputs = { self, ... }: { };\n}',
      url: ruleDocsUrl('deps', 'stale-input'),
    },
  },
  create(context) {
    return {
      onEnd() {
        const facts = lockedFlake(context);
        if (!facts) return;
        const maxAgeDays = Number(context.options.maxAgeDays);
        const now = Date.now() / 1000;
        const rootInputs = facts.lock.nodes.get(facts.lock.root)!.inputs;
        for (const { name } of facts.inputs) {
          const ref = rootInputs[name];
          if (typeof ref !== 'string') continue;
          const lastModified = facts.lock.nodes.get(ref)!.locked?.lastModified;
          if (lastModified === undefined) continue;
          const days = Math.floor((now - lastModified) / DAY_SECONDS);
          if (days <= maxAgeDays) continue;
          const date = new Date(lastModified * 1000).toISOString().slice(0, 10);
          context.report({
            range: rangeOfInput(facts, name),
            message: `input \`${name}\` is locked to a revision from ${date} (${days} days old, limit ${maxAgeDays})`,
            symbol: name,
          });
        }
      },
    };
  },
});
