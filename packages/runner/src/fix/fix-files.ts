import { readFile } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import { createTwoFilesPatch, FILE_HEADERS_ONLY } from 'diff';
import { analyzeSource, applyFixes, SourceFile, toFix, type Fix, type ResolvedRule } from '@nixforge/core';
import { computeNixDiagnostics } from '@nixforge/plugins';
import { writeFileAtomically } from '../atomic-write.js';

/** Rounds of analyse-and-fix per file; fixes that enable further fixes (e.g. a chain of dead bindings) converge quickly. */
export const MAX_FIX_ROUNDS = 10;

const BOM = '\uFEFF';

export interface FixFilesOptions {
  rules: ResolvedRule[];
  /** Compute the diff only; write nothing. */
  dryRun: boolean;
  /** Paths are resolved against it and shown relative to it. */
  cwd: string;
}

/** A file that could not be fixed; the others are still processed. */
export interface FixFileError {
  path: string;
  message: string;
}

export interface FixFilesResult {
  filesChanged: number;
  fixesApplied: number;
  /** Unified diff of every changed file (`a/PATH` -> `b/PATH`), in the order of `paths`. */
  diff: string;
  /** Files that could not be read or written, with the reason. */
  errors: FixFileError[];
}

/** The text of one file after fixing, and how many fixes it took. */
interface FixedText {
  text: string;
  applied: number;
}

/**
 * Applies the fixes of `rules` to one text until nothing more applies (at most MAX_FIX_ROUNDS rounds).
 * Each round re-analyses the current text, so fixes always apply to what they were computed on.
 */
export function fixText(path: string, text: string, rules: readonly ResolvedRule[]): FixedText {
  let current = text;
  let applied = 0;
  for (let round = 0; round < MAX_FIX_ROUNDS; round += 1) {
    const source = new SourceFile(path, current);
    let fixes: Fix[];
    try {
      fixes = analyzeSource(source, rules).findings.flatMap((finding) => (finding.fix ? [toFix(finding.fix)] : []));
    } finally {
      source.dispose();
    }
    if (fixes.length === 0) break;
    // Nix's parser also rejects undefined variables and duplicate attributes: a fix must not add any.
    const nixErrorsBefore = nixErrorCount(path, current);
    const result = applyFixes(current, fixes, (candidate) => nixErrorCount(path, candidate) <= nixErrorsBefore);
    if (result.applied.length === 0) break;
    applied += result.applied.length;
    current = result.text;
  }
  return { text: current, applied };
}

/** How many errors `nix-instantiate --parse` would see in `text` (all of them, not only the first). */
function nixErrorCount(path: string, text: string): number {
  const source = new SourceFile(path, text);
  try {
    return computeNixDiagnostics(source).length;
  } finally {
    source.dispose();
  }
}

/**
 * `nixforge scan --fix` / `--fix-dry-run`: fixes each file until stable, writes it atomically unless
 * `dryRun`, and returns a unified diff of all changes. A file that cannot be read or written is reported in
 * `errors` and the others go on. A UTF-8 BOM is kept.
 */
export async function fixFiles(paths: string[], options: FixFilesOptions): Promise<FixFilesResult> {
  const result: FixFilesResult = { filesChanged: 0, fixesApplied: 0, diff: '', errors: [] };
  for (const path of paths) {
    const absolute = resolve(options.cwd, path);
    const shown = relative(options.cwd, absolute) || path;
    try {
      const raw = await readFile(absolute, 'utf8');
      const hasBom = raw.startsWith(BOM);
      const original = hasBom ? raw.slice(1) : raw;
      const fixed = fixText(shown, original, options.rules);
      if (fixed.text === original) continue;
      if (!options.dryRun) await writeFileAtomically(absolute, (hasBom ? BOM : '') + fixed.text);
      result.filesChanged += 1;
      result.fixesApplied += fixed.applied;
      result.diff += createTwoFilesPatch(`a/${shown}`, `b/${shown}`, original, fixed.text, undefined, undefined, {
        headerOptions: FILE_HEADERS_ONLY,
      });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      result.errors.push({ path: shown, message: `cannot fix ${shown}: ${message}` });
    }
  }
  return result;
}
