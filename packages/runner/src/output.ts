import { createWriteStream, type WriteStream } from 'node:fs';
import { rename, unlink } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { once } from 'node:events';
import { resolveWriteTarget } from '@nixforge/core';
import { UsageError } from './errors.js';

/**
 * Where a report goes: stdout, or a file written atomically (a temporary file renamed into place on
 * `commit`, deleted on `discard`), so an interrupted run never leaves a partial report.
 */
export interface ReportOutput {
  write(chunk: string): Promise<void>;
  commit(): Promise<void>;
  discard(): Promise<void>;
}

async function writeWithBackpressure(stream: NodeJS.WritableStream, chunk: string): Promise<void> {
  if (chunk.length === 0) return;
  if (!stream.write(chunk)) await once(stream, 'drain');
}

/**
 * A report on a stream (stdout). A write error (EPIPE when the reader closed the pipe) is kept and thrown by the
 * next write, so the scan stops instead of analysing files nobody will read about, or by `commit` when it hit
 * the last writes (a stream reports an error after the write that met it).
 */
export function streamOutput(stream: NodeJS.WritableStream): ReportOutput {
  let failure: Error | undefined;
  stream.on('error', (error: Error) => {
    failure ??= error;
  });
  return {
    write: async (chunk) => {
      if (failure) throw failure;
      await writeWithBackpressure(stream, chunk);
    },
    commit: async () => {
      if (!failure) await flushed(stream).catch((error: Error) => (failure ??= error));
      if (failure) throw failure;
    },
    discard: async () => {},
  };
}

/** Resolves once everything written so far has reached the stream's target, or rejects with its write error. */
function flushed(stream: NodeJS.WritableStream): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.write('', (error?: Error | null) => (error ? reject(error) : resolve()));
  });
}

/** An output that drops everything (a scan pass whose report nobody reads). */
export function discardOutput(): ReportOutput {
  return { write: async () => {}, commit: async () => {}, discard: async () => {} };
}

/**
 * `--output PATH`: a regular file (new, or replaced; through a symbolic link its target) is written as a temporary
 * file renamed into place on `commit`. A device or pipe (`/dev/null`, `/dev/stdout`, a FIFO) is written directly:
 * renaming over it would replace it with a plain file.
 */
export async function atomicFileOutput(cwd: string, path: string): Promise<ReportOutput> {
  const { path: target, inPlace } = await resolveWriteTarget(resolve(cwd, path));
  const temp = inPlace ? target : join(dirname(target), `.${basename(target)}.${process.pid}.${Date.now()}.tmp`);
  const stream: WriteStream = createWriteStream(temp, { flags: inPlace ? 'w' : 'wx' });
  try {
    await once(stream, 'open');
  } catch (error) {
    throw new UsageError(`--output ${path}: cannot write (${(error as NodeJS.ErrnoException).code ?? error})`);
  }
  let failure: Error | undefined;
  stream.on('error', (error) => {
    failure = error;
  });
  const close = async (): Promise<void> => {
    if (stream.closed) return;
    stream.end();
    await once(stream, 'close');
  };
  return {
    async write(chunk) {
      if (failure) throw failure;
      await writeWithBackpressure(stream, chunk);
    },
    async commit() {
      await close();
      if (failure) throw failure;
      if (!inPlace) await rename(temp, target);
    },
    async discard() {
      await close().catch(() => {});
      if (!inPlace) await unlink(temp).catch(() => {});
    },
  };
}
