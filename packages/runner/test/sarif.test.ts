import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { makeTree, runCli } from './helpers/cli.js';

const require = createRequire(import.meta.url);
// The official schema lives beside the clone in ../shared (CI has it); it is not copied into the repository.
const SCHEMA_PATH = fileURLToPath(new URL('../../../../shared/schemas/sarif-schema-2.1.0.json', import.meta.url));
const haveSchema = existsSync(SCHEMA_PATH);

describe('SARIF report', () => {
  it.skipIf(!haveSchema)('validates against the official SARIF 2.1.0 schema (skipped when ../shared is absent)', async () => {
    const root = makeTree({ 'b.nix': 'let\n  a = 1;\nin a +\n', 'ok.nix': '1', 'bin.nix': new Uint8Array([0, 1, 2, 3]) });
    const run = await runCli(['scan', '.', '-f', 'sarif'], root);
    const sarif = JSON.parse(run.stdout);
    const Ajv4 = require('ajv-draft-04') as new (opts: object) => { compile(schema: object): ((data: unknown) => boolean) & { errors?: unknown } };
    const ajv = new Ajv4({ strict: false, allErrors: true });
    const validate = ajv.compile(JSON.parse(readFileSync(SCHEMA_PATH, 'utf8')));
    const valid = validate(sarif);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
    const result = sarif.runs[0].results[0];
    expect(result.ruleId).toBe('nix/syntax-error');
    expect(result.locations[0].physicalLocation.artifactLocation.uri).toBe('b.nix');
    expect(sarif.runs[0].tool.driver.rules[result.ruleIndex].id).toBe('nix/syntax-error');
    expect(sarif.runs[0].tool.driver.rules[result.ruleIndex].helpUri).toMatch(/^https:\/\//);
    expect(sarif.runs[0].invocations[0].toolExecutionNotifications[0].message.text).toMatch(/bin\.nix/);
  });

  it('carries messageId in properties (SARIF) and as a field (JSON), ruleId unchanged', async () => {
    const root = makeTree({ 'e.nix': 'let in 1\n' });
    const config = ['--rule', 'lint/empty-let-in=warning'];
    const sarif = JSON.parse((await runCli(['scan', '.', '-f', 'sarif', ...config], root)).stdout);
    const result = sarif.runs[0].results.find((r: { ruleId: string }) => r.ruleId === 'lint/empty-let-in');
    expect(result.properties).toEqual({ messageId: 'emptyLetIn' });
    const json = JSON.parse((await runCli(['scan', '.', '-f', 'json', ...config], root)).stdout);
    const finding = json.files[0].findings.find((f: { ruleId: string }) => f.ruleId === 'lint/empty-let-in');
    expect(finding.messageId).toBe('emptyLetIn');
    expect(Object.keys(finding).slice(0, 8)).toEqual(['ruleId', 'severity', 'message', 'line', 'column', 'endLine', 'endColumn', 'messageId']);
  });

  it('keeps partialFingerprints stable when unrelated lines move', async () => {
    const before = makeTree({ 'b.nix': 'let\n  a = 1;\nin a +\n' });
    const after = makeTree({ 'b.nix': '# a comment\n\n# another\nlet\n  a = 1;\nin a +\n' });
    const fingerprint = async (root: string) => {
      const sarif = JSON.parse((await runCli(['scan', '.', '-f', 'sarif'], root)).stdout);
      const result = sarif.runs[0].results[0];
      return { line: result.locations[0].physicalLocation.region.startLine, fp: result.partialFingerprints['nixforge/v1'] };
    };
    const a = await fingerprint(before);
    const b = await fingerprint(after);
    expect(a.line).not.toBe(b.line);
    expect(a.fp).toBe(b.fp);
  });
});
