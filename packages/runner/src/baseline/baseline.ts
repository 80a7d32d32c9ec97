import { readFile } from 'node:fs/promises';
import { writeFileAtomically, type FileReport, type Finding } from '@nixforge/core';
import { UsageError } from '../errors.js';

const FORMAT = 'nixforge-baseline';
const FORMAT_VERSION = 1;

/**
 * One group of accepted findings in a baseline file: findings of `ruleId` in one file that share a symbol
 * (or, for findings without a symbol, a message). Lines are deliberately not part of it, so moving code
 * around does not make old findings new.
 */
export interface BaselineEntry {
  ruleId: string;
  symbol?: string;
  message?: string;
  count: number;
}

/** The JSON written by `--write-baseline`: accepted findings per file path. */
export interface BaselineFile {
  format: typeof FORMAT;
  formatVersion: typeof FORMAT_VERSION;
  files: Record<string, BaselineEntry[]>;
}

/** Separator that cannot occur in rule ids; symbol-keyed and message-keyed groups never collide. */
const SEP = '\u0000';

function groupKey(ruleId: string, symbol: string | undefined, message: string | undefined): string {
  return symbol !== undefined ? `${ruleId}${SEP}s${SEP}${symbol}` : `${ruleId}${SEP}m${SEP}${message ?? ''}`;
}

function findingKey(finding: Finding): string {
  return groupKey(finding.ruleId, finding.symbol, finding.symbol === undefined ? finding.message : undefined);
}

/**
 * Accepted findings, counted per file and group. A later run reports only findings beyond the recorded count
 * of their group (`filterNew`), so CI fails on what a change adds, not on what was already there.
 */
export class Baseline {
  private constructor(private readonly counts: Map<string, Map<string, number>>) {}

  /** Records every finding of `reports` as accepted. */
  static fromReports(reports: Iterable<FileReport>): Baseline {
    const counts = new Map<string, Map<string, number>>();
    for (const report of reports) {
      if (report.findings.length === 0) continue;
      let groups = counts.get(report.path);
      if (!groups) counts.set(report.path, (groups = new Map()));
      for (const finding of report.findings) {
        const key = findingKey(finding);
        groups.set(key, (groups.get(key) ?? 0) + 1);
      }
    }
    return new Baseline(counts);
  }

  /** Reads a baseline written by `write`; a missing, unreadable or malformed file is a UsageError naming it. */
  static async read(file: string): Promise<Baseline> {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new UsageError(`baseline ${file}: cannot read it (${code === 'ENOENT' ? 'no such file' : (code ?? String(error))})`);
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      throw new UsageError(`baseline ${file}: not valid JSON: ${(error as Error).message}`);
    }
    return Baseline.fromJson(json, file);
  }

  /** Builds a baseline from parsed JSON, checking every field; `file` names the source in errors. */
  static fromJson(json: unknown, file: string): Baseline {
    const fail = (where: string, problem: string): never => {
      throw new UsageError(`baseline ${file}: ${where} ${problem}`);
    };
    if (json === null || typeof json !== 'object' || Array.isArray(json)) fail('the top level', 'must be an object');
    const root = json as Partial<BaselineFile>;
    if (root.format !== FORMAT) fail('field "format"', `must be "${FORMAT}" (is this a nixforge baseline?)`);
    if (root.formatVersion !== FORMAT_VERSION) fail('field "formatVersion"', `must be ${FORMAT_VERSION}`);
    const files = root.files;
    if (files === null || typeof files !== 'object' || Array.isArray(files)) fail('field "files"', 'must be an object');
    const counts = new Map<string, Map<string, number>>();
    for (const [path, entries] of Object.entries(files as Record<string, unknown>)) {
      const where = `files[${JSON.stringify(path)}]`;
      if (!Array.isArray(entries)) fail(where, 'must be an array');
      const groups = new Map<string, number>();
      (entries as unknown[]).forEach((raw, index) => {
        const at = `${where}[${index}]`;
        if (raw === null || typeof raw !== 'object') fail(at, 'must be an object');
        const entry = raw as Partial<BaselineEntry>;
        if (typeof entry.ruleId !== 'string' || entry.ruleId === '') fail(`${at}.ruleId`, 'must be a non-empty string');
        if (entry.symbol !== undefined && typeof entry.symbol !== 'string') fail(`${at}.symbol`, 'must be a string');
        if (entry.message !== undefined && typeof entry.message !== 'string') fail(`${at}.message`, 'must be a string');
        if (entry.symbol === undefined && entry.message === undefined) fail(at, 'needs a "symbol" or a "message"');
        if (!Number.isInteger(entry.count) || entry.count! < 1) fail(`${at}.count`, 'must be a positive integer');
        const key = groupKey(entry.ruleId!, entry.symbol, entry.message);
        groups.set(key, (groups.get(key) ?? 0) + entry.count!);
      });
      if (groups.size > 0) counts.set(path, groups);
    }
    return new Baseline(counts);
  }

  /** Number of accepted findings in all files. */
  get total(): number {
    let total = 0;
    for (const groups of this.counts.values()) for (const count of groups.values()) total += count;
    return total;
  }

  /**
   * The report with only its new findings: per group, the first `count` findings (in report order, which is
   * by position) are accepted, the rest are new. The input is not modified.
   */
  filterNew(report: FileReport): FileReport {
    const groups = this.counts.get(report.path);
    if (!groups || report.findings.length === 0) return report;
    const used = new Map<string, number>();
    const findings = report.findings.filter((finding) => {
      const key = findingKey(finding);
      const seen = used.get(key) ?? 0;
      used.set(key, seen + 1);
      return seen >= (groups.get(key) ?? 0);
    });
    return findings.length === report.findings.length ? report : { ...report, findings };
  }

  /** The baseline as written to disk: paths and groups sorted, so the file diffs well in review. */
  toJson(): BaselineFile {
    const files: Record<string, BaselineEntry[]> = {};
    for (const path of [...this.counts.keys()].sort()) {
      const entries: BaselineEntry[] = [];
      for (const [key, count] of this.counts.get(path)!) {
        const [ruleId, kind, text] = key.split(SEP) as [string, string, string];
        entries.push(kind === 's' ? { ruleId, symbol: text, count } : { ruleId, message: text, count });
      }
      entries.sort(compareEntries);
      files[path] = entries;
    }
    return { format: FORMAT, formatVersion: FORMAT_VERSION, files };
  }

  /** Writes the baseline to `file` (via a temporary file and a rename, so readers never see half of it). */
  async write(file: string): Promise<void> {
    try {
      await writeFileAtomically(file, JSON.stringify(this.toJson(), null, 2) + '\n');
    } catch (error) {
      throw new UsageError(`baseline ${file}: cannot write it: ${(error as Error).message}`);
    }
  }
}

function compareEntries(a: BaselineEntry, b: BaselineEntry): number {
  const ka = `${a.ruleId}${SEP}${a.symbol ?? ''}${SEP}${a.message ?? ''}`;
  const kb = `${b.ruleId}${SEP}${b.symbol ?? ''}${SEP}${b.message ?? ''}`;
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}
