import { sep } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { runProjectChecks, type CollectedFacts, type FileType, type Finding, type ProjectInput, type ResolvedRule } from '@nixforge/core';
import { analyzeFileTask, discoverFiles, type PreparedScan } from '../scan/index.js';

/**
 * The workspace as `nixforge scan` run in its root folder would see it, held in the analysis worker: the
 * discovered `.nix` files with the facts the root rule set's `collect` gives for each (from disk, or from
 * the editor's text while a document is open), and `check` of the project rules over all of them.
 */
export class ProjectStore {
  private readonly inputs = new Map<string, ProjectInput>();
  /** Files whose content is the editor's (open documents): disk changes of them are ignored. */
  private readonly fromEditor = new Set<string>();
  readonly checked: readonly ResolvedRule[];

  constructor(
    readonly root: string,
    readonly prepared: PreparedScan,
    private readonly maxFileSize: number,
  ) {
    this.checked = prepared.rules.filter((rule) => typeof rule.rule.check === 'function');
  }

  /** Whether the configuration has any project check (otherwise nothing here needs doing). */
  get active(): boolean {
    return this.checked.length > 0;
  }

  get rules(): readonly ResolvedRule[] {
    return this.prepared.rules;
  }

  has(absolutePath: string): boolean {
    return this.inputs.has(absolutePath);
  }

  /** Paths already looked for by `discoverIfNew`. */
  private readonly probed = new Set<string>();

  /**
   * Makes sure a document just opened is known when discovery would find it (it may have been created after
   * the workspace was discovered and before the editor reported it): discovers again, once per such path.
   * Returns the other files this found, whose facts are still to be collected.
   */
  async discoverIfNew(absolutePath: string): Promise<string[]> {
    if (this.inputs.has(absolutePath) || this.probed.has(absolutePath)) return [];
    if (!absolutePath.endsWith('.nix') || !absolutePath.startsWith(this.root + sep)) return [];
    this.probed.add(absolutePath);
    return (await this.discover()).added.filter((path) => path !== absolutePath);
  }

  /**
   * Discovers the workspace's files (as `scan .` in the root would): returns those not known before, whose
   * facts are still to be collected, and how many known ones are gone (open documents stay).
   */
  async discover(): Promise<{ added: string[]; removed: number }> {
    const found = await discoverFiles(['.'], { cwd: this.root, excludes: this.prepared.excludes, hidden: false });
    const seen = new Set<string>();
    const added: string[] = [];
    for (const file of found) {
      seen.add(file.absolutePath);
      if (this.inputs.has(file.absolutePath)) continue;
      this.inputs.set(file.absolutePath, { path: file.displayPath, absolutePath: file.absolutePath, fileType: 'unknown' });
      added.push(file.absolutePath);
    }
    let removed = 0;
    for (const path of [...this.inputs.keys()]) {
      if (seen.has(path) || this.fromEditor.has(path)) continue;
      this.inputs.delete(path);
      removed += 1;
    }
    return { added, removed };
  }

  /**
   * New facts of one file: from `text` (an open document), or read from disk when `text` is undefined (a
   * file on disk, or a document just closed). Files outside the discovered set are ignored. Returns
   * whether the facts changed.
   */
  async collect(absolutePath: string, text: string | undefined): Promise<boolean> {
    const known = this.inputs.get(absolutePath);
    if (!known) return false;
    if (text === undefined) this.fromEditor.delete(absolutePath);
    else this.fromEditor.add(absolutePath);
    const task = { absolutePath, displayPath: known.path, factsOnly: true, ...(text !== undefined ? { text } : {}) };
    const report = await analyzeFileTask(task, this.prepared.rules, this.maxFileSize, false);
    return this.setFacts(absolutePath, report.fileType, report.facts);
  }

  /** A disk change of a closed file; open documents keep the editor's content. */
  async collectFromDisk(absolutePath: string): Promise<boolean> {
    if (this.fromEditor.has(absolutePath)) return false;
    return this.collect(absolutePath, undefined);
  }

  /** Facts an analysis with the root rule set already produced (an open document's analysis). */
  setFacts(absolutePath: string, fileType: FileType, facts: CollectedFacts | undefined): boolean {
    const known = this.inputs.get(absolutePath);
    if (!known) return false;
    if (known.fileType === fileType && isDeepStrictEqual(known.facts, facts)) return false;
    const next: ProjectInput = { path: known.path, absolutePath, fileType };
    if (facts) next.facts = facts;
    this.inputs.set(absolutePath, next);
    return true;
  }

  /** Marks an open document's facts as the editor's (they came with its analysis). */
  editorOwns(absolutePath: string): void {
    if (this.inputs.has(absolutePath)) this.fromEditor.add(absolutePath);
  }

  /** Runs every project check; findings by absolute path of the file they are reported on. */
  check(): Record<string, Finding[]> {
    const byFile: Record<string, Finding[]> = {};
    const byShown = new Map([...this.inputs.values()].map((input) => [input.path, input.absolutePath]));
    for (const { path, finding } of runProjectChecks([...this.inputs.values()], this.checked, { cwd: this.root })) {
      const absolutePath = byShown.get(path) ?? path;
      (byFile[absolutePath] ??= []).push(finding);
    }
    return byFile;
  }
}
