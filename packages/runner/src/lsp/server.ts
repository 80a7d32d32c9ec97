import { dirname, join, relative, isAbsolute } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  CodeActionKind,
  DiagnosticSeverity,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  FileChangeType,
  TextDocumentSyncKind,
  TextDocuments,
  type CodeAction,
  type Connection,
  type Diagnostic,
  type FileEvent,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { CONFIG_FILE_NAME } from '../config/index.js';
import { DEFAULT_MAX_FILE_SIZE } from '../scan/index.js';
import { VERSION } from '../version.js';
import { AnalysisCancelledError, AnalysisCrashError, AnalysisHost, AnalysisTimeoutError, type Priority } from './analysis-host.js';
import { actionLines, findingsInRange, FIX_ALL_KIND, kindRequested, quickFixes, wholeTextEdit, type PublishedFinding } from './code-actions.js';
import { fileDiagnostic, rangeContains, rangesTouch, toDiagnostic } from './diagnostics.js';
import { hoverFor } from './hover.js';
import type { ActionFactsResult, AnalyzeResult, DocumentInput, RuleInfo } from './protocol.js';
import { DEFAULT_SETTINGS, parseSettings, type ServerSettings } from './settings.js';
import { WorkspaceFacts, type FileChange } from './workspace-facts.js';
import { DirectoryWatcher } from './directory-watcher.js';

/** Findings published for one version of an open document. */
interface PublishedAnalysis {
  version: number;
  bomLength: number;
  /** The document's own findings (engine), without the project's. */
  own: PublishedFinding[];
  /** Everything published: own plus project findings. */
  entries: PublishedFinding[];
}

/** A scheduled analysis: a timer for a debounce, an immediate without one. */
type Pending = { timeout: NodeJS.Timeout } | { immediate: NodeJS.Immediate };

function cancelPending(pending: Pending | undefined): void {
  if (pending === undefined) return;
  if ('timeout' in pending) clearTimeout(pending.timeout);
  else clearImmediate(pending.immediate);
}

interface DocumentState {
  timer: Pending | undefined;
  published: PublishedAnalysis | undefined;
}

/** Changes to watched files are collected this long before open documents are re-linted. */
const WATCH_SETTLE_MS = 150;

/** Code of the diagnostic given to a document whose analysis hit the time limit. */
export const TIMEOUT_CODE = 'internal/timeout';
export const CRASH_CODE = 'internal/worker-crash';
export const CONFIG_ERROR_CODE = 'internal/config-error';
export const FILE_ERROR_CODE = 'internal/file-error';

function uriToPath(uri: string, root: string): string {
  if (uri.startsWith('file:')) {
    try {
      return fileURLToPath(uri);
    } catch {
      // fall through: treated like an unsaved buffer
    }
  }
  return join(root, 'untitled.nix');
}

/**
 * The nixforge language server on an established connection: diagnostics from the engine on open and change,
 * quick fixes, fix-all, suppression actions and hovers. All analysis runs in an `AnalysisHost` worker.
 */
export class NixforgeLanguageServer {
  private readonly documents = new TextDocuments(TextDocument);
  private readonly states = new Map<string, DocumentState>();
  private readonly rules = new Map<string, RuleInfo>();
  private readonly facts: WorkspaceFacts;
  /** Open documents by absolute path. */
  private readonly openUris = new Map<string, string>();
  /** Closed files that were given project findings (so that an empty list clears them). */
  private readonly closedPublished = new Set<string>();
  private settings: ServerSettings = DEFAULT_SETTINGS;
  private rawSettings = 'null';
  private root = process.cwd();
  private canPullConfiguration = false;
  private canRegisterConfiguration = false;
  private canWatchFiles = false;
  private resolvesEdits = false;
  private readonly host: AnalysisHost;
  private pendingChanges: FileEvent[] = [];
  /** The server's own watching, when the editor cannot watch files for it. */
  private watcher: DirectoryWatcher | undefined;
  private watchTimer: NodeJS.Timeout | undefined;

  constructor(private readonly connection: Connection) {
    this.host = new AnalysisHost({
      timeoutMs: this.settings.fileTimeoutMs,
      maxFileSize: DEFAULT_MAX_FILE_SIZE,
      log: (line) => connection.console.log(`[analysis] ${line}`),
      onWorkerStarted: () => void this.facts.start(),
    });
    this.facts = new WorkspaceFacts({
      host: this.host,
      root: () => this.root,
      settings: () => this.settings.rules,
      openText: (path) => {
        const uri = this.openUris.get(path);
        return uri === undefined ? undefined : this.documents.get(uri)?.getText();
      },
      republish: (paths) => this.republish(paths),
      ruleInfo: (id, info) => this.rules.set(id, info),
      discovered: (files) => this.watcher?.watch([this.root, ...new Set(files.map((file) => dirname(file)))]),
      log: (line) => connection.console.log(`[project] ${line}`),
    });
    connection.onInitialize((params) => this.initialize(params));
    connection.onInitialized(() => void this.initialized());
    connection.onShutdown(() => this.shutdown());
    connection.onDidChangeConfiguration((params) => void this.configurationChanged(params.settings));
    connection.onDidChangeWatchedFiles((params) => this.filesChanged(params.changes));
    connection.onCodeAction((params, token) => this.codeActions(params.textDocument.uri, params.range, params.context.only, token));
    connection.onCodeActionResolve((action) => this.resolveCodeAction(action));
    connection.onHover((params) => {
      const state = this.states.get(params.textDocument.uri)?.published;
      if (!state) return null;
      return hoverFor(state.entries.filter((entry) => rangeContains(entry.diagnostic.range, params.position)), this.rules);
    });
    this.documents.onDidOpen((event) => {
      const path = uriToPath(event.document.uri, this.root);
      this.openUris.set(path, event.document.uri);
      this.closedPublished.delete(path);
      this.schedule(event.document.uri, 0, 'open');
    });
    this.documents.onDidChangeContent((event) => {
      // onDidOpen also fires a content change; the open handler has already scheduled the first analysis.
      const state = this.states.get(event.document.uri);
      if (state?.published !== undefined || state?.timer === undefined) this.schedule(event.document.uri, this.settings.debounceMs, 'edit');
    });
    this.documents.onDidClose((event) => this.closeDocument(event.document.uri));
    this.documents.listen(connection);
  }

  listen(): void {
    this.connection.listen();
  }

  private initialize(params: InitializeParams): InitializeResult {
    const folder = params.workspaceFolders?.[0]?.uri ?? params.rootUri ?? undefined;
    if (folder?.startsWith('file:')) this.root = fileURLToPath(folder);
    else if (params.rootPath) this.root = params.rootPath;
    const capabilities = params.capabilities;
    this.canPullConfiguration = capabilities.workspace?.configuration === true;
    this.canRegisterConfiguration = capabilities.workspace?.didChangeConfiguration?.dynamicRegistration === true;
    this.canWatchFiles = capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
    this.resolvesEdits = capabilities.textDocument?.codeAction?.resolveSupport?.properties.includes('edit') === true;
    const options = params.initializationOptions as Record<string, unknown> | undefined;
    this.applySettings(options && typeof options === 'object' && 'nixforge' in options ? options.nixforge : options);
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND], resolveProvider: true },
        hoverProvider: true,
      },
      serverInfo: { name: 'nixforge', version: VERSION },
    };
  }

  private async initialized(): Promise<void> {
    if (!this.canWatchFiles) {
      const kinds: Record<FileChange['kind'], FileChangeType> = { created: FileChangeType.Created, changed: FileChangeType.Changed, deleted: FileChangeType.Deleted };
      this.watcher = new DirectoryWatcher(
        (name) => name.endsWith('.nix') || name === 'flake.lock' || name === CONFIG_FILE_NAME,
        (change) => this.filesChanged([{ uri: pathToFileURL(change.path).href, type: kinds[change.kind] }]),
        (line) => this.connection.console.log(`[watch] ${line}`),
      );
      this.watcher.watch([this.root]);
    }
    this.host.warmUp();
    if (this.canRegisterConfiguration) {
      await this.connection.client.register(DidChangeConfigurationNotification.type, { section: 'nixforge' });
    }
    if (this.canWatchFiles) {
      await this.connection.client.register(DidChangeWatchedFilesNotification.type, {
        watchers: [{ globPattern: `**/${CONFIG_FILE_NAME}` }, { globPattern: '**/*.nix' }, { globPattern: '**/flake.lock' }],
      });
    }
    if (this.canPullConfiguration) await this.configurationChanged(undefined);
  }

  private async shutdown(): Promise<void> {
    for (const state of this.states.values()) cancelPending(state.timer);
    clearTimeout(this.watchTimer);
    this.watcher?.close();
    await this.host.close();
  }

  /** Takes new settings; returns whether they differ from the current ones. */
  private applySettings(value: unknown): boolean {
    const problems: string[] = [];
    const next = parseSettings(value, this.root, problems);
    for (const problem of problems) this.connection.console.warn(problem);
    const raw = JSON.stringify(next);
    if (raw === this.rawSettings) return false;
    this.rawSettings = raw;
    this.settings = next;
    this.host.setTimeout(next.fileTimeoutMs);
    return true;
  }

  private async configurationChanged(pushed: unknown): Promise<void> {
    let value = (pushed as { nixforge?: unknown } | null | undefined)?.nixforge;
    if (value === undefined && this.canPullConfiguration) {
      try {
        value = await this.connection.workspace.getConfiguration('nixforge');
      } catch (error) {
        this.connection.console.warn(`cannot read the nixforge settings: ${String(error)}`);
      }
    }
    if (value === undefined) return;
    if (this.applySettings(value)) {
      this.relint(this.documents.keys(), 'open');
      this.facts.reset();
      void this.facts.start();
    }
  }

  /** `workspace/didChangeWatchedFiles`: collected for a moment, then configuration reloaded and documents re-linted. */
  private filesChanged(changes: FileEvent[]): void {
    this.pendingChanges.push(...changes);
    clearTimeout(this.watchTimer);
    this.watchTimer = setTimeout(() => void this.applyFileChanges(), WATCH_SETTLE_MS);
  }

  private async applyFileChanges(): Promise<void> {
    // The last event of a file says what it is now.
    const latest = new Map<string, FileChange['kind']>();
    for (const change of this.pendingChanges.splice(0)) {
      const kind = change.type === FileChangeType.Created ? 'created' : change.type === FileChangeType.Deleted ? 'deleted' : 'changed';
      latest.set(uriToPath(change.uri, this.root), kind);
    }
    const changes = [...latest].map(([path, kind]) => ({ path, kind }));
    if (changes.some(({ path }) => path.endsWith(`/${CONFIG_FILE_NAME}`) || path === this.settings.rules.configFile)) {
      // Configurations, presets and plugin modules are cached in the worker: a fresh one reads them again
      // (and collects the project's facts again, with the new rule set).
      this.facts.reset();
      await this.host.restart();
      // A worker now, even with no document open: closed files' cross-file findings follow the new rule set.
      this.host.warmUp();
      this.relint(this.documents.keys(), 'open');
      return;
    }
    // Per-file rules see one file only; what other files change is the project's facts and checks.
    await this.facts.filesChanged(changes);
  }

  private relint(uris: readonly string[], priority: Priority): void {
    for (const uri of uris) this.schedule(uri, 0, priority);
  }

  private schedule(uri: string, delay: number, priority: Priority): void {
    let state = this.states.get(uri);
    if (!state) {
      state = { timer: undefined, published: undefined };
      this.states.set(uri, state);
    }
    cancelPending(state.timer);
    const run = (): void => {
      state.timer = undefined;
      void this.lint(uri, priority);
    };
    // Without a debounce, changes that arrived in one read of the input still collapse into one analysis
    // (the immediate runs after them), and the worker's queue coalesces the rest while it is busy.
    state.timer = delay > 0 ? { timeout: setTimeout(run, delay) } : { immediate: setImmediate(run) };
  }

  private closeDocument(uri: string): void {
    const state = this.states.get(uri);
    if (state) cancelPending(state.timer);
    this.states.delete(uri);
    this.host.cancel(`analyze:${uri}`);
    const path = uriToPath(uri, this.root);
    if (this.openUris.get(path) === uri) this.openUris.delete(path);
    // Its own findings go; project findings stay, as for any closed file, until its disk content is checked.
    const project = this.projectEntries(path, 0);
    if (project.length > 0) this.closedPublished.add(path);
    void this.connection.sendDiagnostics({ uri, diagnostics: project.map((entry) => entry.diagnostic) });
    void this.facts.closed(path);
  }

  private projectEntries(path: string, bomLength: number): PublishedFinding[] {
    return this.facts
      .projectFindings(path)
      .map((finding) => ({ finding, diagnostic: toDiagnostic(finding, this.rules.get(finding.ruleId), bomLength), project: true as const }));
  }

  /** Publishes the files whose project findings changed: open ones with their own findings, closed ones alone. */
  private republish(paths: readonly string[]): void {
    for (const path of paths) {
      const uri = this.openUris.get(path);
      if (uri !== undefined) {
        const published = this.states.get(uri)?.published;
        // Not analysed yet: its first analysis publishes the project findings with its own.
        if (!published) continue;
        published.entries = [...published.own, ...this.projectEntries(path, published.bomLength)];
        void this.connection.sendDiagnostics({ uri, version: published.version, diagnostics: published.entries.map((entry) => entry.diagnostic) });
        continue;
      }
      const entries = this.projectEntries(path, 0);
      if (entries.length === 0 && !this.closedPublished.has(path)) continue;
      if (entries.length > 0) this.closedPublished.add(path);
      else this.closedPublished.delete(path);
      void this.connection.sendDiagnostics({ uri: pathToFileURL(path).href, diagnostics: entries.map((entry) => entry.diagnostic) });
    }
  }

  private input(document: TextDocument): DocumentInput {
    const path = uriToPath(document.uri, this.root);
    const shown = relative(this.root, path);
    return {
      path,
      displayPath: shown && !shown.startsWith('..') && !isAbsolute(shown) ? shown : path,
      text: document.getText(),
      settings: this.settings.rules,
    };
  }

  private async lint(uri: string, priority: Priority): Promise<void> {
    const document = this.documents.get(uri);
    const opened = this.states.get(uri);
    if (!document || !opened) return;
    const version = document.version;
    const input = this.input(document);
    const bomLength = input.text.startsWith('\uFEFF') ? 1 : 0;
    let own: PublishedFinding[];
    const project = uri.startsWith('file:') ? this.facts.analyzeFlags() : undefined;
    try {
      const result = await this.host.run({ kind: 'analyze', ...input, ...(project ? { project } : {}) }, priority, `analyze:${uri}`);
      own = this.entriesOf(result, bomLength);
      // Other files' project findings may have changed with this document's facts, whatever its version now.
      const others = this.facts.absorb(result.project).filter((path) => path !== input.path);
      if (others.length > 0) this.republish(others);
    } catch (error) {
      if (error instanceof AnalysisCancelledError) return; // a newer request for this document replaced it
      own = [{ finding: internalFinding(error), diagnostic: failureDiagnostic(error, this.settings.fileTimeoutMs) }];
    }
    // Closed (or closed and opened again), or superseded by a newer version: a newer analysis publishes.
    const state = this.states.get(uri);
    if (state !== opened || this.documents.get(uri)?.version !== version) return;
    const entries = [...own, ...this.projectEntries(input.path, bomLength)];
    state.published = { version, bomLength, own, entries };
    await this.connection.sendDiagnostics({ uri, version, diagnostics: entries.map((entry) => entry.diagnostic) });
  }

  private entriesOf(result: AnalyzeResult, bomLength: number): PublishedFinding[] {
    if (result.configError !== undefined) {
      const message = `nixforge: ${result.configError}`;
      return [{ finding: fileFinding(CONFIG_ERROR_CODE, message), diagnostic: fileDiagnostic(CONFIG_ERROR_CODE, message, DiagnosticSeverity.Error) }];
    }
    if (result.error) {
      const message = `nixforge: ${result.error.message}`;
      return [{ finding: fileFinding(FILE_ERROR_CODE, message), diagnostic: fileDiagnostic(FILE_ERROR_CODE, message, DiagnosticSeverity.Warning) }];
    }
    for (const [id, info] of Object.entries(result.rules)) this.rules.set(id, info);
    return result.findings.map((finding) => ({ finding, diagnostic: toDiagnostic(finding, this.rules.get(finding.ruleId), bomLength) }));
  }

  private current(uri: string): { document: TextDocument; published: PublishedAnalysis } | undefined {
    const document = this.documents.get(uri);
    const published = this.states.get(uri)?.published;
    if (!document || !published || published.version !== document.version) return undefined;
    return { document, published };
  }

  private async codeActions(
    uri: string,
    range: { start: { line: number; character: number }; end: { line: number; character: number } },
    only: string[] | undefined,
    token: { isCancellationRequested: boolean; onCancellationRequested: (listener: () => void) => unknown },
  ): Promise<CodeAction[] | null> {
    const current = this.current(uri);
    if (!current) return [];
    const { document, published } = current;
    const actions: CodeAction[] = [];
    if (kindRequested(CodeActionKind.QuickFix, only)) {
      const entries = findingsInRange(published.entries, range, rangesTouch);
      if (entries.length > 0) {
        const key = `actions:${uri}`;
        token.onCancellationRequested(() => this.host.cancel(key));
        let facts: ActionFactsResult;
        const fixes = entries.flatMap((entry) => (entry.finding.fix ? [entry.finding.fix] : []));
        try {
          facts = await this.host.run({ kind: 'action-facts', ...this.input(document), fixes, lines: actionLines(entries) }, 'edit', key);
        } catch (error) {
          if (error instanceof AnalysisCancelledError) return null;
          facts = { safe: fixes.map(() => false), insertable: [] };
        }
        if (token.isCancellationRequested || this.current(uri)?.document.version !== document.version) return null;
        actions.push(...quickFixes(document, entries, facts, published.bomLength));
      }
    }
    if (kindRequested(FIX_ALL_KIND, only) && published.entries.some((entry) => entry.finding.fix !== undefined)) {
      const action: CodeAction = { title: 'Fix all auto-fixable nixforge problems', kind: FIX_ALL_KIND, data: { uri, version: document.version } };
      actions.push(this.resolvesEdits ? action : await this.resolveCodeAction(action));
    }
    return actions;
  }

  /** Computes the edit of "fix all in file" (lazily, when the client supports resolving). */
  private async resolveCodeAction(action: CodeAction): Promise<CodeAction> {
    const data = action.data as { uri?: string; version?: number } | undefined;
    if (action.kind !== FIX_ALL_KIND || !data?.uri) return action;
    const document = this.documents.get(data.uri);
    if (!document || document.version !== data.version) return action;
    try {
      const fixed = await this.host.run({ kind: 'fix-all', ...this.input(document) }, 'edit');
      if (this.documents.get(data.uri)?.version !== document.version) return action;
      const edits = fixed.text === document.getText() ? [] : [wholeTextEdit(document, fixed.text)];
      return { ...action, edit: { changes: { [data.uri]: edits } } };
    } catch (error) {
      this.connection.console.warn(`fix all failed for ${data.uri}: ${String(error)}`);
      return action;
    }
  }
}

function fileFinding(ruleId: string, message: string): PublishedFinding['finding'] {
  return { ruleId, severity: 'warning', message, line: 1, column: 1, endLine: 1, endColumn: 1 };
}

function internalFinding(error: unknown): PublishedFinding['finding'] {
  const code = error instanceof AnalysisTimeoutError ? TIMEOUT_CODE : CRASH_CODE;
  return fileFinding(code, error instanceof Error ? error.message : String(error));
}

/** The one diagnostic of a document whose analysis timed out or crashed. */
function failureDiagnostic(error: unknown, timeoutMs: number): Diagnostic {
  if (error instanceof AnalysisTimeoutError) {
    return fileDiagnostic(
      TIMEOUT_CODE,
      `nixforge: analysis of this file timed out after ${timeoutMs} ms (setting nixforge.fileTimeoutMs); no findings are shown`,
      DiagnosticSeverity.Warning,
    );
  }
  const reason = error instanceof AnalysisCrashError ? error.message : `internal error: ${error instanceof Error ? error.message : String(error)}`;
  return fileDiagnostic(CRASH_CODE, `nixforge: ${reason}; no findings are shown`, DiagnosticSeverity.Error);
}
