import { PassThrough } from 'node:stream';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { main } from '../../src/cli.js';
import type { CliIO } from '../../src/io.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

function collector(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

/**
 * The test process's environment without the colour switches: nx runs tasks with FORCE_COLOR set, and the
 * tests expect the plain report a pipe gets.
 */
export function plainEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.FORCE_COLOR;
  delete env.NO_COLOR;
  return env;
}

/** Runs the CLI in-process with captured output. */
export async function runCli(args: string[], cwd: string, extra: Partial<CliIO> = {}): Promise<CliRun> {
  const out = collector();
  const err = collector();
  const io: CliIO = { stdout: out.stream, stderr: err.stream, cwd, env: plainEnv(), ...extra };
  const code = await main(args, io);
  await new Promise((resolve) => setImmediate(resolve));
  return { code, stdout: out.text(), stderr: err.text() };
}

/** Creates a temporary directory with the given files (path -> content). */
export function makeTree(files: Record<string, string | Uint8Array>): string {
  const root = mkdtempSync(join(tmpdir(), 'nixforge-test-'));
  for (const [path, content] of Object.entries(files)) {
    const full = join(root, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, content);
  }
  return root;
}
