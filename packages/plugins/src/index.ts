import type { Plugin } from '@nixforge/core';
import nixRules from './nix/index.js';
import deadCodeRules from './dead-code/index.js';
import securityRules from './security/index.js';
import performanceRules from './performance/index.js';
import lintRules from './lint/index.js';
import depsRules from './deps/index.js';
import { withCalibration } from './presets.js';

// Levels, presets and aliases of the built-in rules come from one table (presets.ts), not from the rule files.
const nix = withCalibration(nixRules);
const deadCode = withCalibration(deadCodeRules);
const security = withCalibration(securityRules);
const performance = withCalibration(performanceRules);
const lint = withCalibration(lintRules);
const deps = withCalibration(depsRules);

/** The plugins that ship with nixforge, always loaded before configured ones. */
export const builtinPlugins: readonly Plugin[] = [nix, deadCode, security, performance, lint, deps];

export { nix, deadCode, security, performance, lint, deps };
export * from './deps/library.js';
export { RULE_CALIBRATION, withCalibration, type RuleCalibration } from './presets.js';
export { computeNixDiagnostics, firstNixError, type NixDiagnostic } from './nix/index.js';
