import type { TextRange } from './positions.js';
import type { SourceFile } from './source.js';

/**
 * Inline suppressions, read from comments:
 * - `# nixforge-disable-next-line [RULE[, RULE...]]`: findings that start on the next line;
 * - `# nixforge-disable-line [RULE...]`: findings that start on the comment's line;
 * - `# nixforge-disable-file [RULE...]`: the whole file;
 * - `# deadnix: skip`: dead-code findings on the comment's line and the next (deadnix compatibility).
 * A RULE is a full id (`dead-code/unused-let`) or a plugin name (`dead-code`); no RULE means every rule.
 */
export interface Suppressions {
  isSuppressed(ruleId: string, line: number): boolean;
}

type RuleSelector = string[] | 'all';

const DIRECTIVE = /(nixforge-disable-next-line|nixforge-disable-line|nixforge-disable-file|deadnix:\s*skip)\b([^\n]*)/;

function parseSelector(rest: string): RuleSelector {
  const cleaned = rest.replace(/\*\/\s*$/, '').split('--')[0]!.trim();
  if (cleaned === '') return 'all';
  return cleaned
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

function selects(selector: RuleSelector, ruleId: string): boolean {
  if (selector === 'all') return true;
  const plugin = ruleId.slice(0, ruleId.indexOf('/'));
  return selector.some((s) => s === ruleId || s === plugin || s === `${plugin}/*`);
}

const NONE: Suppressions = { isSuppressed: () => false };

export function readSuppressions(source: SourceFile, comments: readonly TextRange[]): Suppressions {
  const fileWide: RuleSelector[] = [];
  const byLine = new Map<number, RuleSelector[]>();
  const addLine = (line: number, selector: RuleSelector): void => {
    const list = byLine.get(line);
    if (list) list.push(selector);
    else byLine.set(line, [selector]);
  };
  for (const range of comments) {
    const text = source.text.slice(range.start, range.end);
    const match = DIRECTIVE.exec(text);
    if (!match) continue;
    const kind = match[1]!;
    const line = source.positionAt(range.start).line;
    const endLine = source.positionAt(range.end).line;
    if (kind === 'nixforge-disable-file') fileWide.push(parseSelector(match[2]!));
    else if (kind === 'nixforge-disable-line') addLine(line, parseSelector(match[2]!));
    else if (kind === 'nixforge-disable-next-line') addLine(endLine + 1, parseSelector(match[2]!));
    else {
      addLine(line, ['dead-code']);
      addLine(endLine + 1, ['dead-code']);
    }
  }
  if (fileWide.length === 0 && byLine.size === 0) return NONE;
  return {
    isSuppressed(ruleId, line) {
      if (fileWide.some((s) => selects(s, ruleId))) return true;
      const selectors = byLine.get(line);
      return selectors !== undefined && selectors.some((s) => selects(s, ruleId));
    },
  };
}
