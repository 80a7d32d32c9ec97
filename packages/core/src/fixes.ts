import type { Fix, TextEdit } from './plugin-api.js';
import type { ReportedFix } from './findings.js';
import { SourceFile } from './source.js';
import { findSyntaxErrors } from './syntax-errors.js';

/** What `applyFixes` did. */
export interface FixResult {
  /** The text with the applied fixes. */
  text: string;
  /** Fixes applied, in the order given. */
  applied: Fix[];
  /** Fixes left out: overlapping an earlier one, overlapping edits of their own, or leaving a syntax error. */
  skipped: Fix[];
}

/** A fix as findings carry it, back to the range form `applyFixes` takes. */
export function toFix(reported: ReportedFix): Fix {
  return {
    description: reported.description,
    edits: reported.edits.map((edit) => ({ range: { start: edit.start, end: edit.end }, text: edit.text })),
  };
}

function overlaps(a: TextEdit, b: TextEdit): boolean {
  if (a.range.start === b.range.start) return true;
  return a.range.start < b.range.end && b.range.start < a.range.end;
}

function editsOverlap(edits: readonly TextEdit[], taken: readonly TextEdit[]): boolean {
  for (let i = 0; i < edits.length; i += 1) {
    for (let j = i + 1; j < edits.length; j += 1) if (overlaps(edits[i]!, edits[j]!)) return true;
    for (const other of taken) if (overlaps(edits[i]!, other)) return true;
  }
  return false;
}

/** Applies non-overlapping edits (offsets into `text`, BOM excluded). */
function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => b.range.start - a.range.start);
  let result = text;
  for (const edit of sorted) result = result.slice(0, edit.range.start) + edit.text + result.slice(edit.range.end);
  return result;
}

function parses(text: string): boolean {
  const source = new SourceFile('fix-check.nix', text);
  try {
    return findSyntaxErrors(source).length === 0;
  } finally {
    source.dispose();
  }
}

/**
 * Applies `fixes` to `text` in order, skipping any fix whose edits overlap each other or an earlier fix's,
 * and any fix after which the file does not parse (so nothing is applied to a file that is already broken)
 * or `isAcceptable` rejects the text. All
 * candidates are first tried together (one parse); only when that breaks the syntax are they re-tried one
 * by one to find the culprits.
 */
export function applyFixes(
  text: string,
  fixes: readonly Fix[],
  /** Extra condition on a result (e.g. "no new Nix errors"), on top of "parses". */
  isAcceptable: (result: string) => boolean = () => true,
): FixResult {
  const acceptable = (result: string): boolean => parses(result) && isAcceptable(result);
  const candidates: Fix[] = [];
  const skipped: Fix[] = [];
  const taken: TextEdit[] = [];
  for (const fix of fixes) {
    if (fix.edits.length === 0 || editsOverlap(fix.edits, taken)) {
      skipped.push(fix);
      continue;
    }
    candidates.push(fix);
    taken.push(...fix.edits);
  }
  if (candidates.length === 0) return { text, applied: [], skipped };
  const together = applyEdits(text, taken);
  if (acceptable(together)) return { text: together, applied: candidates, skipped };

  const applied: Fix[] = [];
  const kept: TextEdit[] = [];
  let current = text;
  for (const fix of candidates) {
    const attempt = applyEdits(text, [...kept, ...fix.edits]);
    if (acceptable(attempt)) {
      applied.push(fix);
      kept.push(...fix.edits);
      current = attempt;
    } else {
      skipped.push(fix);
    }
  }
  return { text: current, applied, skipped };
}
