import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  CodeActionRequest,
  createProtocolConnection,
  DidOpenTextDocumentNotification,
  ExitNotification,
  FileChangeType,
  InitializedNotification,
  InitializeRequest,
  PublishDiagnosticsNotification,
  ShutdownRequest,
  SocketMessageReader,
  SocketMessageWriter,
  type CodeAction,
  type Diagnostic,
  type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol/node';
import { applyTextEdits, BIN, EDITOR_CAPABILITIES, LspClient } from './helpers/lsp-client.js';

const FAULTY = fileURLToPath(new URL('./plugins/faulty.mjs', import.meta.url));

let dir: string;
let client: LspClient | undefined;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'nixforge-lsp-ws-'));
});

afterEach(() => {
  client?.kill();
  client = undefined;
  rmSync(dir, { recursive: true, force: true });
});

function codes(diagnostics: readonly Diagnostic[]): string[] {
  return diagnostics.map((d) => String(d.code)).sort();
}

function write(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return pathToFileURL(path).href;
}

async function started(settings?: unknown): Promise<LspClient> {
  const lsp = LspClient.start(dir);
  if (settings !== undefined) lsp.settings = settings;
  await lsp.initialize(pathToFileURL(dir).href);
  return lsp;
}

describe('nixforge lsp: faults never kill the server', () => {
  it('turns a throwing rule, a hanging rule and a crashing worker into diagnostics and goes on', async () => {
    writeFileSync(join(dir, 'nixforge.config.json'), JSON.stringify({ plugins: [FAULTY], rules: { 'faulty/reports': 'off' } }));
    client = await started({ fileTimeoutMs: 1500 });

    const throwing = write('throw.nix', '# throw\n{ x = 1; }\n');
    await client.open(throwing, '# throw\n{ x = 1; }\n');
    const thrown = await client.diagnostics(throwing);
    expect(thrown.diagnostics.map((d) => [d.code, d.message])).toEqual([['internal/rule-error', expect.stringContaining('rule faulty/throws failed')]]);

    const hanging = write('hang.nix', '# hang\n{ x = 1; }\n');
    await client.open(hanging, '# hang\n{ x = 1; }\n');
    const timedOut = await client.diagnostics(hanging);
    expect(timedOut.diagnostics).toHaveLength(1);
    expect(timedOut.diagnostics[0]).toMatchObject({ code: 'internal/timeout', severity: 2 });
    expect(timedOut.diagnostics[0]!.message).toContain('timed out after 1500 ms');

    const crashing = write('crash.nix', '# crash\n{ x = 1; }\n');
    await client.open(crashing, '# crash\n{ x = 1; }\n');
    const crashed = await client.diagnostics(crashing);
    expect(crashed.diagnostics.map((d) => d.code)).toEqual(['internal/worker-crash']);
    expect(crashed.diagnostics[0]!.message).toContain('exited with code 7');

    // The server is alive, with a fresh worker: an ordinary file still gets its findings.
    const fine = write('fine.nix', 'let unused = 1; in { }\n');
    await client.open(fine, 'let unused = 1; in { }\n');
    expect(codes((await client.diagnostics(fine)).diagnostics)).toContain('dead-code/unused-let');
    expect(await client.shutdown()).toBe(0);
  });

  it('reports an invalid configuration on the document instead of failing', async () => {
    writeFileSync(join(dir, 'nixforge.config.json'), '{ "rules": { "no-such/rule": "warning" } }');
    client = await started();
    const uri = write('a.nix', '{ }\n');
    await client.open(uri, '{ }\n');
    const published = await client.diagnostics(uri);
    expect(published.diagnostics.map((d) => d.code)).toEqual(['internal/config-error']);
    expect(published.diagnostics[0]!.message).toContain('no-such/rule');
  });
});

describe('nixforge lsp: configuration', () => {
  const TEXT = 'let unused = 1; in { x = (1); }\n';

  it('uses the nearest nixforge.config.json, editor settings, and re-lints when either changes', async () => {
    writeFileSync(join(dir, 'nixforge.config.json'), JSON.stringify({ rules: { 'lint/useless-parens': 'error' } }));
    mkdirSync(join(dir, 'sub'));
    writeFileSync(join(dir, 'sub', 'nixforge.config.json'), JSON.stringify({ rules: { 'lint/useless-parens': 'off' } }));
    client = await started();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(client.registrations).toEqual(expect.arrayContaining(['workspace/didChangeConfiguration', 'workspace/didChangeWatchedFiles']));

    const top = write('top.nix', TEXT);
    const nested = write('sub/nested.nix', TEXT);
    await client.open(top, TEXT);
    await client.open(nested, TEXT);
    const topFirst = await client.diagnostics(top);
    expect(topFirst.diagnostics.find((d) => d.code === 'lint/useless-parens')?.severity).toBe(1);
    expect(codes((await client.diagnostics(nested)).diagnostics)).not.toContain('lint/useless-parens');

    // Editor settings (pushed) override the configuration, like --rule.
    let mark = client.published.length;
    await client.changeConfiguration({ nixforge: { rules: { 'dead-code/unused-let': 'off' } } });
    expect(codes((await client.diagnostics(top, () => true, mark)).diagnostics)).toEqual(['lint/useless-parens']);
    expect((await client.diagnostics(nested, () => true, mark)).diagnostics).toEqual([]);

    // A changed configuration file re-lints open documents.
    writeFileSync(join(dir, 'sub', 'nixforge.config.json'), JSON.stringify({ rules: { 'lint/useless-parens': 'info' } }));
    mark = client.published.length;
    await client.filesChanged([{ uri: pathToFileURL(join(dir, 'sub', 'nixforge.config.json')).href, type: FileChangeType.Changed }]);
    const relinted = await client.diagnostics(nested, () => true, mark);
    expect(relinted.diagnostics.find((d) => d.code === 'lint/useless-parens')?.severity).toBe(3);
  });

  it('a newer version supersedes an older one: versions only go forward and the last text wins', async () => {
    // useless-parens is in the opt-in style preset; this test needs it.
    writeFileSync(join(dir, 'nixforge.config.json'), JSON.stringify({ rules: { 'lint/useless-parens': 'warning' } }));
    client = await started();
    const uri = write('typing.nix', '{ }\n');
    await client.open(uri, '{ }\n');
    await client.diagnostics(uri);
    const mark = client.published.length;
    for (let version = 2; version <= 30; version += 1) {
      await client.change(uri, version, [{ text: version === 30 ? TEXT : `{ v${version} = ${version}; }\n` }]);
    }
    const last = await client.diagnostics(uri, (p) => p.version === 30, mark);
    expect(codes(last.diagnostics)).toEqual(['dead-code/unused-let', 'lint/useless-parens']);
    const versions = client.published.slice(mark).filter((p) => p.uri === uri).map((p) => p.version!);
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
    expect(versions.length).toBeLessThan(29);
  });
});

describe('nixforge lsp: positions', () => {
  it('ranges and fix edits are exact UTF-16 positions, also after a BOM and astral characters', async () => {
    // useless-parens is in the opt-in style preset; this test needs it.
    writeFileSync(join(dir, 'nixforge.config.json'), JSON.stringify({ rules: { 'lint/useless-parens': 'warning' } }));
    client = await started();
    const text = '\uFEFFlet s = "𝄞😀"; in { a = (s); b = s; }\r\n';
    const uri = write('bom.nix', text);
    await client.open(uri, text);
    const published = await client.diagnostics(uri);
    const parens = published.diagnostics.find((d) => d.code === 'lint/useless-parens')!;
    // `(` is at UTF-16 index 26 of the editor's text: BOM (1) + `let s = "` (9) + 𝄞😀 (4) + `"; in { a = ` (12).
    expect(text.indexOf('(s)')).toBe(26);
    expect(parens.range).toEqual({ start: { line: 0, character: 26 }, end: { line: 0, character: 29 } });
    const actions = (await client.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri },
      range: parens.range,
      context: { diagnostics: [parens], only: ['quickfix'] },
    })) as CodeAction[];
    const fix = actions.find((a) => a.title.startsWith('Fix:'))!;
    expect(applyTextEdits(text, fix.edit!.changes![uri]!)).toBe('\uFEFFlet s = "𝄞😀"; in { a = s; b = s; }\r\n');
    const disableFile = actions.find((a) => a.title === 'Disable lint/useless-parens for this file')!;
    expect(applyTextEdits(text, disableFile.edit!.changes![uri]!)).toBe(`\uFEFF# nixforge-disable-file lint/useless-parens\r\n${text.slice(1)}`);
  });
});

/** deps/missing-import is in the strict preset and deps/import-cycle only in `all`: these tests turn them on. */
function enableDepsRules(): void {
  writeFileSync(join(dir, 'nixforge.config.json'), JSON.stringify({ rules: { 'deps/missing-import': 'error', 'deps/import-cycle': 'warning' } }));
}

describe('nixforge lsp: cross-file facts from the workspace', () => {
  it('deps/missing-import follows the files on disk, refreshed by didChangeWatchedFiles', async () => {
    enableDepsRules();
    client = await started();
    const text = '{ a = import ./lib/helper.nix; }\n';
    const uri = write('main.nix', text);
    await client.open(uri, text);
    // The document's own findings may come first; the project's follow once the workspace's facts are in.
    const missing = await client.diagnostics(uri, (p) => p.diagnostics.length > 0);
    expect(missing.diagnostics.map((d) => [d.code, d.message])).toEqual([['deps/missing-import', '`./lib/helper.nix` does not exist']]);
    expect(missing.diagnostics[0]!.range).toEqual({ start: { line: 0, character: 13 }, end: { line: 0, character: 29 } });

    mkdirSync(join(dir, 'lib'));
    writeFileSync(join(dir, 'lib', 'helper.nix'), '{ }\n');
    const mark = client.published.length;
    await client.filesChanged([{ uri: pathToFileURL(join(dir, 'lib', 'helper.nix')).href, type: FileChangeType.Created }]);
    expect((await client.diagnostics(uri, () => true, mark)).diagnostics).toEqual([]);

    // Deleted again: the import is missing again.
    rmSync(join(dir, 'lib', 'helper.nix'));
    const again = client.published.length;
    await client.filesChanged([{ uri: pathToFileURL(join(dir, 'lib', 'helper.nix')).href, type: FileChangeType.Deleted }]);
    expect((await client.diagnostics(uri, () => true, again)).diagnostics.map((d) => d.code)).toEqual(['deps/missing-import']);
  });
});

describe('nixforge lsp: import cycles', () => {
  it('deps/import-cycle through files on disk is reported on the file whose path sorts first', async () => {
    writeFileSync(join(dir, 'b.nix'), '{ y = import ./c.nix; }\n');
    writeFileSync(join(dir, 'c.nix'), '{ z = import ./a.nix; }\n');
    enableDepsRules();
    client = await started();
    const text = '{ x = import ./b.nix; }\n';
    const uri = write('a.nix', text);
    await client.open(uri, text);
    const cycle = await client.diagnostics(uri, (p) => p.diagnostics.length > 0);
    expect(cycle.diagnostics.map((d) => [d.code, d.message])).toEqual([['deps/import-cycle', 'import cycle: a.nix -> b.nix -> c.nix -> a.nix']]);

    // c.nix stops importing a.nix on disk: the open a.nix is re-linted and the cycle is gone.
    writeFileSync(join(dir, 'c.nix'), '{ z = 1; }\n');
    const mark = client.published.length;
    await client.filesChanged([{ uri: pathToFileURL(join(dir, 'c.nix')).href, type: FileChangeType.Changed }]);
    expect((await client.diagnostics(uri, () => true, mark)).diagnostics).toEqual([]);
  });
});

describe('nixforge lsp: facts of closed files and unsaved text', () => {
  it('a closed file changing on disk moves findings to it and to the open document; unsaved text counts', async () => {
    writeFileSync(join(dir, 'b.nix'), '{ y = 1; }\n');
    enableDepsRules();
    client = await started();
    const a = write('a.nix', '{ x = import ./b.nix; }\n');
    const b = pathToFileURL(join(dir, 'b.nix')).href;
    await client.open(a, '{ x = import ./b.nix; }\n');
    expect((await client.diagnostics(a)).diagnostics).toEqual([]);

    // b.nix (not open) now imports a.nix back and a file that does not exist.
    writeFileSync(join(dir, 'b.nix'), '{ y = import ./a.nix; z = import ./gone.nix; }\n');
    let mark = client.published.length;
    await client.filesChanged([{ uri: b, type: FileChangeType.Changed }]);
    const cycle = await client.diagnostics(a, (p) => p.diagnostics.length > 0, mark);
    expect(cycle.diagnostics.map((d) => [d.code, d.message])).toEqual([['deps/import-cycle', 'import cycle: a.nix -> b.nix -> a.nix']]);
    // A closed file gets its project findings too, as `scan` reports them (without a version: it is not open).
    const closed = await client.diagnostics(b, () => true, mark);
    expect(closed.version).toBeUndefined();
    expect(closed.diagnostics.map((d) => [d.code, d.message, d.range.start])).toEqual([
      ['deps/missing-import', '`./gone.nix` does not exist', { line: 0, character: 33 }],
    ]);

    // The editor's unsaved text of a.nix stops importing b.nix: the cycle is gone, b.nix keeps its finding.
    mark = client.published.length;
    await client.change(a, 2, [{ text: '{ x = 1; }\n' }]);
    expect((await client.diagnostics(a, (p) => p.version === 2, mark)).diagnostics).toEqual([]);
    expect(client.published.slice(mark).filter((p) => p.uri === b)).toEqual([]);
    expect(await client.shutdown()).toBe(0);
  });
});

describe('nixforge lsp: editors that cannot watch files', () => {
  it('watches the workspace itself and sees a closed file change on disk', async () => {
    writeFileSync(join(dir, 'b.nix'), '{ y = 1; }\n');
    enableDepsRules();
    client = LspClient.start(dir);
    const { didChangeWatchedFiles: _none, ...workspace } = EDITOR_CAPABILITIES.workspace!;
    await client.initialize(pathToFileURL(dir).href, undefined, { ...EDITOR_CAPABILITIES, workspace });
    const a = write('a.nix', '{ x = import ./b.nix; }\n');
    await client.open(a, '{ x = import ./b.nix; }\n');
    await client.diagnostics(a);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(client.registrations).not.toContain('workspace/didChangeWatchedFiles');

    const mark = client.published.length;
    writeFileSync(join(dir, 'b.nix'), '{ y = import ./a.nix; }\n');
    const cycle = await client.diagnostics(a, (p) => p.diagnostics.length > 0, mark);
    expect(cycle.diagnostics.map((d) => [d.code, d.message])).toEqual([['deps/import-cycle', 'import cycle: a.nix -> b.nix -> a.nix']]);
  });
});

describe('nixforge lsp --socket', () => {
  it('listens on loopback and serves an editor that connects', async () => {
    const child = spawn(process.execPath, [BIN, 'lsp', '--socket', '0'], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
    try {
      const port = await new Promise<number>((resolve, reject) => {
        let seen = '';
        child.stderr.setEncoding('utf8');
        child.stderr.on('data', (chunk: string) => {
          seen += chunk;
          const match = /listening on 127\.0\.0\.1:(\d+)/.exec(seen);
          if (match) resolve(Number(match[1]));
        });
        child.once('exit', (code) => reject(new Error(`exited ${code}: ${seen}`)));
      });
      const socket = connect(port, '127.0.0.1');
      const connection = createProtocolConnection(new SocketMessageReader(socket), new SocketMessageWriter(socket));
      const published = new Promise<PublishDiagnosticsParams>((resolve) => connection.onNotification(PublishDiagnosticsNotification.type, resolve));
      connection.listen();
      await connection.sendRequest(InitializeRequest.type, { processId: null, rootUri: pathToFileURL(dir).href, capabilities: {} });
      await connection.sendNotification(InitializedNotification.type, {});
      const uri = write('s.nix', 'let unused = 1; in { }\n');
      await connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'nix', version: 1, text: 'let unused = 1; in { }\n' } });
      expect(codes((await published).diagnostics)).toEqual(['dead-code/unused-let']);
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      await connection.sendRequest(ShutdownRequest.type);
      await connection.sendNotification(ExitNotification.type);
      expect(await exited).toBe(0);
      connection.dispose();
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
