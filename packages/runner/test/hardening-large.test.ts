import { beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { writeLargeFile } from '@nixforge/fixtures';
import { makeTree } from './helpers/cli.js';

const BIN = fileURLToPath(new URL('../bin/nixforge.js', import.meta.url));
const GNU_TIME = '/usr/bin/time';
const TIMEOUT_MS = 10_000;

interface JsonFile {
  path: string;
  error?: { code: string; message: string };
  findings: Array<{ ruleId: string; line: number; column: number }>;
}

describe('hardening: a 25 MB file and a 10 MB single line', () => {
  let root: string;
  beforeAll(async () => {
    // Generated here, streamed to disk: nothing large is committed.
    root = makeTree({ 'small.nix': '{ a = missing; }\n' });
    await writeLargeFile(join(root, 'large.nix'), 25 * 1024 * 1024, false);
    await writeLargeFile(join(root, 'one-line.nix'), 10 * 1024 * 1024, true);
    writeFileSync(join(root, 'tail.nix'), '{ b = alsoMissing; }\n');
  });

  it('reports both (analysed, or stopped by --file-timeout) while the rest of the run goes on, in bounded memory', () => {
    const args = [BIN, 'scan', '.', '-f', 'json', '--no-events', '--threads', '2', '--file-timeout', String(TIMEOUT_MS), '-o', 'report.json'];
    const measured = existsSync(GNU_TIME);
    const run = measured
      ? spawnSync(GNU_TIME, ['-f', 'nixforge-peak-rss-kb=%M wall-s=%e', process.execPath, ...args], { cwd: root, encoding: 'utf8' })
      : spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8' });
    expect(run.stderr).not.toMatch(/terminate called|FATAL ERROR|heap out of memory/);
    const files = (JSON.parse(readFileSync(join(root, 'report.json'), 'utf8')) as { files: JsonFile[] }).files;
    expect(files.map((f) => f.path)).toEqual(['large.nix', 'one-line.nix', 'small.nix', 'tail.nix']);
    for (const big of files.slice(0, 2)) {
      if (big.error) expect(big.error.code).toBe('timeout');
      else expect(big.findings.filter((f) => f.ruleId.startsWith('nix/'))).toEqual([]);
    }
    expect(files[2]!.findings.map((f) => [f.ruleId, f.line, f.column])).toEqual([['nix/undefined-variable', 1, 7]]);
    expect(files[3]!.findings.map((f) => [f.ruleId, f.line, f.column])).toEqual([['nix/undefined-variable', 1, 7]]);
    const timedOut = files.some((f) => f.error?.code === 'timeout');
    expect(run.status).toBe(timedOut ? 2 : 1);
    if (measured) {
      const peakKb = Number(/nixforge-peak-rss-kb=(\d+)/.exec(run.stderr)?.[1]);
      console.log(`25 MB + 10 MB line scan: ${/nixforge-peak-rss-kb=.*/.exec(run.stderr)?.[0]}; timed out: ${files.filter((f) => f.error).map((f) => f.path).join(', ') || 'none'}`);
      // Two workers each holding one big file's source and tree, plus the main thread.
      expect(peakKb).toBeLessThan(4 * 1024 * 1024);
    }
    // A timeout takes effect only outside native code (see native-guard.ts); parsing 25 MB is one call of about 10 s.
  }, 180_000);
});
