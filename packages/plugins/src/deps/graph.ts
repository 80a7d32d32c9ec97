import { readFileSync } from 'node:fs';
import {
  analyzeSource,
  nodeFileSystem,
  resolveRules,
  SourceFile,
  type ProjectFile,
  type ProjectFileSystem,
  type ResolvedRule,
} from '@nixforge/core';
import type { ImportKind } from './import-graph.js';
import { collectDepsFacts, DEPS_FACTS_KEY, type DepsFacts, type FlakeFact } from './facts.js';
import { lockBeside, resolvedImports, type DepsProject } from './project.js';
import type { LockSource } from './flake-lock.js';

/** An import edge between two files (display paths). */
export interface DepsEdge {
  from: string;
  to: string;
  kind: ImportKind;
  /** The path literal as written. */
  spec: string;
  /** 1-based line of the path literal in `from`. */
  line: number;
  /** True when the target does not exist. */
  missing: boolean;
}

/** A flake input with what flake.lock says about it. */
export interface DepsInput {
  name: string;
  url?: string;
  type?: string;
  follows?: string;
  inputFollows: Record<string, string>;
  flake: boolean;
  /** The lock node key, or the follows path when the lock makes it follow another input. */
  lockNode?: string | string[];
  locked?: Pick<LockSource, 'type' | 'owner' | 'repo' | 'ref' | 'rev' | 'url' | 'narHash' | 'lastModified'>;
}

/** A flake.nix in the graph. */
export interface DepsFlake {
  file: string;
  lock: 'ok' | 'missing' | 'error';
  lockError?: string;
  inputs: DepsInput[];
}

/** The dependency graph of a set of Nix files: import edges and flake inputs. */
export interface DepsGraph {
  files: string[];
  edges: DepsEdge[];
  flakes: DepsFlake[];
  /** Files that could not be read or parsed, with the reason. */
  errors: Array<{ file: string; message: string }>;
}

export interface DepsGraphOptions {
  /** How files are named in the graph (e.g. relative to the working directory). */
  displayPath(absolutePath: string): string;
  /** Also visit imported files that are not in the starting set (default true). */
  follow?: boolean;
  /** Stop following after this many files (default 20,000). */
  maxFiles?: number;
  /** The working directory (for paths in lock error messages); default process.cwd(). */
  cwd?: string;
  fs?: ProjectFileSystem;
}

/** One file and its deps facts: what `graphFromFacts` needs (from a scan's results or `collectFileFacts`). */
export interface FactsOfFile {
  path: string;
  absolutePath: string;
  facts: DepsFacts | undefined;
}

const LOCKED_FIELDS = ['type', 'owner', 'repo', 'ref', 'rev', 'url', 'narHash', 'lastModified'] as const;

function pickLocked(source: LockSource | undefined): DepsInput['locked'] {
  if (!source) return undefined;
  const picked: Record<string, unknown> = {};
  for (const field of LOCKED_FIELDS) if (source[field] !== undefined) picked[field] = source[field];
  return picked as DepsInput['locked'];
}

function flakeEntry(project: DepsProject, file: ProjectFile<DepsFacts>, declared: FlakeFact): DepsFlake {
  const state = lockBeside(project, file.absolutePath);
  const flake: DepsFlake = { file: file.path, lock: state.lock ? 'ok' : state.exists ? 'error' : 'missing', inputs: [] };
  if (state.error) flake.lockError = state.error;
  const lock = state.lock;
  const rootInputs = lock ? lock.nodes.get(lock.root)!.inputs : {};
  for (const input of declared.inputs) {
    const entry: DepsInput = { name: input.name, inputFollows: input.inputFollows ?? {}, flake: input.flake !== false };
    if (input.url !== undefined) entry.url = input.url;
    if (input.type !== undefined) entry.type = input.type;
    if (input.follows !== undefined) entry.follows = input.follows;
    const ref = rootInputs[input.name];
    if (ref !== undefined) {
      entry.lockNode = ref;
      if (typeof ref === 'string') {
        const locked = pickLocked(lock!.nodes.get(ref)?.locked);
        if (locked) entry.locked = locked;
      }
    }
    flake.inputs.push(entry);
  }
  return flake;
}

/** A project view over files and their facts, for building the graph outside a scan's project phase. */
function projectOf(files: readonly FactsOfFile[], cwd: string, fs: ProjectFileSystem): DepsProject {
  const sorted: ProjectFile<DepsFacts>[] = [...files]
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
    .map((f) => ({ path: f.path, absolutePath: f.absolutePath, fileType: 'unknown', facts: f.facts }));
  const byAbsolute = new Map(sorted.map((f) => [f.absolutePath, f]));
  return { id: 'deps/graph', options: {}, severity: 'info', cwd, files: sorted, fileAt: (path) => byAbsolute.get(path), fs, report: () => undefined };
}

/**
 * The dependency graph from the deps facts of a set of files, with the same resolution the deps project
 * checks use: import edges with missing targets, and each flake's inputs with what its lock says.
 */
export function graphFromFacts(
  files: readonly FactsOfFile[],
  options: { displayPath(absolutePath: string): string; cwd?: string; fs?: ProjectFileSystem },
): DepsGraph {
  const project = projectOf(files, options.cwd ?? process.cwd(), options.fs ?? nodeFileSystem);
  const graph: DepsGraph = { files: project.files.map((f) => f.path), edges: [], flakes: [], errors: [] };
  const resolved = resolvedImports(project);
  for (const file of project.files) {
    for (const ref of resolved.get(file.absolutePath) ?? []) {
      const to = project.fileAt(ref.target)?.path ?? options.displayPath(ref.target);
      graph.edges.push({ from: file.path, to, kind: ref.fact.kind, spec: ref.fact.spec, line: ref.fact.at[0], missing: !ref.exists });
    }
    if (file.facts?.flake) graph.flakes.push(flakeEntry(project, file, file.facts.flake));
  }
  return graph;
}

let factsRules: ResolvedRule[] | undefined;

/** Parses one file, collects its deps facts (as a scan's workers do) and drops the tree. */
export function collectFileFacts(absolutePath: string, path: string, text: string): DepsFacts | undefined {
  factsRules ??= resolveRules([
    { name: 'deps', rules: { facts: { meta: { description: 'deps facts', severity: 'info' }, factsKey: DEPS_FACTS_KEY, collect: collectDepsFacts } } },
  ]);
  const source = new SourceFile(path, text, absolutePath);
  try {
    return analyzeSource(source, factsRules, { factsOnly: true }).facts?.[DEPS_FACTS_KEY] as DepsFacts | undefined;
  } finally {
    source.dispose();
  }
}

/**
 * Builds the graph of a set of files: collects the facts of each (parsing it once, dropping its tree),
 * follows imported files outside the starting set unless `follow` is false, then builds the graph from the
 * facts. Files that cannot be read are listed in `errors` and the rest goes on.
 */
export function buildDepsGraph(files: readonly string[], options: DepsGraphOptions): DepsGraph {
  const follow = options.follow ?? true;
  const maxFiles = options.maxFiles ?? 20_000;
  const fs = options.fs ?? nodeFileSystem;
  const cwd = options.cwd ?? process.cwd();
  const collected: FactsOfFile[] = [];
  const errors: DepsGraph['errors'] = [];
  const seen = new Set<string>(files);
  const pending = [...files].reverse();
  while (pending.length > 0) {
    const absolutePath = pending.pop()!;
    const path = options.displayPath(absolutePath);
    let text: string;
    try {
      text = readFileSync(absolutePath, 'utf8');
    } catch (error) {
      errors.push({ file: path, message: error instanceof Error ? error.message : String(error) });
      continue;
    }
    const entry: FactsOfFile = { path, absolutePath, facts: collectFileFacts(absolutePath, path, text) };
    collected.push(entry);
    if (!follow || !entry.facts?.imports) continue;
    for (const ref of resolvedImports(projectOf([entry], cwd, fs)).get(absolutePath) ?? []) {
      if (ref.exists && !seen.has(ref.target) && seen.size < maxFiles) {
        seen.add(ref.target);
        pending.push(ref.target);
      }
    }
  }
  const graph = graphFromFacts(collected, { displayPath: options.displayPath, cwd, fs });
  graph.errors.push(...errors);
  return graph;
}
