import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import deps from '../src/deps/index.js';
import { describe, expect, it } from 'vitest';
import { FIXTURES, describePluginRules, runRule } from './rule-harness.js';

const FLAKE_RULES = new Set(['missing-input-lock', 'duplicate-nixpkgs', 'stale-input']);

describePluginRules(deps, {
  dir: join(FIXTURES, 'deps/docs-example'),
  fileName: (rule) => (FLAKE_RULES.has(rule) ? 'flake.nix' : 'example.nix'),
});

describe('deps/missing-import in tests', () => {
  it('checks test and example files with includeTests', () => {
    const path = join(FIXTURES, 'deps/missing-import/good-tests/tests/config-flake.nix');
    const text = readFileSync(path, 'utf8');
    expect(runRule(deps, 'missing-import', path, text)).toEqual([]);
    expect(runRule(deps, 'missing-import', path, text, { includeTests: true }).map((f) => f.message)).toEqual(['`./nix-on-droid.nix` does not exist']);
  });
});
