import { realpathSync, readFileSync, statSync } from 'node:fs';
import type { FileType } from './file-type.js';
import type { Finding } from './findings.js';
import type { ProjectContext, ProjectFile, ProjectFileSystem, ProjectReportDescriptor } from './plugin-api.js';
import type { ResolvedRule } from './rule-set.js';
import { factsKeyOf, type CollectedFacts } from './collect-facts.js';
import { RULE_ERROR_ID, reportMessage } from './engine.js';

/** One discovered file with the facts its analysis collected (fresh, cached or remote: plain data). */
export interface ProjectInput {
  path: string;
  absolutePath: string;
  fileType: FileType;
  facts?: CollectedFacts;
}

/** A finding a project check reported, with the file it belongs to and the files it depends on. */
export interface ProjectFinding {
  /** Reported path of the file. */
  path: string;
  finding: Finding;
  /** Absolute paths: the file itself plus the descriptor's `related`. */
  files: string[];
}

/** The real file system, read-only and uncached. */
export const nodeFileSystem: ProjectFileSystem = {
  kind(path) {
    const stat = statSync(path, { throwIfNoEntry: false });
    if (!stat) return undefined;
    return stat.isFile() ? 'file' : stat.isDirectory() ? 'directory' : 'other';
  },
  readText(path) {
    try {
      return readFileSync(path, 'utf8');
    } catch {
      return undefined;
    }
  },
  realpath(path) {
    try {
      return realpathSync(path);
    } catch {
      return path;
    }
  },
};

const FIRST_CHARACTER = { line: 1, column: 1, endLine: 1, endColumn: 1 };

/**
 * Runs the `check` of every rule that has one, in rule order, over all files (sorted by path, so the answer
 * does not depend on how or where files were analysed). A check that throws becomes one
 * `internal/rule-error` finding on the first file; a report naming an unknown file is such an error too.
 * Returns the findings in a deterministic order (path, position, rule, message).
 */
export function runProjectChecks(
  inputs: readonly ProjectInput[],
  rules: readonly ResolvedRule[],
  options: { cwd: string; fs?: ProjectFileSystem },
): ProjectFinding[] {
  const checked = rules.filter((rule) => typeof rule.rule.check === 'function');
  if (checked.length === 0) return [];
  const sorted = [...inputs].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const byPath = new Map<string, ProjectInput>();
  for (const input of sorted) {
    byPath.set(input.path, input);
    byPath.set(input.absolutePath, input);
  }
  const fs = options.fs ?? nodeFileSystem;
  const results: ProjectFinding[] = [];
  // Rules that share a facts key share one `files` array, so they can memoise work on it (a WeakMap by array).
  const views = new Map<string, { files: ProjectFile[]; byAbsolute: Map<string, ProjectFile> }>();
  for (const rule of checked) {
    const key = factsKeyOf(rule);
    let view = views.get(key);
    if (!view) {
      const files: ProjectFile[] = sorted.map((input) => ({
        path: input.path,
        absolutePath: input.absolutePath,
        fileType: input.fileType,
        facts: input.facts?.[key],
      }));
      view = { files, byAbsolute: new Map(files.map((file) => [file.absolutePath, file])) };
      views.set(key, view);
    }
    const { files, byAbsolute } = view;
    const report = (d: ProjectReportDescriptor): void => {
      const input = byPath.get(d.file);
      if (!input) throw new Error(`report() names ${d.file}, which is not a discovered file`);
      const finding: Finding = { ruleId: rule.id, severity: rule.severity, message: reportMessage(rule, d), ...(d.location ?? FIRST_CHARACTER) };
      if (d.messageId !== undefined) finding.messageId = d.messageId;
      if (d.symbol !== undefined) finding.symbol = d.symbol;
      results.push({ path: input.path, finding, files: [input.absolutePath, ...(d.related ?? [])] });
    };
    const context: ProjectContext = {
      id: rule.id,
      options: rule.options,
      severity: rule.severity,
      cwd: options.cwd,
      files,
      fileAt: (path) => byAbsolute.get(path),
      fs,
      report,
    };
    try {
      rule.rule.check!.call(rule.rule, context);
    } catch (error) {
      const first = sorted[0];
      if (!first) continue;
      const message = error instanceof Error ? error.message : String(error);
      results.push({
        path: first.path,
        finding: { ruleId: RULE_ERROR_ID, severity: 'error', message: `project check ${rule.id} failed: ${message}`, ...FIRST_CHARACTER, symbol: rule.id },
        files: [],
      });
    }
  }
  return results.sort(compareProjectFindings);
}

function compareProjectFindings(a: ProjectFinding, b: ProjectFinding): number {
  const x = a.finding;
  const y = b.finding;
  return (
    (a.path < b.path ? -1 : a.path > b.path ? 1 : 0) ||
    x.line - y.line ||
    x.column - y.column ||
    (x.ruleId < y.ruleId ? -1 : x.ruleId > y.ruleId ? 1 : 0) ||
    (x.message < y.message ? -1 : x.message > y.message ? 1 : 0)
  );
}
