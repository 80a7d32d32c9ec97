import { execFileSync } from 'node:child_process';
import { PassThrough } from 'node:stream';
import { main } from '../src/cli.js';
import type { CliIO } from '../src/io.js';

/** Runs the CLI in-process with captured streams. */
export async function runCli(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  stderr.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
  const io: CliIO = { stdout, stderr, cwd, env };
  const code = await main(args, io);
  return { code, stdout: out, stderr: err };
}

/** `nix-instantiate --parse FILE`; throws with Nix's message when the file does not parse. */
export function nixParse(file: string): void {
  execFileSync('nix-instantiate', ['--parse', file], { stdio: ['ignore', 'ignore', 'pipe'] });
}

/** Evaluates a Nix expression strictly and returns its JSON value. */
export function nixEvalJson(expression: string, cwd: string): unknown {
  const out = execFileSync('nix-instantiate', ['--eval', '--strict', '--json', '-E', expression], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return JSON.parse(out);
}
