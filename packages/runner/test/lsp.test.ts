import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  CodeActionRequest,
  CodeActionResolveRequest,
  HoverRequest,
  type CodeAction,
  type Diagnostic,
  type MarkupContent,
  type TextEdit,
} from 'vscode-languageserver-protocol/node';
import { applyTextEdits, BIN, LspClient } from './helpers/lsp-client.js';

// Columns count UTF-16 code units: the emoji before `(name)` take two each.
const SAMPLE = `{ pkgs, lib, ... }:
let
  unused = 1;
  name = "héllo 😀";
in
{
  src = pkgs.fetchurl { url = "http://example.org/x.tar.gz"; };
  label = "😀😀"; x = (name);
  y = if true == lib.enable then 1 else 2;
}
`;

const CONFIG = {
  rules: {
    'dead-code/unused-let': 'warning',
    'security/insecure-url': 'warning',
    // insecure-url reports only unpinned downloads; the sample's missing hash is not what this test is about.
    'security/unpinned-fetcher': 'off',
    'lint/useless-parens': 'warning',
    'lint/bool-comparison': 'warning',
  },
};

interface ScanFinding {
  ruleId: string;
  severity: string;
  message: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

/** What `nixforge scan -f json` reports for a file: the oracle the editor's diagnostics must equal. */
function scanFindings(dir: string, file: string): ScanFinding[] {
  let out: string;
  try {
    out = execFileSync(process.execPath, [BIN, 'scan', file, '--no-events', '-f', 'json', '--fail-on', 'never'], { cwd: dir, encoding: 'utf8' });
  } catch (error) {
    out = (error as { stdout: string }).stdout;
  }
  const report = JSON.parse(out) as { files: Array<{ findings: ScanFinding[] }> };
  return report.files.flatMap((f) => f.findings);
}

const SEVERITY: Record<string, number> = { error: 1, warning: 2, info: 3 };

function asDiagnostic(finding: ScanFinding): Pick<Diagnostic, 'code' | 'message' | 'range' | 'severity'> {
  return {
    code: finding.ruleId,
    message: finding.message,
    severity: SEVERITY[finding.severity] as Diagnostic['severity'],
    range: { start: { line: finding.line - 1, character: finding.column - 1 }, end: { line: finding.endLine - 1, character: finding.endColumn - 1 } },
  };
}

function summary(diagnostics: readonly Diagnostic[]): Array<Pick<Diagnostic, 'code' | 'message' | 'range' | 'severity'>> {
  return diagnostics.map(({ code, message, range, severity }) => ({ code, message, range, severity }));
}

function codes(diagnostics: readonly Diagnostic[]): string[] {
  return diagnostics.map((d) => String(d.code)).sort();
}

function editsOf(action: CodeAction, uri: string): TextEdit[] {
  return action.edit?.changes?.[uri] ?? [];
}

let dir: string;
let client: LspClient | undefined;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'nixforge-lsp-'));
  writeFileSync(join(dir, 'nixforge.config.json'), JSON.stringify(CONFIG));
});

afterEach(() => {
  client?.kill();
  client = undefined;
  rmSync(dir, { recursive: true, force: true });
});

describe('nixforge lsp over stdio', () => {
  it('publishes exactly the scan findings, fixes, updates on change, hovers, disables, fixes all and shuts down', async () => {
    const file = join(dir, 'a.nix');
    writeFileSync(file, SAMPLE);
    const uri = pathToFileURL(file).href;
    const expected = scanFindings(dir, 'a.nix');
    expect(expected.map((f) => f.ruleId).sort()).toEqual(['dead-code/unused-let', 'lint/bool-comparison', 'lint/useless-parens', 'security/insecure-url']);

    client = LspClient.start(dir);
    const init = await client.initialize(pathToFileURL(dir).href);
    expect(init.capabilities.codeActionProvider).toMatchObject({ codeActionKinds: ['quickfix', 'source.fixAll.nixforge'] });
    expect(init.capabilities.hoverProvider).toBe(true);

    // Open: exactly the findings of `nixforge scan`, ranges in UTF-16, code = rule id linked to its docs.
    await client.open(uri, SAMPLE, 1);
    const opened = await client.diagnostics(uri);
    expect(opened.version).toBe(1);
    expect(summary(opened.diagnostics)).toEqual(expected.map(asDiagnostic));
    const parens = opened.diagnostics.find((d) => d.code === 'lint/useless-parens')!;
    expect(parens.range).toEqual({ start: { line: 7, character: 22 }, end: { line: 7, character: 28 } });
    expect(parens.source).toBe('nixforge');
    expect(parens.codeDescription?.href).toMatch(/docs\/rules\.md#lint-useless-parens$/);
    expect(opened.diagnostics.find((d) => d.code === 'dead-code/unused-let')!.tags).toEqual([1]);

    // Quick fix on the parentheses: preferred (safe), and applying it gives the fixed text.
    const actions = (await client.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri },
      range: parens.range,
      context: { diagnostics: [parens], only: ['quickfix'] },
    })) as CodeAction[];
    const fix = actions.find((a) => a.title.startsWith('Fix:'))!;
    expect(fix).toMatchObject({ kind: 'quickfix', isPreferred: true });
    let text = applyTextEdits(SAMPLE, editsOf(fix, uri));
    expect(text).toContain('label = "😀😀"; x = name;');
    expect(actions.map((a) => a.title)).toEqual([
      fix.title,
      'Disable lint/useless-parens for this line',
      'Disable lint/useless-parens for this file',
    ]);

    // Change (full text): the diagnostics follow.
    const before = client.published.length;
    await client.change(uri, 2, [{ text }]);
    const fixed = await client.diagnostics(uri, (p) => p.version === 2, before);
    expect(codes(fixed.diagnostics)).toEqual(['dead-code/unused-let', 'lint/bool-comparison', 'security/insecure-url']);

    // Incremental change that adds a finding.
    const at = { line: 8, character: 0 };
    await client.change(uri, 3, [{ range: { start: at, end: at }, text: '  z = (1);\n' }]);
    text = applyTextEdits(text, [{ range: { start: at, end: at }, newText: '  z = (1);\n' }]);
    const added = await client.diagnostics(uri, (p) => p.version === 3, before);
    expect(summary(added.diagnostics)).toEqual(scanFindings(dir, writeAndName(dir, 'v3.nix', text)).map(asDiagnostic));

    // Hover on a finding: the rule's explanation.
    const unused = added.diagnostics.find((d) => d.code === 'dead-code/unused-let')!;
    const hover = await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 2, character: 4 } });
    const markdown = (hover!.contents as MarkupContent).value;
    expect(markdown).toContain('**dead-code/unused-let**');
    expect(markdown).toContain('A let binding (or inherited name) is never used.');
    expect(hover!.range).toEqual(unused.range);
    expect(await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 0, character: 0 } })).toBeNull();

    // "Disable RULE for this line" writes the suppression comment above the finding, indented like it.
    const url = added.diagnostics.find((d) => d.code === 'security/insecure-url')!;
    const urlActions = (await client.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri },
      range: url.range,
      context: { diagnostics: [url] },
    })) as CodeAction[];
    const disableLine = urlActions.find((a) => a.title === 'Disable security/insecure-url for this line')!;
    expect(editsOf(disableLine, uri)).toEqual([{ range: { start: { line: 6, character: 0 }, end: { line: 6, character: 0 } }, newText: '  # nixforge-disable-next-line security/insecure-url\n' }]);
    const disableFile = urlActions.find((a) => a.title === 'Disable security/insecure-url for this file')!;
    expect(editsOf(disableFile, uri)).toEqual([{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: '# nixforge-disable-file security/insecure-url\n' }]);
    text = applyTextEdits(text, editsOf(disableLine, uri));
    await client.change(uri, 4, [{ text }]);
    const disabled = await client.diagnostics(uri, (p) => p.version === 4, before);
    expect(codes(disabled.diagnostics)).toEqual(['dead-code/unused-let', 'lint/bool-comparison', 'lint/useless-parens']);

    // Fix all in file (resolved lazily): the same text `nixforge scan --fix` writes.
    const sourceActions = (await client.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri },
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      context: { diagnostics: [], only: ['source.fixAll'] },
    })) as CodeAction[];
    expect(sourceActions.map((a) => a.kind)).toEqual(['source.fixAll.nixforge']);
    const resolved = await client.connection.sendRequest(CodeActionResolveRequest.type, sourceActions[0]!);
    const allFixed = applyTextEdits(text, editsOf(resolved, uri));
    const copy = writeAndName(dir, 'fix-copy.nix', text);
    execFileSync(process.execPath, [BIN, 'scan', copy, '--fix', '--no-events', '--fail-on', 'never'], { cwd: dir, stdio: 'pipe' });
    expect(allFixed).toBe(readFileSync(join(dir, copy), 'utf8'));
    expect(allFixed).not.toBe(text);

    // Closing clears the document's diagnostics.
    const beforeClose = client.published.length;
    await client.close(uri);
    expect((await client.diagnostics(uri, () => true, beforeClose)).diagnostics).toEqual([]);

    expect(await client.shutdown()).toBe(0);
  });
});

function writeAndName(root: string, name: string, text: string): string {
  writeFileSync(join(root, name), text);
  return name;
}

