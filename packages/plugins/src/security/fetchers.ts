import type { SyntaxNode } from '@nixforge/core';
import { referencePath, textOf } from './syntax.js';

/** What a call's function refers to when it is a fetcher. */
export interface FetcherRef {
  name: string;
  /** `builtins.fetchurl` and friends run at evaluation time; nixpkgs fetchers are fixed-output derivations. */
  builtin: boolean;
}

/** Builtins reachable without the `builtins.` prefix. */
const GLOBAL_BUILTIN_FETCHERS = new Set(['fetchTarball', 'fetchGit', 'fetchTree', 'fetchMercurial']);

/** For each builtin fetcher, the argument attributes that pin its result. */
export const BUILTIN_PINS: Record<string, readonly string[]> = {
  fetchurl: ['sha256', 'hash'],
  fetchTarball: ['sha256', 'narHash'],
  fetchGit: ['rev', 'narHash'],
  fetchTree: ['rev', 'narHash'],
  fetchMercurial: ['rev'],
};

/** nixpkgs fetchers: fixed-output derivations that need an output hash. */
export const NIXPKGS_FETCHERS = new Set([
  'fetchurl',
  'fetchzip',
  'fetchgit',
  'fetchFromGitHub',
  'fetchFromGitLab',
  'fetchFromGitea',
  'fetchFromCodeberg',
  'fetchFromBitbucket',
  'fetchFromSourcehut',
  'fetchFromSavannah',
  'fetchFromRepoOrCz',
  'fetchpatch',
  'fetchpatch2',
  'fetchsvn',
  'fetchhg',
  'fetchCrate',
  'fetchPypi',
  'fetchurlBoot',
]);

/** Attributes that pin a nixpkgs fetcher's output (weak ones are reported by `security/weak-hash`). */
export const NIXPKGS_PINS: readonly string[] = ['hash', 'sha256', 'sha512', 'outputHash', 'sha1', 'md5'];

/** Every last name a fetcher call can have (for the call index). */
export const FETCHER_NAMES: readonly string[] = [
  ...Object.keys(BUILTIN_PINS),
  ...Object.keys(BUILTIN_PINS).map((name) => `__${name}`),
  ...NIXPKGS_FETCHERS,
];

/** Classifies a call's function as a fetcher, or undefined. */
export function fetcherOf(callee: SyntaxNode, text: string): FetcherRef | undefined {
  const path = referencePath(callee, text);
  if (!path) return undefined;
  if (path.length === 2 && path[0] === 'builtins' && path[1]! in BUILTIN_PINS) return { name: path[1]!, builtin: true };
  if (path.length === 1) {
    const name = path[0]!;
    if (name.startsWith('__') && name.slice(2) in BUILTIN_PINS) return { name: name.slice(2), builtin: true };
    if (GLOBAL_BUILTIN_FETCHERS.has(name)) return { name, builtin: true };
  }
  const last = path[path.length - 1]!;
  if (path[0] !== 'builtins' && NIXPKGS_FETCHERS.has(last)) return { name: last, builtin: false };
  return undefined;
}

/** How a fetcher is named in messages: as written in the file. */
export function fetcherLabel(callee: SyntaxNode, text: string): string {
  return textOf(callee, text);
}
