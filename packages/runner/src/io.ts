/** Where a command reads its environment and writes its output; tests pass their own. */
export interface CliIO {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Aborted on SIGINT/SIGTERM; long-running commands stop and clean up. */
  signal?: AbortSignal;
}

export function processIO(signal?: AbortSignal): CliIO {
  const io: CliIO = { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd(), env: process.env };
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
} as const;
