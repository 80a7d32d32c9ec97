import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateCorpus, listFiles, type CorpusSummary } from '@nixforge/fixtures';

/** One corpus file with its size. */
export interface CorpusFile {
  path: string;
  size: number;
}

/** A generated corpus on disk and its .nix files, sorted by path. */
export interface BenchCorpus {
  root: string;
  files: CorpusFile[];
  bytes: number;
  summary: CorpusSummary;
}

/** File counts of the corpus used by the suites: a few hundred files in quick mode, nixpkgs scale otherwise. */
export function corpusFileCount(quick: boolean): number {
  const fromEnv = Number(process.env.NIXFORGE_BENCH_FILES);
  if (Number.isInteger(fromEnv) && fromEnv > 0) return fromEnv;
  return quick ? 120 : 40_000;
}

const corpora = new Map<string, BenchCorpus>();

/**
 * The benchmark corpus under `workDir` (seed 1), generated on first use and reused by every suite and by
 * later runs with the same size.
 */
export function benchCorpus(workDir: string, quick: boolean): BenchCorpus {
  const files = corpusFileCount(quick);
  const root = join(workDir, `corpus-${files}`);
  const known = corpora.get(root);
  if (known) return known;
  const summary = generateCorpus({ files, seed: 1, out: root, hugeMb: quick ? 0.1 : undefined });
  const list = listNixFiles(root);
  const corpus: BenchCorpus = { root, files: list, bytes: list.reduce((sum, f) => sum + f.size, 0), summary };
  corpora.set(root, corpus);
  return corpus;
}

/** Every .nix file below `root` with its size, sorted by path. */
export function listNixFiles(root: string): CorpusFile[] {
  return listFiles(root)
    .filter((path) => path.endsWith('.nix'))
    .map((path) => ({ path: join(root, path), size: statSync(join(root, path)).size }));
}

/** Size classes for the parse suite. */
export const SIZE_CLASSES = [
  { name: 'small (<4 KiB)', max: 4 * 1024 },
  { name: 'medium (4-64 KiB)', max: 64 * 1024 },
  { name: 'large (64 KiB-1 MiB)', max: 1024 * 1024 },
  { name: 'huge (>1 MiB)', max: Infinity },
] as const;

export function sizeClassOf(size: number): string {
  return SIZE_CLASSES.find((c) => size < c.max)!.name;
}

/** Writes the paths of `files` one per line (the C floor's input). */
export function writeFileList(path: string, files: readonly CorpusFile[]): string {
  writeFileSync(path, files.map((f) => f.path).join('\n') + '\n');
  return path;
}

/** A deterministic subset of at most `maxBytes` bytes, spread over the whole list. */
export function spreadSample(files: readonly CorpusFile[], maxBytes: number): CorpusFile[] {
  const total = files.reduce((sum, f) => sum + f.size, 0);
  if (total <= maxBytes) return [...files];
  const out: CorpusFile[] = [];
  let budget = maxBytes;
  const step = Math.max(1, Math.floor(total / maxBytes));
  for (let i = 0; i < files.length && budget > 0; i += step) {
    const file = files[i]!;
    if (file.size > budget) continue;
    out.push(file);
    budget -= file.size;
  }
  return out;
}
