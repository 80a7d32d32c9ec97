import { beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { makeTree } from './helpers/cli.js';

const BIN = fileURLToPath(new URL('../bin/nixforge.js', import.meta.url));

/** A tree big enough that a scan takes seconds: 600 files of twenty-odd lines; the event log is flushed every few hundred events. */
function sizableTree(): string {
  const root = makeTree({});
  for (let dir = 0; dir < 6; dir += 1) {
    mkdirSync(join(root, `d${dir}`));
    for (let i = 0; i < 100; i += 1) {
      const bindings: string[] = [];
      for (let b = 0; b < 20; b += 1) bindings.push(`  a${b} = { x = ${b}; y = "s${b}"; z = [ ${b} ${i} ]; };`);
      writeFileSync(join(root, `d${dir}`, `f${i}.nix`), `{ lib, ... }:\n{\n${bindings.join('\n')}\n}\n`);
    }
  }
  return root;
}

interface Outcome {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
}

/** Runs the real binary and sends `signal` once the event log shows files being reported. */
function interruptedScan(root: string, signal: NodeJS.Signals): Promise<Outcome> {
  const events = join(root, 'events.ndjson');
  // Without project checks (deps off) reports stream while workers run, so the signal lands mid-scan; with them
  // every report waits for the project phase (a signal then stops the emission, checked in run-scan).
  const child = spawn(process.execPath, [BIN, 'scan', '.', '-f', 'json', '-o', 'report.json', '--events', events, '--threads', '2', '--rule', 'deps=off'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const poll = setInterval(() => {
    const text = existsSync(events) ? readFileSync(events, 'utf8') : '';
    if (text.includes('"nixforge.scan.file"')) {
      clearInterval(poll);
      child.kill(signal);
    }
  }, 25);
  return new Promise((resolve) => {
    child.on('exit', (code, sig) => {
      clearInterval(poll);
      resolve({ code, signal: sig, stderr });
    });
  });
}

function eventTypes(root: string): string[] {
  return readFileSync(join(root, 'events.ndjson'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => (JSON.parse(line) as { type: string }).type);
}

describe('hardening: SIGINT and SIGTERM on the real binary', () => {
  let root: string;
  beforeAll(() => {
    root = sizableTree();
  });

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`${signal}: stops the workers, writes no report, exits 2 and ends the event log with nixforge.scan.aborted`, async () => {
      for (const leftover of ['report.json', 'events.ndjson']) if (existsSync(join(root, leftover))) throw new Error(`${leftover} left from an earlier run`);
      const outcome = await interruptedScan(root, signal);
      expect(outcome.signal).toBeNull();
      expect(outcome.code).toBe(2);
      expect(outcome.stderr).toMatch(/interrupted; no report was written/);
      expect(outcome.stderr).not.toMatch(/terminate called|Napi::Error/);
      expect(existsSync(join(root, 'report.json'))).toBe(false);
      expect(readdirSync(root).filter((name) => name.endsWith('.tmp'))).toEqual([]);
      const types = eventTypes(root);
      expect(types[0]).toBe('nixforge.scan.started');
      expect(types).toContain('nixforge.scan.file');
      expect(types.at(-1)).toBe('nixforge.scan.aborted');
      expect(types).not.toContain('nixforge.scan.completed');
      unlinkSync(join(root, 'events.ndjson'));
    });
  }
});
