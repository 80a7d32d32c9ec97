import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { SourceFile } from '@nixforge/core';
import { collectImports, type ImportKind } from './import-graph.js';
import { readFlakeInputs } from './flake-inputs.js';
import { readLockBeside } from './analyses.js';
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
}

const LOCKED_FIELDS = ['type', 'owner', 'repo', 'ref', 'rev', 'url', 'narHash', 'lastModified'] as const;

function pickLocked(source: LockSource | undefined): DepsInput['locked'] {
  if (!source) return undefined;
  const picked: Record<string, unknown> = {};
  for (const field of LOCKED_FIELDS) if (source[field] !== undefined) picked[field] = source[field];
  return picked as DepsInput['locked'];
}

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) line += 1;
  return line;
}

function flakeOf(source: SourceFile, absolutePath: string, file: string): DepsFlake {
  const declared = readFlakeInputs(source);
  const lockFacts = readLockBeside(absolutePath);
  const flake: DepsFlake = { file, lock: lockFacts.lock ? 'ok' : lockFacts.lockExists ? 'error' : 'missing', inputs: [] };
  if (lockFacts.lockError) flake.lockError = lockFacts.lockError;
  const lock = lockFacts.lock;
  const rootInputs = lock ? lock.nodes.get(lock.root)!.inputs : {};
  for (const input of declared.inputs) {
    const entry: DepsInput = { name: input.name, inputFollows: input.inputFollows, flake: input.flake };
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

/**
 * Builds the graph: parses each file once (dropping its tree right after), collects its imports and, for
 * flake.nix files, its inputs and lock. Imported files outside the starting set are followed unless
 * `follow` is false. Iterative; files that cannot be read are listed in `errors` and the rest goes on.
 */
export function buildDepsGraph(files: readonly string[], options: DepsGraphOptions): DepsGraph {
  const follow = options.follow ?? true;
  const maxFiles = options.maxFiles ?? 20_000;
  const graph: DepsGraph = { files: [], edges: [], flakes: [], errors: [] };
  const seen = new Set<string>(files);
  const pending = [...files].reverse();
  while (pending.length > 0) {
    const absolutePath = pending.pop()!;
    const file = options.displayPath(absolutePath);
    graph.files.push(file);
    let source: SourceFile;
    try {
      source = new SourceFile(file, readFileSync(absolutePath, 'utf8'));
    } catch (error) {
      graph.errors.push({ file, message: error instanceof Error ? error.message : String(error) });
      continue;
    }
    try {
      for (const ref of collectImports(source, absolutePath)) {
        graph.edges.push({
          from: file,
          to: options.displayPath(ref.target),
          kind: ref.kind,
          spec: ref.spec,
          line: lineOf(source.text, ref.range.start),
          missing: !ref.exists,
        });
        if (follow && ref.exists && !seen.has(ref.target) && seen.size < maxFiles) {
          seen.add(ref.target);
          pending.push(ref.target);
        }
      }
      if (basename(absolutePath) === 'flake.nix') graph.flakes.push(flakeOf(source, absolutePath, file));
    } finally {
      source.dispose();
    }
  }
  graph.files.sort();
  return graph;
}
