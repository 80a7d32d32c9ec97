import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** Evaluates a Nix file's text strictly with the real `nix-instantiate` and returns the JSON value. */
export function evalNixText(text: string): unknown {
  const dir = mkdtempSync(path.join(tmpdir(), 'nixforge-eval-'));
  try {
    const file = path.join(dir, 'expr.nix');
    writeFileSync(file, text);
    return JSON.parse(execFileSync('nix-instantiate', ['--eval', '--strict', '--json', file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20 }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Evaluates an expression in `cwd` (so relative imports work). */
export function evalNixIn(cwd: string, expression: string): unknown {
  return JSON.parse(execFileSync('nix-instantiate', ['--eval', '--strict', '--json', '-E', expression], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }));
}

/** `nix-instantiate --parse` on a file; throws with Nix's message when it does not parse. */
export function nixParseFile(file: string): void {
  execFileSync('nix-instantiate', ['--parse', file], { stdio: ['ignore', 'ignore', 'pipe'] });
}

/** Writes generated files under a new temporary directory and returns it. */
export function writeTemp(files: ReadonlyArray<{ path: string; content: string }>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'nixforge-out-'));
  for (const file of files) {
    const target = path.join(dir, file.path);
    execFileSync('mkdir', ['-p', path.dirname(target)]);
    writeFileSync(target, file.content);
  }
  return dir;
}
