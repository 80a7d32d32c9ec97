import { PassThrough } from 'node:stream';
import type { CliIO } from '../../src/io.js';

/** A CliIO whose output can be read while a command is still running (tail, serve, a scan in progress). */
export interface LiveIO extends CliIO {
  out: () => string;
  err: () => string;
}

function collector(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

export function liveIO(cwd: string, options: { signal?: AbortSignal; env?: NodeJS.ProcessEnv } = {}): LiveIO {
  const stdout = collector();
  const stderr = collector();
  const io: LiveIO = { stdout: stdout.stream, stderr: stderr.stream, cwd, env: options.env ?? {}, out: stdout.text, err: stderr.text };
  if (options.signal) io.signal = options.signal;
  return io;
}

/** Polls `condition` every 25 ms until it holds; throws naming `what` after `timeoutMs`. */
export async function waitFor(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
