import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { analyzeSource, resolveRules, SourceFile } from '@nixforge/core';
import nix, { firstNixError } from '../src/nix/index.js';

/** Nix files whose verdict and first error line must match `nix-instantiate --parse`. */
const PARITY_ROOT = new URL('../../../fixtures/parity/', import.meta.url).pathname;

function nixFiles(dir: string): string[] {
  const files: string[] = [];
  const pending = [dir];
  while (pending.length > 0) {
    const current = pending.pop()!;
    for (const entry of readdirSync(current).sort()) {
      const path = join(current, entry);
      if (statSync(path).isDirectory()) pending.push(path);
      else if (entry.endsWith('.nix')) files.push(path);
    }
  }
  return files.sort();
}

interface NixVerdict {
  ok: boolean;
  line?: number;
  message?: string;
}

/** Runs Nix 2.8's parser on one file (it stops at the first bad file, so one call per file). */
function nixVerdict(path: string): NixVerdict {
  const result = spawnSync('nix-instantiate', ['--parse', path], { encoding: 'utf8' });
  if (result.error) throw result.error;
  if (result.status === 0) return { ok: true };
  const positions = [...result.stderr.matchAll(/ at (\S+):(\d+):(\d+):/g)];
  const last = positions[positions.length - 1];
  return { ok: false, line: last ? Number(last[2]) : undefined, message: result.stderr.split('\n')[0] };
}

describe('nix plugin agrees with nix-instantiate --parse', () => {
  const files = nixFiles(PARITY_ROOT);
  const rules = resolveRules([nix]);

  it('has parity fixtures of both kinds', () => {
    expect(files.length).toBeGreaterThan(20);
  });

  it.each(files.map((f) => [relative(PARITY_ROOT, f), f] as const))('%s', (_name, path) => {
    const verdict = nixVerdict(path);
    const source = new SourceFile(path, readFileSync(path, 'utf8'));
    const findings = analyzeSource(source, rules).findings;
    const first = firstNixError(source);
    const summary = `nix: ${verdict.ok ? 'ok' : `${verdict.line}: ${verdict.message}`}\nours: ${findings
      .map((f) => `${f.line}: ${f.ruleId} ${f.message}`)
      .join('\n')}`;
    expect(findings.length > 0, summary).toBe(!verdict.ok);
    if (verdict.ok) return;
    expect(first, summary).toBeDefined();
    expect(source.positionAt(first!.nixOffset).line, summary).toBe(verdict.line);
    const reportedLine = source.positionAt(first!.range.start).line;
    expect(findings.some((f) => f.ruleId === `nix/${first!.kind}` && f.line === reportedLine), summary).toBe(true);
  });
});
