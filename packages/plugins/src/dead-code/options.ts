import type { Declaration } from '@nixforge/core';

/** deadnix's switches, accepted by every `dead-code/*` rule. */
export interface DeadCodeOptions extends Record<string, unknown> {
  /** Do not report unused lambda arguments and `@` names (deadnix `--no-lambda-arg`). */
  noLambdaArg: boolean;
  /** Do not report unused formals of `{ ... }:` patterns (deadnix `--no-lambda-pattern-names`). */
  noLambdaPatternNames: boolean;
  /** Do not report any `_`-prefixed name (deadnix `--no-underscore`). */
  noUnderscore: boolean;
  /**
   * Also report unused names that belong to a function's interface, as deadnix does: module and flake
   * `outputs` arguments, formals forwarded through a used `@` name, defaulted arguments of entry points,
   * closed patterns of callbacks, and lambda arguments fixed by arity (`final: prev:`, `n: v:`, `map (x: ...)`).
   * Off by default: the caller decides what such a function takes, so the name cannot simply go.
   */
  reportInterfaceArgs: boolean;
  /**
   * Report unused formals of `callPackage` packages (`{ lib, stdenv, dtc }:` that never uses `dtc`): dead
   * dependencies. Off by default (deadnix #24/#67): callers and overrides may pass them by name, and a closed
   * pattern then breaks without them. `reportInterfaceArgs` turns this on too.
   */
  reportPackageArgs: boolean;
}

export const DEFAULT_OPTIONS: DeadCodeOptions = {
  noLambdaArg: false,
  noLambdaPatternNames: false,
  noUnderscore: false,
  reportInterfaceArgs: false,
  reportPackageArgs: false,
};

/** Whether options or naming conventions exempt a dead declaration from being reported. */
export function isExempt(declaration: Declaration, options: DeadCodeOptions): boolean {
  const underscore = declaration.name.startsWith('_');
  if (underscore && options.noUnderscore) return true;
  switch (declaration.kind) {
    case 'lambda-arg':
      return underscore || options.noLambdaArg;
    case 'pattern-name':
      return underscore || options.noLambdaArg;
    case 'formal':
      return options.noLambdaPatternNames;
    default:
      return false;
  }
}
