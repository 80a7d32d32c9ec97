import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const require = createRequire(import.meta.url);

/** What the C floor program reports for one run. */
export interface FloorResult {
  files: number;
  bytes: number;
  nodes: number;
  errorTrees: number;
  failedReads: number;
  seconds: number;
  cpuSeconds: number;
}

/** The compiled floor program, or why there is none (no compiler, no libtree-sitter-dev...). */
export type FloorBuild = { binary: string } | { unavailable: string };

const FLOOR_SOURCE = fileURLToPath(new URL('../c/floor.c', import.meta.url));
const API_HEADER = '/usr/include/tree_sitter/api.h';

/**
 * Compiles bench/c/floor.c with the grammar's parser.c and scanner.c (from the tree-sitter-nix package) against
 * the system libtree-sitter, into `workDir`. The binary is reused while the sources are unchanged.
 */
export async function buildFloor(workDir: string): Promise<FloorBuild> {
  if (!existsSync(API_HEADER)) return { unavailable: `${API_HEADER} is missing (install Debian's libtree-sitter-dev)` };
  let grammarDir: string;
  try {
    grammarDir = join(dirname(require.resolve('tree-sitter-nix/package.json')), 'src');
  } catch {
    return { unavailable: 'the tree-sitter-nix package is not installed' };
  }
  const sources = [FLOOR_SOURCE, join(grammarDir, 'parser.c'), join(grammarDir, 'scanner.c')];
  const digest = createHash('sha256');
  for (const source of sources) digest.update(readFileSync(source));
  const binary = join(workDir, `floor-${digest.digest('hex').slice(0, 12)}`);
  if (existsSync(binary)) return { binary };
  mkdirSync(workDir, { recursive: true });
  const compiler = process.env.CC ?? 'cc';
  try {
    await run(compiler, ['-O2', '-std=c11', '-D_POSIX_C_SOURCE=200809L', `-I${grammarDir}`, '-o', binary, ...sources, '-ltree-sitter', '-lpthread']);
  } catch (error) {
    const detail = (error as { stderr?: string; code?: string }).stderr?.trim() || (error as Error).message;
    return { unavailable: `compiling the C floor with ${compiler} failed: ${detail.split('\n').slice(0, 3).join(' ')}` };
  }
  return { binary };
}

/** Parses and walks the files listed in `listFile` with `threads` threads. */
export async function runFloor(binary: string, listFile: string, threads: number): Promise<FloorResult> {
  const { stdout } = await run(binary, [listFile, String(threads)], { maxBuffer: 1024 * 1024 });
  return JSON.parse(stdout) as FloorResult;
}
