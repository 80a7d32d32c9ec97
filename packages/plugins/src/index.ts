import type { Plugin } from '@nixforge/core';
import nix from './nix/index.js';
import deadCode from './dead-code/index.js';
import security from './security/index.js';
import performance from './performance/index.js';
import lint from './lint/index.js';
import deps from './deps/index.js';

/** The plugins that ship with nixforge, always loaded before configured ones. */
export const builtinPlugins: readonly Plugin[] = [nix, deadCode, security, performance, lint, deps];

export { nix, deadCode, security, performance, lint, deps };
export * from './deps/library.js';
export { computeNixDiagnostics, firstNixError, type NixDiagnostic } from './nix/index.js';
