import { createHash } from 'node:crypto';
import type { Finding, Severity } from '@nixforge/core';
import { ruleDocsUrl, type ReportedFile, type Reporter, type ReportContext, type ReporterDefinition, type ReportedRule } from './reporter.js';

const SARIF_LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note' };

/** GitHub code scanning accepts at most this many results per run; further results start a new run. */
export const MAX_RESULTS_PER_RUN = 25_000;

/** Rules nixforge itself reports besides the plugins' (rule failures, encoding problems). */
export const INTERNAL_RULES: readonly ReportedRule[] = [
  {
    id: 'internal/invalid-utf8',
    meta: { description: 'The file is not valid UTF-8; it was analysed with replacement characters.', severity: 'info' },
  },
  {
    id: 'internal/rule-error',
    meta: { description: 'A rule failed on this file; its other findings for the file are missing.', severity: 'error' },
  },
];

function encodeUri(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}

/**
 * A fingerprint that survives unrelated edits: it hashes the rule, the file, the finding's message and
 * symbol, the trimmed text of its line and how many identical findings precede it in the file, but not its
 * line number.
 */
function fingerprint(path: string, finding: Finding, lineText: string, occurrence: number): string {
  return createHash('sha256')
    .update(`${finding.ruleId}\0${path}\0${finding.symbol ?? ''}\0${finding.message}\0${lineText.trim()}\0${occurrence}`)
    .digest('hex')
    .slice(0, 32);
}

/** SARIF 2.1.0 for GitHub code scanning and other SARIF consumers; results stream out file by file. */
export function sarifReporter(context: ReportContext): Reporter {
  const rules = [...context.rules, ...INTERNAL_RULES.filter((r) => !context.rules.some((c) => c.id === r.id))];
  const ruleIndex = new Map(rules.map((rule, index) => [rule.id, index]));
  const driver = {
    name: 'nixforge',
    version: context.version,
    semanticVersion: context.version,
    informationUri: 'https://github.com/nixforge/nixforge',
    rules: rules.map((rule) => {
      const descriptor: Record<string, unknown> = {
        id: rule.id,
        name: rule.id.replace(/[/-](\w)/g, (_m, c: string) => c.toUpperCase()).replace(/^\w/, (c) => c.toUpperCase()),
        shortDescription: { text: rule.meta.description },
        fullDescription: { text: rule.meta.docs?.explanation ?? rule.meta.description },
        helpUri: ruleDocsUrl(rule),
        help: { text: rule.meta.docs?.explanation ?? rule.meta.description },
        defaultConfiguration: { level: SARIF_LEVEL[rule.meta.severity] },
        properties: { tags: [rule.id.slice(0, rule.id.indexOf('/'))] },
      };
      return descriptor;
    }),
  };
  const runHeader = `{"tool":${JSON.stringify({ driver })},"columnKind":"utf16CodeUnits","results":[\n`;
  const notifications: unknown[] = [];
  let inRun = 0;
  let out = '';

  const pushResult = (json: string): void => {
    if (inRun === MAX_RESULTS_PER_RUN) {
      out += `\n]},\n${runHeader}`;
      inRun = 0;
    }
    out += `${inRun === 0 ? '' : ',\n'}${json}`;
    inRun += 1;
  };

  return {
    begin: () =>
      `{"$schema":"https://json.schemastore.org/sarif-2.1.0.json","version":"2.1.0","runs":[\n${runHeader}`,
    file(report: ReportedFile) {
      out = '';
      const uri = encodeUri(report.path);
      if (report.error) {
        notifications.push({
          level: 'error',
          message: { text: `${report.path}: ${report.error.message}` },
          descriptor: { id: report.error.code },
          locations: [{ physicalLocation: { artifactLocation: { uri } } }],
        });
      }
      const seen = new Map<string, number>();
      for (const finding of report.findings) {
        const lineText = report.sourceLines?.[finding.line] ?? '';
        const key = `${finding.ruleId}\0${finding.symbol ?? ''}\0${finding.message}\0${lineText.trim()}`;
        const occurrence = seen.get(key) ?? 0;
        seen.set(key, occurrence + 1);
        const result: Record<string, unknown> = {
          ruleId: finding.ruleId,
          level: SARIF_LEVEL[finding.severity],
          message: { text: finding.message },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri },
                region: {
                  startLine: finding.line,
                  startColumn: finding.column,
                  endLine: finding.endLine,
                  endColumn: finding.endColumn,
                },
              },
            },
          ],
          partialFingerprints: { 'nixforge/v1': fingerprint(report.path, finding, lineText, occurrence) },
        };
        const index = ruleIndex.get(finding.ruleId);
        if (index !== undefined) result.ruleIndex = index;
        // The message's id within its rule (`meta.messages`), for tools that group results by message.
        if (finding.messageId !== undefined) result.properties = { messageId: finding.messageId };
        if (finding.fix) {
          result.fixes = [
            {
              description: { text: finding.fix.description },
              artifactChanges: [
                {
                  artifactLocation: { uri },
                  replacements: finding.fix.edits.map((edit) => ({
                    deletedRegion: { startLine: edit.line, startColumn: edit.column, endLine: edit.endLine, endColumn: edit.endColumn },
                    insertedContent: { text: edit.text },
                  })),
                },
              ],
            },
          ];
        }
        pushResult(JSON.stringify(result));
      }
      return out;
    },
    end: () =>
      `\n],"invocations":[${JSON.stringify({ executionSuccessful: true, toolExecutionNotifications: notifications })}]}\n]}\n`,
  };
}

export const sarifFormat: ReporterDefinition = { name: 'sarif', needsSourceLines: true, create: sarifReporter };
