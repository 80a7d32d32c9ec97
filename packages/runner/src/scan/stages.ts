import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { relative, resolve, sep } from 'node:path';
import type { CliIO } from '../io.js';
import { UsageError } from '../errors.js';
import { Baseline } from '../baseline/baseline.js';
import { DEFAULT_CACHE_LOCATION, ResultCache, hashContent } from '../cache/result-cache.js';
import { changedPathsSince, listNixFilesAtRev, readBlobText } from '../git/index.js';
import { VERSION } from '../version.js';
import type { PreparedScan, ScanPipelineHooks } from './run-scan.js';
import type { ScanInput } from './scan-files.js';
import { locateRepositoryRoot } from './repository-root.js';
import type { WorkerFileReport } from './task.js';

/** The optional stages of `nixforge scan`, as given by flags. */
export interface StageOptions {
  cache?: boolean;
  cacheLocation?: string;
  baseline?: string;
  writeBaseline?: string;
  changedSince?: string;
  rev?: string;
}

/** A stage contributes hooks and, at the end, lines for the stderr summary. */
export interface Stages {
  hooks: ScanPipelineHooks;
  /** Must run after the scan: saves the cache, writes the baseline. Returns summary lines. */
  finish(): Promise<string[]>;
}

function toPosix(path: string): string {
  return sep === '/' ? path : path.split(sep).join('/');
}

/** Inputs from the tree of a Git revision instead of the work tree (`--rev`): blobs are read just before analysis. */
async function revisionInputs(io: CliIO, repoDir: string, rev: string): Promise<ScanInput[]> {
  const root = resolve(io.cwd, repoDir);
  const files = await listNixFilesAtRev(root, rev);
  return files.map(({ path, oid }) => {
    const absolutePath = resolve(root, path);
    const displayPath = toPosix(relative(io.cwd, absolutePath)) || path;
    return { absolutePath, displayPath, loadText: () => readBlobText(root, oid) };
  });
}

export async function createStages(options: StageOptions, prepared: PreparedScan, targets: string[], io: CliIO): Promise<Stages> {
  const hooks: ScanPipelineHooks = {};
  const finishers: Array<() => Promise<string[]>> = [];

  if (options.rev !== undefined && options.changedSince !== undefined) {
    throw new UsageError('--rev and --changed-since cannot be combined');
  }
  if (options.rev !== undefined) {
    if (targets.length > 1) throw new UsageError('--rev takes at most one PATH: the repository to read');
    const rev = options.rev;
    hooks.selectInputs = () => revisionInputs(io, targets[0] ?? '.', rev);
  } else if (options.changedSince !== undefined) {
    const since = options.changedSince;
    const hasProjectChecks = prepared.rules.some((rule) => typeof rule.rule.check === 'function');
    let changed = new Set<string>();
    hooks.selectInputs = async (inputs) => {
      const repo = resolve(io.cwd, targets.length === 1 ? targets[0]! : '.');
      const root = locateRepositoryRoot(repo);
      const paths = await changedPathsSince(root, since, (path) => path.endsWith('.nix') || path === 'flake.lock' || path.endsWith('/flake.lock'));
      changed = new Set(paths.map((p) => resolve(root, p)));
      // Unchanged files still give their facts (from the cache, or collected without running the per-file
      // rules), so project checks see the whole tree; only without project checks are they left out.
      if (!hasProjectChecks) return inputs.filter((input) => changed.has(input.absolutePath));
      return inputs.map((input) => (changed.has(input.absolutePath) ? input : { ...input, factsOnly: true }));
    };
    hooks.wantProjectFinding = (files) => files.some((file) => changed.has(file));
  }

  if (options.cache) {
    const location = resolve(io.cwd, options.cacheLocation ?? DEFAULT_CACHE_LOCATION);
    const cache = await ResultCache.open(location, {
      version: VERSION,
      rules: prepared.rules.map((r) => ({ id: r.id, severity: r.severity, options: r.options })),
      pluginFingerprints: await Promise.all(
        prepared.setup.pluginUrls.map(async (url) => hashContent(await readFile(new URL(url)).catch(() => Buffer.from(url)))),
      ),
    });
    hooks.lookup = async (input) => {
      if (input.loadText) return undefined;
      let bytes: Buffer;
      try {
        // Synchronous: a warm rescan is little more than reading and hashing every file, and for small files
        // fs/promises costs several times the read itself (about 10 s instead of 2 s on 40,000 files).
        bytes = readFileSync(input.absolutePath);
      } catch {
        return undefined;
      }
      const hit = cache.lookup(input.displayPath, hashContent(bytes));
      return hit as WorkerFileReport | undefined;
    };
    const previousRecord = hooks.record;
    hooks.record = (input, report) => {
      previousRecord?.(input, report);
      if (report.contentHash !== undefined && !input.loadText && !report.factsOnly) cache.store(input.displayPath, report.contentHash, report);
    };
    finishers.push(async () => {
      await cache.save();
      return [`cache: ${cache.hits} of ${cache.hits + cache.misses} files reused${cache.discardedBecause ? ` (previous cache not used: ${cache.discardedBecause})` : ''}`];
    });
  }

  if (options.writeBaseline !== undefined) {
    const file = resolve(io.cwd, options.writeBaseline);
    const withFindings: WorkerFileReport[] = [];
    const previousFilter = hooks.filter;
    // Recorded before `--baseline` filtering, so a rewritten baseline accepts everything found now.
    hooks.filter = (report) => {
      if (report.findings.length > 0) withFindings.push({ path: report.path, fileType: report.fileType, findings: report.findings });
      return previousFilter ? previousFilter(report) : report;
    };
    finishers.push(async () => {
      const baseline = Baseline.fromReports(withFindings);
      await baseline.write(file);
      return [`baseline: ${baseline.total} findings recorded in ${options.writeBaseline}`];
    });
  }

  if (options.baseline !== undefined) {
    const baseline = await Baseline.read(resolve(io.cwd, options.baseline));
    const previousFilter = hooks.filter;
    hooks.filter = (report) => baseline.filterNew(previousFilter ? previousFilter(report) : report);
  }

  return {
    hooks,
    async finish() {
      const lines: string[] = [];
      for (const finish of finishers) lines.push(...(await finish()));
      return lines;
    },
  };
}
