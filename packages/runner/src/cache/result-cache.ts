import { createHash } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomically, type FileReport } from '@nixforge/core';
import { stableStringify } from './stable-json.js';

/** The cache directory used by `--cache` when `--cache-location` is not given (relative to the scan root). */
export const DEFAULT_CACHE_LOCATION = '.nixforge/cache';

/** Name of the cache file inside the cache directory. */
export const CACHE_FILE_NAME = 'results.ndjson';

const FORMAT = 'nixforge-result-cache';
// 2: reports carry the facts of project rules (older entries lack them, so project checks would miss files).
const FORMAT_VERSION = 2;

/** Everything besides a file's content that decides its results; any change invalidates the whole cache. */
export interface ResultCacheKey {
  /** nixforge version (`VERSION`): rule implementations change between releases. */
  version: string;
  /** The enabled rules with their effective severity and merged options. Order does not matter. */
  rules: Array<{ id: string; severity: string; options: unknown }>;
  /** Fingerprints of configured (non built-in) plugins, e.g. a hash of their code or their version. */
  pluginFingerprints?: string[];
}

/** Limits that keep the cache file bounded however large the scanned tree is. */
export interface ResultCacheLimits {
  /** Entries written at most; entries stored later in the run are dropped. Default 1,000,000. */
  maxEntries?: number;
  /** Bytes written at most; entries that would go past it are dropped. Default 256 MiB. */
  maxBytes?: number;
  /** A single file's entry larger than this is not cached (the file is simply analysed again). Default 4 MiB. */
  maxEntryBytes?: number;
}

interface Entry {
  hash: string;
  report: FileReport;
}

type EntryLine = [path: string, hash: string, report: FileReport];

/** Fast content hash for cache keys (SHA-256, base64url). */
export function hashContent(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('base64url');
}

/** The fingerprint of a cache key: equal keys give equal fingerprints, whatever the order of rules or options. */
export function fingerprintKey(key: ResultCacheKey): string {
  const rules = [...key.rules]
    .map((rule) => ({ id: rule.id, severity: rule.severity, options: rule.options ?? null }))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const plugins = [...(key.pluginFingerprints ?? [])].sort();
  const text = stableStringify({ format: FORMAT_VERSION, version: key.version, rules, plugins });
  return createHash('sha256').update(text).digest('base64url');
}

/**
 * Per-file results of earlier runs, keyed by path and content hash, valid only for the same version, rules,
 * options and plugins. Use: `open`, then per file `lookup` (hit: reuse the report) or analyse and `store`,
 * then `save`. Only files looked up or stored in this run are written back, so deleted files drop out.
 * A missing, unreadable or foreign cache file starts an empty cache; it never fails a scan.
 */
export class ResultCache {
  /** Why the previous cache file was not used (absent, other key, corrupt), or undefined when it was. */
  readonly discardedBecause: string | undefined;
  private readonly previous: Map<string, Entry>;
  private readonly current = new Map<string, Entry>();
  private hitCount = 0;
  private missCount = 0;

  private constructor(
    readonly location: string,
    private readonly fingerprint: string,
    previous: Map<string, Entry>,
    discardedBecause: string | undefined,
    private readonly limits: Required<ResultCacheLimits>,
  ) {
    this.previous = previous;
    this.discardedBecause = discardedBecause;
  }

  /** Opens (or starts) the cache in directory `location` for runs described by `key`. */
  static async open(location: string, key: ResultCacheKey, limits: ResultCacheLimits = {}): Promise<ResultCache> {
    const fingerprint = fingerprintKey(key);
    const resolvedLimits: Required<ResultCacheLimits> = {
      maxEntries: limits.maxEntries ?? 1_000_000,
      maxBytes: limits.maxBytes ?? 256 * 1024 * 1024,
      maxEntryBytes: limits.maxEntryBytes ?? 4 * 1024 * 1024,
    };
    const { entries, discardedBecause } = await readEntries(join(location, CACHE_FILE_NAME), fingerprint);
    return new ResultCache(location, fingerprint, entries, discardedBecause, resolvedLimits);
  }

  /** The cached report of `path` if its content hash is still `contentHash`; marks the file as seen. */
  lookup(path: string, contentHash: string): FileReport | undefined {
    const entry = this.current.get(path) ?? this.previous.get(path);
    if (entry === undefined || entry.hash !== contentHash) {
      this.missCount += 1;
      return undefined;
    }
    this.current.set(path, entry);
    this.hitCount += 1;
    return entry.report;
  }

  /**
   * Records the report of `path` at `contentHash`. Reports with a file error (timeout, crash, read error...)
   * are not cached: they may not happen again.
   */
  store(path: string, contentHash: string, report: FileReport): void {
    if (report.error !== undefined) {
      this.current.delete(path);
      return;
    }
    this.current.set(path, { hash: contentHash, report });
  }

  /** Lookups answered from the cache in this run. */
  get hits(): number {
    return this.hitCount;
  }

  /** Lookups that found nothing usable. */
  get misses(): number {
    return this.missCount;
  }

  /** Entries that `save` would consider writing (files seen this run). */
  get size(): number {
    return this.current.size;
  }

  /**
   * Writes the entries of the files seen in this run, within the limits, to a temporary file that then
   * replaces the cache file, so a crash never leaves a half-written cache behind.
   */
  async save(): Promise<void> {
    await mkdir(this.location, { recursive: true });
    const header = JSON.stringify({ format: FORMAT, formatVersion: FORMAT_VERSION, key: this.fingerprint });
    const lines: string[] = [header];
    let bytes = header.length + 1;
    for (const [path, entry] of this.current) {
      if (lines.length - 1 >= this.limits.maxEntries) break;
      const line = JSON.stringify([path, entry.hash, entry.report] satisfies EntryLine);
      if (line.length > this.limits.maxEntryBytes) continue;
      if (bytes + line.length + 1 > this.limits.maxBytes) break;
      lines.push(line);
      bytes += line.length + 1;
    }
    const target = join(this.location, CACHE_FILE_NAME);
    await writeFileAtomically(target, lines.join('\n') + '\n');
  }
}

async function readEntries(
  file: string,
  fingerprint: string,
): Promise<{ entries: Map<string, Entry>; discardedBecause: string | undefined }> {
  const entries = new Map<string, Entry>();
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { entries, discardedBecause: code === 'ENOENT' ? 'no cache yet' : `cannot read ${file}: ${code ?? String(error)}` };
  }
  const lines = text.split('\n');
  let header: { format?: unknown; formatVersion?: unknown; key?: unknown };
  try {
    header = JSON.parse(lines[0] ?? '') as typeof header;
  } catch {
    return { entries, discardedBecause: `${file} is not a nixforge cache` };
  }
  if (header.format !== FORMAT || header.formatVersion !== FORMAT_VERSION) {
    return { entries, discardedBecause: `${file} has another cache format` };
  }
  if (header.key !== fingerprint) {
    return { entries, discardedBecause: 'version, rules, options or plugins changed' };
  }
  for (let i = 1; i < lines.length; i += 1) {
    const line = lines[i]!;
    if (line === '') continue;
    try {
      const [path, hash, report] = JSON.parse(line) as EntryLine;
      if (typeof path !== 'string' || typeof hash !== 'string' || !isReport(report)) throw new Error('bad entry');
      entries.set(path, { hash, report });
    } catch {
      entries.clear();
      return { entries, discardedBecause: `${file} is corrupt at line ${i + 1}` };
    }
  }
  return { entries, discardedBecause: undefined };
}

function isReport(value: unknown): value is FileReport {
  if (value === null || typeof value !== 'object') return false;
  const report = value as Partial<FileReport>;
  return typeof report.path === 'string' && typeof report.fileType === 'string' && Array.isArray(report.findings);
}
