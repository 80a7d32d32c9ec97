import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FileReport } from '@nixforge/core';
import { generateCorpus } from '@nixforge/fixtures';

const run = promisify(execFile);
const BIN = fileURLToPath(new URL('../bin/nixforge.js', import.meta.url));

/** The real CLI in a child process whose working directory is the corpus (as a user runs it). */
async function runCli(args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { cwd, maxBuffer: 256 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    if (typeof failed.code !== 'number') throw error;
    return { code: failed.code, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

interface JsonReport {
  files: FileReport[];
  summary: { files: number; findings: number };
}

const FILES = 150;
let work: string;
let corpus: string;
let cold: { code: number; stdout: string; stderr: string };
let report: JsonReport;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'nixforge-corpus-scan-'));
  corpus = join(work, 'corpus');
  generateCorpus({ files: FILES, seed: 3, out: corpus, hugeMb: 0.05 });
  // The seeded problems include rules outside the default preset (unused formals): run every rule.
  cold = await runCli(['scan', '.', '-f', 'json', '--no-events', '--rule', 'dead-code/unused-formal=warning', '--cache', '--cache-location', join(work, 'cache'), '--write-baseline', join(work, 'baseline.json')], corpus);
  report = JSON.parse(cold.stdout) as JsonReport;
}, 300_000);

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('scanning a generated nixpkgs-like corpus', () => {
  it('analyses every file without errors', () => {
    // Warnings and infos only: no finding reaches the default failure level (error).
    expect(cold.code, cold.stderr).toBe(0);
    expect(report.summary.files).toBe(FILES);
    expect(report.files.filter((f) => f.error)).toEqual([]);
    expect(report.files.flatMap((f) => f.findings).filter((f) => f.ruleId.startsWith('internal/'))).toEqual([]);
  });

  it('reports no Nix errors: Nix itself accepts every generated file, grammar gaps included', () => {
    const nixFindings = report.files.flatMap((f) => f.findings.map((finding) => `${f.path}:${finding.line} ${finding.ruleId} ${finding.message}`)).filter((line) => / nix\//.test(line));
    expect(nixFindings).toEqual([]);
    expect(report.files.some((f) => f.path.startsWith('pkgs/misc/gaps/'))).toBe(true);
  });

  it('finds the seeded problems and no missing imports', () => {
    const byRule = new Map<string, number>();
    for (const finding of report.files.flatMap((f) => f.findings)) byRule.set(finding.ruleId, (byRule.get(finding.ruleId) ?? 0) + 1);
    expect(byRule.get('dead-code/unused-let') ?? 0).toBeGreaterThan(0);
    // The generated corpus's unused formals are all callPackage package formals, which unused-formal leaves
    // alone unless reportPackageArgs is set (issue 12).
    expect((byRule.get('security/unpinned-fetcher') ?? 0) + (byRule.get('security/insecure-url') ?? 0)).toBeGreaterThan(0);
    const missing = report.files.flatMap((f) => f.findings.filter((x) => x.ruleId === 'deps/missing-import').map((x) => `${f.path}: ${x.message}`));
    expect(missing).toEqual([]);
  });

  it('rescans the unchanged tree from the cache with the same result, and the baseline accepts everything', async () => {
    const warm = await runCli(['scan', '.', '-f', 'json', '--no-events', '--rule', 'dead-code/unused-formal=warning', '--cache', '--cache-location', join(work, 'cache')], corpus);
    expect(warm.stderr).toContain(`cache: ${FILES} of ${FILES} files reused`);
    expect(warm.stdout).toBe(cold.stdout);
    const accepted = await runCli(['scan', '.', '-f', 'json', '--no-events', '--rule', 'dead-code/unused-formal=warning', '--cache', '--cache-location', join(work, 'cache'), '--baseline', join(work, 'baseline.json')], corpus);
    expect(accepted.code).toBe(0);
    expect((JSON.parse(accepted.stdout) as JsonReport).summary.findings).toBe(0);
  });
});
