/** Where a command reads its environment and writes its output; tests pass their own. */
export interface CliIO {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  /** Standard input (`scan --stdin`); absent in tests that do not need it. */
  stdin?: NodeJS.ReadableStream;
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Aborted on SIGINT/SIGTERM; long-running commands stop and clean up. */
  signal?: AbortSignal;
}

export function processIO(signal?: AbortSignal): CliIO {
  const io: CliIO = { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, cwd: process.cwd(), env: process.env };
  if (signal) io.signal = signal;
  return io;
}

/** Exit codes shared by every command. */
export const EXIT = {
  /** Nothing at or above the failure level. */
  clean: 0,
  /** Findings at or above the failure level (or, for `--check`, output would change). */
  findings: 1,
  /** Usage, configuration or internal error. */
  error: 2,
  /**
   * Standard output was closed by its reader (`nixforge scan | head -1`): the command stops quietly with the status a
   * process killed by SIGPIPE has (128 + 13), as `grep`, `git` and other command-line tools report it.
   */
  brokenPipe: 141,
} as const;

/** Whether an error means that standard output's reader went away (EPIPE), which is no failure of ours. */
export function isBrokenPipe(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'EPIPE' || code === 'ERR_STREAM_DESTROYED';
}

/** Reads a stream to its end as UTF-8 text. */
export async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}
