import type { TextEdit } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';

/**
 * Edits that write a suppression comment (README "Suppressions"): `# nixforge-disable-next-line RULE` on a
 * line of its own above the finding, or `# nixforge-disable-file RULE` at the top of the file. An existing
 * directive with a rule list is extended (`, RULE`) instead of adding another line.
 */

const NEXT_LINE_DIRECTIVE = /^\s*#\s*nixforge-disable-next-line\s+([^\s-][^\n]*)$/;
const FILE_DIRECTIVE = /^\s*#\s*nixforge-disable-file\s+([^\s-][^\n]*)$/;

function lineText(document: TextDocument, line: number): string {
  return document.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } }).replace(/\r?\n$/, '');
}

function lineBreak(document: TextDocument): string {
  const first = document.getText().indexOf('\n');
  return first > 0 && document.getText().charAt(first - 1) === '\r' ? '\r\n' : '\n';
}

function listsRule(list: string, ruleId: string): boolean {
  const plugin = ruleId.slice(0, ruleId.indexOf('/'));
  return list
    .split(/[\s,]+/)
    .some((entry) => entry === ruleId || entry === plugin || entry === `${plugin}/*`);
}

/** An edit that appends `, RULE` to a directive line, or undefined when the line is no such directive. */
function extendDirective(document: TextDocument, line: number, pattern: RegExp, ruleId: string): TextEdit[] | undefined {
  const text = lineText(document, line);
  const match = pattern.exec(text);
  if (!match || match[1]!.includes('--') || match[1]!.includes('*/')) return undefined;
  if (listsRule(match[1]!, ruleId)) return [];
  const end = text.trimEnd().length;
  return [{ range: { start: { line, character: end }, end: { line, character: end } }, newText: `, ${ruleId}` }];
}

/** Suppresses `ruleId` for findings that start on `line` (0-based). */
export function disableForLineEdits(document: TextDocument, line: number, ruleId: string): TextEdit[] {
  if (line > 0) {
    const extended = extendDirective(document, line - 1, NEXT_LINE_DIRECTIVE, ruleId);
    if (extended) return extended;
  }
  const bom = line === 0 && document.getText().startsWith('\uFEFF') ? 1 : 0;
  const indent = /^[ \t]*/.exec(lineText(document, line).slice(bom))![0];
  const at = { line, character: bom };
  return [{ range: { start: at, end: at }, newText: `${indent}# nixforge-disable-next-line ${ruleId}${lineBreak(document)}` }];
}

/** Suppresses `ruleId` in the whole file. */
export function disableForFileEdits(document: TextDocument, ruleId: string): TextEdit[] {
  let insertAt = 0;
  const header = Math.min(document.lineCount, 50);
  for (let line = 0; line < header; line += 1) {
    const text = lineText(document, line);
    if (line === insertAt && text.startsWith('#!')) {
      insertAt = line + 1; // `#! nix-shell` lines must stay first
      continue;
    }
    const extended = extendDirective(document, line, FILE_DIRECTIVE, ruleId);
    if (extended) return extended;
  }
  const bom = insertAt === 0 && document.getText().startsWith('\uFEFF') ? 1 : 0;
  const at = { line: insertAt, character: bom };
  return [{ range: { start: at, end: at }, newText: `# nixforge-disable-file ${ruleId}${lineBreak(document)}` }];
}
