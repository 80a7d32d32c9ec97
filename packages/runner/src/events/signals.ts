import type { CliIO } from '../io.js';

/**
 * The signal a long-running command stops on: `io.signal` when the caller gave one, otherwise one aborted by SIGINT
 * or SIGTERM for as long as the command runs (`dispose` removes the handlers again).
 */
export function commandSignal(io: CliIO): { signal: AbortSignal; dispose: () => void } {
  if (io.signal) return { signal: io.signal, dispose: () => undefined };
  const controller = new AbortController();
  const abort = () => controller.abort();
  process.once('SIGINT', abort);
  process.once('SIGTERM', abort);
  return {
    signal: controller.signal,
    dispose: () => {
      process.off('SIGINT', abort);
      process.off('SIGTERM', abort);
    },
  };
}
