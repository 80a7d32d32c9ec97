import { join } from 'node:path';
import deps from '../src/deps/index.js';
import { FIXTURES, describePluginRules } from './rule-harness.js';

const FLAKE_RULES = new Set(['missing-input-lock', 'duplicate-nixpkgs', 'stale-input']);

describePluginRules(deps, {
  dir: join(FIXTURES, 'deps/docs-example'),
  fileName: (rule) => (FLAKE_RULES.has(rule) ? 'flake.nix' : 'example.nix'),
});
