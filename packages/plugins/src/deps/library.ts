/** The dependency library behind the deps rules and `nixforge deps`: flake.lock, flake inputs, import graph. */
export { parseFlakeLock, isNixpkgsNode, reachableNodes, FlakeLockError } from './flake-lock.js';
export type { FlakeLock, LockNode, LockSource } from './flake-lock.js';
export { readFlakeInputs, inputTypeOf } from './flake-inputs.js';
export type { FlakeInput, FlakeInputs } from './flake-inputs.js';
export { collectImports, resolveImportTarget } from './import-graph.js';
export type { ImportRef, ImportKind } from './import-graph.js';
export { readLockBeside } from './analyses.js';
export { buildDepsGraph } from './graph.js';
export type { DepsGraph, DepsEdge, DepsFlake, DepsInput, DepsGraphOptions } from './graph.js';
export { renderDepsGraph, DEPS_FORMATS, type DepsFormat } from './render.js';
export { graphFromFacts, collectFileFacts } from './graph.js';
export type { FactsOfFile } from './graph.js';
export { collectDepsFacts, DEPS_FACTS_KEY } from './facts.js';
export type { DepsFacts, ImportFact, InputFact, FlakeFact } from './facts.js';
