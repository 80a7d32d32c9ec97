import { readFileSync } from 'node:fs';
import { compareFindings, runProjectChecks, type Finding, type ProjectInput, type ResolvedRule } from '@nixforge/core';
import type { ScanInput } from './scan-files.js';
import type { WorkerFileReport } from './task.js';

/** One file after the per-file phase: its input and the report some executor produced (pool, cache, remote). */
export interface ExecutedFile {
  input: ScanInput;
  report: WorkerFileReport;
}

export interface ProjectPhaseOptions {
  /** Directory reported paths are relative to. */
  cwd: string;
  /**
   * Whether a project finding is wanted, given the absolute paths it depends on (its file first). Default:
   * all. `--changed-since` keeps those that touch a changed (or deleted) path.
   */
  wanted?: (files: readonly string[]) => boolean;
}

/** The rules of a run that have a project check. */
export function projectRules(rules: readonly ResolvedRule[]): ResolvedRule[] {
  return rules.filter((rule) => typeof rule.rule.check === 'function');
}

/**
 * The project phase: runs every project check once, in this (main) thread, over the facts of all executed
 * files, whatever ran them. Returns the wanted findings by reported path. Deterministic: the checks see the
 * files sorted by path, and the findings come out sorted.
 */
export function runProjectPhase(files: readonly ExecutedFile[], rules: readonly ResolvedRule[], options: ProjectPhaseOptions): Map<string, Finding[]> {
  const inputs: ProjectInput[] = files.map(({ input, report }) => ({
    path: report.path,
    absolutePath: input.absolutePath,
    fileType: report.fileType,
    ...(report.facts ? { facts: report.facts } : {}),
  }));
  const byPath = new Map<string, Finding[]>();
  for (const { path, finding, files: related } of runProjectChecks(inputs, rules, { cwd: options.cwd })) {
    if (options.wanted && !options.wanted(related)) continue;
    const list = byPath.get(path);
    if (list) list.push(finding);
    else byPath.set(path, [finding]);
  }
  return byPath;
}

/**
 * The report to emit for a file: its own findings (none for a facts-only file) plus its project findings,
 * sorted. The stored report is not modified (the cache keeps per-file results only). Source lines for code
 * frames are read from `input` when the report format needs them.
 */
export function mergeProjectFindings(file: ExecutedFile, extra: readonly Finding[] | undefined, withSourceLines: boolean): WorkerFileReport {
  const { input, report } = file;
  const own = report.factsOnly || input.factsOnly ? [] : report.findings;
  const merged: WorkerFileReport = { path: report.path, fileType: report.fileType, findings: own };
  if (report.error && !input.factsOnly) merged.error = report.error;
  if (report.sourceLines && !input.factsOnly) merged.sourceLines = report.sourceLines;
  if (!extra || extra.length === 0) return merged;
  merged.findings = [...own, ...extra].sort(compareFindings);
  if (withSourceLines) {
    const lines = { ...(merged.sourceLines ?? {}) };
    let text: string[] | undefined;
    for (const finding of extra) {
      if (lines[finding.line] !== undefined) continue;
      text ??= readLines(input.absolutePath);
      lines[finding.line] = (text[finding.line - 1] ?? '').slice(0, 400);
    }
    merged.sourceLines = lines;
  }
  return merged;
}

function readLines(path: string): string[] {
  try {
    return readFileSync(path, 'utf8').replace(/^\uFEFF/, '').split(/\r?\n/);
  } catch {
    return [];
  }
}
