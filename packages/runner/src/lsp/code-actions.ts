import { CodeActionKind, type CodeAction, type Diagnostic, type Range, type TextEdit } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Finding, ReportedFix } from '@nixforge/core';
import { findingRange, toPosition } from './diagnostics.js';
import { disableForFileEdits, disableForLineEdits } from './suppression-edits.js';
import type { ActionFactsResult } from './protocol.js';

/** Kind of the "fix all in file" action (`editor.codeActionsOnSave: { "source.fixAll.nixforge": true }`). */
export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.nixforge`;

/** A finding with the diagnostic that was published for it. */
export interface PublishedFinding {
  finding: Finding;
  diagnostic: Diagnostic;
  /** From a project check: suppression comments do not apply to those (as in `scan`), so no disable actions. */
  project?: true;
}

/** Whether an action of `kind` was asked for (`context.only`; none means every kind). */
export function kindRequested(kind: string, only: readonly string[] | undefined): boolean {
  return only === undefined || only.some((wanted) => kind === wanted || kind.startsWith(`${wanted}.`));
}

/** Findings whose ranges touch `range`, in order; internal findings (timeouts, crashes) offer no actions. */
export function findingsInRange(findings: readonly PublishedFinding[], range: Range, touches: (a: Range, b: Range) => boolean): PublishedFinding[] {
  return findings.filter((entry) => !entry.finding.ruleId.startsWith('internal/') && touches(entry.diagnostic.range, range));
}

export function fixEdits(fix: ReportedFix, bomLength: number): TextEdit[] {
  return fix.edits.map((edit) => ({
    range: { start: toPosition(edit.line, edit.column, bomLength), end: toPosition(edit.endLine, edit.endColumn, bomLength) },
    newText: edit.text,
  }));
}

/**
 * Quick fixes for the findings under the cursor (preferred when applying the fix alone keeps the file
 * valid Nix with no new error), then "disable RULE for this line" (when a comment line can go above the
 * finding without landing inside a multi-line string or comment) and "for this file", once per rule.
 */
export function quickFixes(
  document: TextDocument,
  entries: readonly PublishedFinding[],
  facts: ActionFactsResult,
  bomLength: number,
): CodeAction[] {
  const actions: CodeAction[] = [];
  const uri = document.uri;
  let fixIndex = 0;
  for (const { finding, diagnostic } of entries) {
    if (!finding.fix) continue;
    const safe = facts.safe[fixIndex++] === true;
    actions.push({
      title: `Fix: ${finding.fix.description}`,
      kind: CodeActionKind.QuickFix,
      diagnostics: [diagnostic],
      isPreferred: safe,
      edit: { changes: { [uri]: fixEdits(finding.fix, bomLength) } },
    });
  }
  const lines = actionLines(entries);
  const seenLine = new Set<string>();
  const seenFile = new Set<string>();
  const suppressible = entries.filter((entry) => entry.project === undefined);
  for (const { finding, diagnostic } of suppressible) {
    const lineKey = `${finding.ruleId}@${finding.line}`;
    const lineIndex = lines.indexOf(finding.line);
    if (!seenLine.has(lineKey) && facts.insertable[lineIndex] === true) {
      seenLine.add(lineKey);
      actions.push({
        title: `Disable ${finding.ruleId} for this line`,
        kind: CodeActionKind.QuickFix,
        diagnostics: [diagnostic],
        edit: { changes: { [uri]: disableForLineEdits(document, findingRange(finding, bomLength).start.line, finding.ruleId) } },
      });
    }
  }
  for (const { finding, diagnostic } of suppressible) {
    if (seenFile.has(finding.ruleId)) continue;
    seenFile.add(finding.ruleId);
    actions.push({
      title: `Disable ${finding.ruleId} for this file`,
      kind: CodeActionKind.QuickFix,
      diagnostics: [diagnostic],
      edit: { changes: { [uri]: disableForFileEdits(document, finding.ruleId) } },
    });
  }
  return actions;
}

/** The distinct 1-based start lines of the findings, the order the worker answers `insertable` in. */
export function actionLines(entries: readonly PublishedFinding[]): number[] {
  return [...new Set(entries.map((entry) => entry.finding.line))];
}

/** One edit that turns `before` into `after`: the differing middle, found by common prefix and suffix. */
export function wholeTextEdit(document: TextDocument, after: string): TextEdit {
  const before = document.getText();
  let prefix = 0;
  const shorter = Math.min(before.length, after.length);
  while (prefix < shorter && before.charCodeAt(prefix) === after.charCodeAt(prefix)) prefix += 1;
  let suffix = 0;
  while (suffix < shorter - prefix && before.charCodeAt(before.length - 1 - suffix) === after.charCodeAt(after.length - 1 - suffix)) suffix += 1;
  return {
    range: { start: document.positionAt(prefix), end: document.positionAt(before.length - suffix) },
    newText: after.slice(prefix, after.length - suffix),
  };
}
