import type { Hover, MarkupContent } from 'vscode-languageserver';
import type { RuleInfo } from './protocol.js';
import type { PublishedFinding } from './code-actions.js';

function codeBlock(code: string): string {
  const fence = code.includes('```') ? '````' : '```';
  return `${fence}nix\n${code}\n${fence}`;
}

/** The explanation of one finding's rule as Markdown: what, why, a bad and a good example, the docs link. */
export function explainFinding(entry: PublishedFinding, rule: RuleInfo | undefined): string {
  const { finding } = entry;
  const parts = [`**${finding.ruleId}** (${finding.severity}${rule?.fixable ? ', fixable' : ''}): ${finding.message}`];
  if (rule) {
    parts.push(rule.description);
    if (rule.docs?.explanation) parts.push(rule.docs.explanation);
    if (rule.docs?.bad) parts.push(`Bad:\n\n${codeBlock(rule.docs.bad)}`);
    if (rule.docs?.good) parts.push(`Good:\n\n${codeBlock(rule.docs.good)}`);
    if (rule.docsUrl) parts.push(`[Documentation](${rule.docsUrl})`);
  }
  if (!finding.ruleId.startsWith('internal/')) parts.push(`Silence it with \`# nixforge-disable-next-line ${finding.ruleId}\` above the line.`);
  return parts.join('\n\n');
}

/** A hover over every finding at the position, or null when there is none. */
export function hoverFor(entries: readonly PublishedFinding[], rules: ReadonlyMap<string, RuleInfo>): Hover | null {
  if (entries.length === 0) return null;
  const contents: MarkupContent = {
    kind: 'markdown',
    value: entries.map((entry) => explainFinding(entry, rules.get(entry.finding.ruleId))).join('\n\n---\n\n'),
  };
  const range = entries.length === 1 ? entries[0]!.diagnostic.range : undefined;
  return range ? { contents, range } : { contents };
}
