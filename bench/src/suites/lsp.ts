import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { SourceFile, analyzeSource, resolveRules } from '@nixforge/core';
import { builtinPlugins } from '@nixforge/plugins';
import type { Suite, SuiteResult } from '../suite.js';

/** The nixforge CLI of the built runner package (its `dist/index.js` sits beside `bin/`). */
function nixforgeBin(): string {
  return join(dirname(createRequire(import.meta.url).resolve('@nixforge/runner')), '..', 'bin', 'nixforge.js');
}

/** A NixOS-style module of about `lines` lines: options, let bindings, lists, strings, a few findings. */
export function moduleText(lines: number, seed = 0): string {
  const out = ['{ config, lib, pkgs, ... }:', 'let', '  cfg = config.services.bench;', `  unusedHelper${seed} = x: x;`, 'in', '{'];
  let i = 0;
  while (out.length < lines - 2) {
    out.push(
      `  options.services.bench.opt${i} = lib.mkOption {`,
      `    type = lib.types.str;`,
      `    default = "value-${seed}-${i}";`,
      `    description = "Option ${i} of the benchmark module.";`,
      `  };`,
      `  config.environment.etc."bench/${i}".text = (cfg.opt${i});`,
      `  config.systemd.services.s${i} = { wantedBy = [ "multi-user.target" ]; script = ''`,
      `    echo ${i} > /tmp/bench-${i}`,
      `  ''; };`,
      `  config.users.users.u${i} = if cfg.enable == true then { isSystemUser = true; group = "g${i}"; } else { };`,
    );
    i += 1;
  }
  out.push('}', '');
  return out.join('\n');
}

/** A minimal LSP client over the server's stdio (Content-Length framing), enough to time diagnostics. */
class StdioClient {
  private buffer = Buffer.alloc(0);
  private nextId = 1;
  private readonly pending = new Map<number, (result: unknown) => void>();
  private readonly diagnosticWaiters: Array<{ uri: string; version: number; resolve: (at: number) => void }> = [];

  constructor(readonly child: ChildProcessWithoutNullStreams) {
    child.stdout.on('data', (chunk: Buffer) => this.receive(chunk));
    child.stderr.resume();
  }

  private receive(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const headerEnd = this.buffer.indexOf('\r\n\r\n');
      if (headerEnd < 0) return;
      const length = Number(/Content-Length: (\d+)/i.exec(this.buffer.subarray(0, headerEnd).toString('ascii'))![1]);
      if (this.buffer.length < headerEnd + 4 + length) return;
      const message = JSON.parse(this.buffer.subarray(headerEnd + 4, headerEnd + 4 + length).toString('utf8')) as {
        id?: number;
        method?: string;
        params?: { uri: string; version?: number };
        result?: unknown;
      };
      this.buffer = this.buffer.subarray(headerEnd + 4 + length);
      const at = performance.now();
      if (message.method === 'textDocument/publishDiagnostics') {
        const { uri, version } = message.params!;
        for (let i = this.diagnosticWaiters.length - 1; i >= 0; i -= 1) {
          const waiter = this.diagnosticWaiters[i]!;
          if (waiter.uri === uri && waiter.version === version) {
            this.diagnosticWaiters.splice(i, 1);
            waiter.resolve(at);
          }
        }
      } else if (message.method !== undefined && message.id !== undefined) {
        this.send({ jsonrpc: '2.0', id: message.id, result: null }); // registrations, configuration
      } else if (message.id !== undefined) {
        this.pending.get(message.id)?.(message.result);
        this.pending.delete(message.id);
      }
    }
  }

  private send(message: unknown): void {
    const body = Buffer.from(JSON.stringify(message), 'utf8');
    this.child.stdin.write(`Content-Length: ${body.length}\r\n\r\n`);
    this.child.stdin.write(body);
  }

  request(method: string, params: unknown): Promise<unknown> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.send({ jsonrpc: '2.0', id, method, params });
    });
  }

  notify(method: string, params: unknown): void {
    this.send({ jsonrpc: '2.0', method, params });
  }

  /** Resolves with the time the diagnostics of this version arrived. */
  diagnosticsOf(uri: string, version: number): Promise<number> {
    return new Promise((resolve) => this.diagnosticWaiters.push({ uri, version, resolve }));
  }
}

function residentMiB(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const field = (name: string): number => Number(new RegExp(`${name}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0) / 1024;
  return { rss: field('VmRSS'), peak: field('VmHWM') };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

const round1 = (n: number): number => Math.round(n * 10) / 10;

async function startServer(dir: string, initializationOptions: unknown = {}, bin = nixforgeBin()): Promise<StdioClient> {
  const child = spawn(process.execPath, [bin, 'lsp', '--stdio'], { cwd: dir, stdio: 'pipe' });
  const client = new StdioClient(child);
  await client.request('initialize', { processId: process.pid, rootUri: pathToFileURL(dir).href, capabilities: {}, initializationOptions });
  client.notify('initialized', {});
  return client;
}

async function stopServer(client: StdioClient): Promise<void> {
  const exited = new Promise((resolve) => client.child.once('exit', resolve));
  await client.request('shutdown', null);
  client.notify('exit', null);
  await exited;
}

/** In-process engine time (parse + all default rules) of one text: the paired baseline of the latency. */
function engineMs(path: string, text: string): number {
  const rules = resolveRules(builtinPlugins);
  const started = performance.now();
  const source = new SourceFile(path, text, path);
  analyzeSource(source, rules);
  source.dispose();
  return performance.now() - started;
}

/**
 * Editing latency of `nixforge lsp`: time from sending `didChange` (one edited line, an incremental change) to
 * receiving `publishDiagnostics` for that version, on a 1,000-line module and a 10,000-line file, against the
 * engine's in-process time for the same text (so the ratio is the server's overhead: debounce, text sync,
 * IPC, worker hand-off) and optionally against another build edited in turn; and the server's resident
 * memory with 200 open documents against the same server idle.
 */
const lspSuite: Suite = {
  name: 'lsp',
  description: 'nixforge lsp: didChange -> publishDiagnostics latency (1k, 10k lines) and RSS with 200 open documents',
  async run({ quick, workDir }): Promise<SuiteResult> {
    const dir = join(workDir, 'lsp');
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'nixforge.config.json'), '{}\n');
    const edits = quick ? 5 : 30;
    const openDocuments = quick ? 20 : 200;
    const rows: SuiteResult['rows'] = [];
    const ratios: SuiteResult['ratios'] = {};

    // The server under test, and optionally a second build to compare with (NIXFORGE_BENCH_LSP_BASELINE: the
    // bin/nixforge.js of another checkout), both with their default settings, edited in turn (A B A B).
    const baselineBin = process.env.NIXFORGE_BENCH_LSP_BASELINE;
    const variants = [{ name: 'this build', bin: nixforgeBin() }, ...(baselineBin ? [{ name: 'baseline', bin: baselineBin }] : [])];
    for (const [name, lines, target] of [['1k-line module', 1000, 50], ['10k-line file', 10000, 300]] as const) {
      const path = join(dir, `edit-${lines}.nix`);
      const uri = pathToFileURL(path).href;
      const text = moduleText(lines);
      writeFileSync(path, text);
      const servers = await Promise.all(variants.map((variant) => startServer(dir, {}, variant.bin)));
      for (const client of servers) {
        const opened = client.diagnosticsOf(uri, 1);
        client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'nix', version: 1, text } });
        await opened;
      }
      const latencies: number[][] = variants.map(() => []);
      const engineTimes: number[] = [];
      // One line changes, as when typing (an incremental change, as editors send it); the text stays valid Nix.
      const line = text.split('\n').indexOf('  cfg = config.services.bench;');
      const lineText = (version: number): string => `  cfg = config.services.bench${version % 2 ? '' : ' '};`;
      // Paired: each edit goes to every server in turn, followed by the engine on the same text in this
      // process, so load changes on the machine hit all alike. The first round warms up and is dropped.
      for (let version = 2; version < edits + 3; version += 1) {
        const change = { range: { start: { line, character: 0 }, end: { line, character: lineText(version - 1).length } }, text: lineText(version) };
        for (const [index, client] of servers.entries()) {
          const arrived = client.diagnosticsOf(uri, version);
          const sent = performance.now();
          client.notify('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [change] });
          const latency = (await arrived) - sent;
          if (version > 2) latencies[index]!.push(latency);
        }
        const edited = text.replace('cfg = config.services.bench;', `cfg = config.services.bench${version % 2 ? '' : ' '};`);
        const engine = engineMs(path, edited);
        if (version > 2) engineTimes.push(engine);
      }
      const engine = median(engineTimes);
      const key = lines === 1000 ? '1k' : '10k';
      for (const [index, variant] of variants.entries()) {
        const latency = median(latencies[index]!);
        rows.push({ document: `${name}, ${variant.name}`, lines: text.split('\n').length - 1, KiB: Math.round(Buffer.byteLength(text) / 1024), 'latency median ms': round1(latency), 'latency p90 ms': round1(percentile(latencies[index]!, 90)), 'engine ms (in-process)': round1(engine), 'target ms': target });
        const suffix = index === 0 ? '' : `-${variant.name}`;
        ratios[`latency-${key}${suffix}/engine`] = Math.round((latency / engine) * 100) / 100;
        ratios[`latency-${key}${suffix}/target`] = Math.round((latency / target) * 100) / 100;
      }
      if (variants.length > 1) ratios[`latency-${key}/baseline`] = Math.round((median(latencies[0]!) / median(latencies[1]!)) * 100) / 100;
      for (const client of servers) await stopServer(client);
    }

    // Memory: a fresh server idle (initialised, worker loaded) vs the same with N open, analysed documents.
    const server = await startServer(dir);
    const warm = join(dir, 'warm.nix');
    writeFileSync(warm, '{ }\n');
    const warmed = server.diagnosticsOf(pathToFileURL(warm).href, 1);
    server.notify('textDocument/didOpen', { textDocument: { uri: pathToFileURL(warm).href, languageId: 'nix', version: 1, text: '{ }\n' } });
    await warmed;
    const idle = residentMiB(server.child.pid!);
    const texts: string[] = [];
    const all: Array<Promise<number>> = [];
    for (let i = 0; i < openDocuments; i += 1) {
      const path = join(dir, `open-${i}.nix`);
      const text = moduleText(300 + (i % 5) * 200, i);
      texts.push(text);
      writeFileSync(path, text);
      const uri = pathToFileURL(path).href;
      all.push(server.diagnosticsOf(uri, 1));
      server.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'nix', version: 1, text } });
    }
    const openedAt = performance.now();
    await Promise.all(all);
    const allAnalysedMs = performance.now() - openedAt;
    await new Promise((resolve) => setTimeout(resolve, 500));
    const loaded = residentMiB(server.child.pid!);
    await stopServer(server);
    const textMiB = texts.reduce((sum, t) => sum + Buffer.byteLength(t), 0) / 1048576;
    rows.push({ document: `${openDocuments} open documents`, lines: texts.reduce((sum, t) => sum + t.split('\n').length - 1, 0), 'text MiB': round1(textMiB), 'RSS idle MiB': round1(idle.rss), 'RSS open MiB': round1(loaded.rss), 'peak RSS MiB': round1(loaded.peak), 'all analysed s': round1(allAnalysedMs / 1000) });
    ratios[`rss-${openDocuments}-open/idle`] = Math.round((loaded.rss / idle.rss) * 100) / 100;

    return {
      name: 'lsp',
      rows,
      ratios,
      targets: { 'latency-1k/target': { max: 1 }, 'latency-10k/target': { max: 1 } },
      notes: [
        'latency: didChange (an incremental change of one line) to publishDiagnostics of that version, through the real server process over stdio, default settings; with NIXFORGE_BENCH_LSP_BASELINE=<other checkout>/packages/runner/bin/nixforge.js that build is edited in turn (A B A B) and latency-*/baseline is this build over it',
        `memory: VmRSS of the server process (main thread + analysis worker) idle vs. with ${openDocuments} open documents of 300-1,100 lines, all analysed`,
      ],
    };
  },
};

export default lspSuite;
