import { isDeepStrictEqual } from 'node:util';
import type { Finding } from '@nixforge/core';
import { AnalysisCancelledError, AnalysisCrashError, AnalysisTimeoutError, type AnalysisHost } from './analysis-host.js';
import type { ProjectFileChange, ProjectFindings, RuleInfo, RuleSettings } from './protocol.js';

/** Files whose facts one background request collects; small, so edits queued meanwhile wait little. */
const COLLECT_CHUNK = 24;

export interface WorkspaceFactsOptions {
  host: AnalysisHost;
  root: () => string;
  settings: () => RuleSettings;
  /** The editor's text of an open document, by absolute path; undefined for closed files. */
  openText: (path: string) => string | undefined;
  /** The project findings of these files (absolute paths) changed: publish them again. */
  republish: (paths: string[]) => void;
  /** Rule metadata that came with project findings. */
  ruleInfo: (id: string, info: RuleInfo) => void;
  /** The files of the project were discovered (absolute paths; none when it has no project checks). */
  discovered?: (files: readonly string[]) => void;
  log: (line: string) => void;
}

/** A change the editor reported through `workspace/didChangeWatchedFiles`. */
export interface FileChange {
  path: string;
  kind: 'created' | 'changed' | 'deleted';
}

/**
 * Cross-file facts for the language server: the project phase of `nixforge scan` (rules' `collect` per
 * file, `check` over all files), kept in the analysis worker and fresh as the workspace changes.
 *
 * The project is the workspace folder as `nixforge scan` run there sees it: the root's configuration (or
 * the `configFile` setting), its discovered `.nix` files. When a worker starts (at initialisation and after
 * every replacement, which loses what it held) all facts are collected again, in small background requests
 * so edits are served in between; open documents give their editor text. Then the checks run, and after
 * that again whenever facts change: with an open document's analysis (its facts come from that same pass),
 * a closed file changing on disk, a file created or deleted, a document closed (its disk content counts
 * again), or a `flake.lock` changing (read by the checks themselves).
 *
 * Findings are published for every file they are reported on, open or not, as `scan` would report them:
 * a cross-file problem is often caused in the file being edited and reported in another one (the importer
 * of a file you deleted, the first file of a cycle you just closed).
 */
export class WorkspaceFacts {
  private findings = new Map<string, Finding[]>();
  /** The current worker has all facts and ran the checks once; from then on changes run them again. */
  private ready = false;
  /** The current worker holds a project (configuration with project checks, root discovered). */
  private active = false;
  private generation = 0;
  /** A project request timed out or crashed the worker: not retried until the configuration changes. */
  private broken = false;

  constructor(private readonly options: WorkspaceFactsOptions) {}

  /** Project findings of one file (absolute path). */
  projectFindings(path: string): Finding[] {
    return this.findings.get(path) ?? [];
  }

  /** Files that have project findings now (absolute paths). */
  reported(): string[] {
    return [...this.findings.keys()];
  }

  /** What an analysis of an open document asks of the project: update its facts, and check once ready. */
  analyzeFlags(): { check: boolean } | undefined {
    return this.active ? { check: this.ready } : undefined;
  }

  /** The configuration or settings changed: the project starts over (on the current or a new worker). */
  reset(): void {
    this.broken = false;
  }

  /** Collects every file's facts on the current worker and runs the checks (see the class comment). */
  async start(): Promise<void> {
    const generation = ++this.generation;
    this.ready = false;
    this.active = false;
    if (this.broken) return;
    const { host } = this.options;
    const started = performance.now();
    try {
      const opened = await host.run({ kind: 'project-open', root: this.options.root(), settings: this.options.settings() }, 'background');
      if (generation !== this.generation) return;
      this.options.discovered?.(opened.files);
      if (opened.configError !== undefined || !opened.active) {
        // A broken configuration is reported on every open document by its analysis.
        this.options.republish(this.replace({ findings: {}, rules: {} }));
        return;
      }
      this.active = true;
      for (let i = 0; i < opened.files.length; i += COLLECT_CHUNK) {
        const files = opened.files.slice(i, i + COLLECT_CHUNK).map((path) => this.changeOf(path));
        await host.run({ kind: 'project-sync', files, rediscover: false, check: false }, 'background');
        if (generation !== this.generation) return;
      }
      const synced = await host.run({ kind: 'project-sync', files: [], rediscover: false, check: true, force: true }, 'background');
      if (generation !== this.generation) return;
      this.ready = true;
      if (synced.project) this.options.republish(this.replace(synced.project));
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      this.options.log(`facts of ${opened.files.length} files collected and checked in ${seconds} s; ${this.findings.size} files with findings`);
    } catch (error) {
      this.failed(error, generation);
    }
  }

  /** Files changed on disk (from `workspace/didChangeWatchedFiles`). */
  async filesChanged(changes: readonly FileChange[]): Promise<void> {
    if (!this.active) return;
    const nix = changes.filter((change) => change.path.endsWith('.nix'));
    const rediscover = nix.some((change) => change.kind !== 'changed');
    // Open documents keep their editor text; the worker skips those it holds from the editor.
    const files = nix.filter((change) => change.kind === 'changed' && this.options.openText(change.path) === undefined).map((change) => ({ path: change.path }));
    const lockChanged = changes.some((change) => change.path.endsWith('/flake.lock'));
    if (!rediscover && files.length === 0 && !lockChanged) return;
    await this.sync({ kind: 'project-sync', files, rediscover, check: this.ready, force: lockChanged });
  }

  /** A document was closed: the project reads its content from disk again. */
  async closed(path: string): Promise<void> {
    if (!this.active) return;
    await this.sync({ kind: 'project-sync', files: [{ path, closed: true }], rediscover: false, check: this.ready });
  }

  /**
   * Takes the project findings that came with a document's analysis; returns the other files whose
   * project findings changed (the document's own are published with its analysis).
   */
  absorb(project: ProjectFindings | undefined): string[] {
    return project ? this.replace(project) : [];
  }

  private async sync(request: { kind: 'project-sync'; files: ProjectFileChange[]; rediscover: boolean; check: boolean; force?: boolean }): Promise<void> {
    const generation = this.generation;
    try {
      const result = await this.options.host.run(request, 'background');
      if (generation === this.generation && result.project) this.options.republish(this.replace(result.project));
    } catch (error) {
      this.failed(error, generation);
    }
  }

  private changeOf(path: string): ProjectFileChange {
    const text = this.options.openText(path);
    return text !== undefined ? { path, text } : { path };
  }

  /** Replaces all project findings; returns the files whose findings changed. */
  private replace(project: ProjectFindings): string[] {
    for (const [id, info] of Object.entries(project.rules)) this.options.ruleInfo(id, info);
    const next = new Map(Object.entries(project.findings));
    const changed: string[] = [];
    for (const path of new Set([...this.findings.keys(), ...next.keys()])) {
      if (!isDeepStrictEqual(this.findings.get(path), next.get(path))) changed.push(path);
    }
    this.findings = next;
    return changed;
  }

  private failed(error: unknown, generation: number): void {
    // Cancelled: the worker was replaced, and its successor starts the project over.
    if (error instanceof AnalysisCancelledError || generation !== this.generation) return;
    if (error instanceof AnalysisTimeoutError || error instanceof AnalysisCrashError) this.broken = true;
    this.options.log(`cross-file checks stopped: ${error instanceof Error ? error.message : String(error)}`);
  }
}
