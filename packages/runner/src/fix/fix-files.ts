import { createTwoFilesPatch, FILE_HEADERS_ONLY } from 'diff';
import { analyzeSource, applyFixes, SourceFile, toFix, writeFileAtomically, type Finding, type Fix, type ResolvedRule } from '@nixforge/core';
import { computeNixDiagnostics } from '@nixforge/plugins';

/**
 * Rounds of analyse-and-fix per file. Later rounds only apply fixes of findings the first round reported
 * that could not be applied yet (their edits overlapped another fix), never fixes of findings that an earlier
 * fix created.
 */
export const MAX_FIX_ROUNDS = 10;

const BOM = '\uFEFF';

/** The text of one file after fixing, and how many fixes it took. */
interface FixedText {
  text: string;
  applied: number;
}

/**
 * What identifies a finding across rounds, where offsets move: its rule, message and fix description
 * (they name the binding, argument or expression concerned).
 */
function findingKey(finding: Finding, fix: Fix): string {
  return `${finding.ruleId}\u0000${finding.symbol ?? ''}\u0000${finding.message}\u0000${fix.description}`;
}

/** Fixable findings of one analysis of `text`, keyed. */
function fixableFindings(path: string, text: string, rules: readonly ResolvedRule[]): Array<{ key: string; fix: Fix }> {
  const source = new SourceFile(path, text);
  try {
    return analyzeSource(source, rules).findings.flatMap((finding) => {
      if (!finding.fix) return [];
      const fix = toFix(finding.fix);
      return [{ key: findingKey(finding, fix), fix }];
    });
  } finally {
    source.dispose();
  }
}

/**
 * Applies the fixes of the findings `rules` report on `text`. Fixes whose edits overlap are applied in later
 * rounds (each round re-analyses the current text, so fixes apply to what they were computed on), but only
 * for findings of the first round: a finding that appears because of a fix (removing `config` from
 * `{ config, ... }:` leaves `{ ... }:`, which `lint/empty-pattern` would turn into `_:`) was never reported,
 * so its fix is not applied.
 */
export function fixText(path: string, text: string, rules: readonly ResolvedRule[]): FixedText {
  let current = text;
  let applied = 0;
  /** Findings of the first round not fixed yet, with how many of each. */
  const pending = new Map<string, number>();
  for (let round = 0; round < MAX_FIX_ROUNDS; round += 1) {
    const found = fixableFindings(path, current, rules);
    if (round === 0) for (const { key } of found) pending.set(key, (pending.get(key) ?? 0) + 1);
    const wanted = new Map(pending);
    const keyed = found.filter(({ key }) => {
      const left = wanted.get(key) ?? 0;
      if (left === 0) return false;
      wanted.set(key, left - 1);
      return true;
    });
    if (keyed.length === 0) break;
    // Nix's parser also rejects undefined variables and duplicate attributes: a fix must not add any.
    const nixErrorsBefore = nixErrorCount(path, current);
    const fixes = keyed.map(({ fix }) => fix);
    const result = applyFixes(current, fixes, (candidate) => nixErrorCount(path, candidate) <= nixErrorsBefore);
    if (result.applied.length === 0) break;
    const appliedFixes = new Set(result.applied);
    for (const { key, fix } of keyed) {
      if (appliedFixes.has(fix)) pending.set(key, (pending.get(key) ?? 1) - 1);
    }
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

/** What fixing one file did: the text to report, how many fixes applied, and the unified diff (empty: no change). */
export interface FixedFile {
  text: string;
  applied: number;
  diff: string;
}

/**
 * `nixforge scan --fix` / `--fix-dry-run` of one file whose content is `text` (decoded, without its BOM): fixes
 * it until stable and, unless `dryRun`, writes it atomically with the BOM it had. The diff compares `a/PATH` with
 * `b/PATH`, PATH being `shownPath`. On a dry run the returned text is the original.
 */
export async function fixFile(
  file: { absolutePath: string; shownPath: string; text: string; hasBom: boolean },
  rules: readonly ResolvedRule[],
  dryRun: boolean,
): Promise<FixedFile> {
  const fixed = fixText(file.shownPath, file.text, rules);
  if (fixed.text === file.text) return { text: file.text, applied: 0, diff: '' };
  const diff = createTwoFilesPatch(`a/${file.shownPath}`, `b/${file.shownPath}`, file.text, fixed.text, undefined, undefined, {
    headerOptions: FILE_HEADERS_ONLY,
  });
  if (dryRun) return { text: file.text, applied: fixed.applied, diff };
  await writeFileAtomically(file.absolutePath, (file.hasBom ? BOM : '') + fixed.text);
  return { text: fixed.text, applied: fixed.applied, diff };
}
