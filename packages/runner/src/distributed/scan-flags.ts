import { resolve } from 'node:path';
import { UsageError } from '../errors.js';
import type { CliIO } from '../io.js';
import { natsUrlFrom, parseDuration } from '../events/index.js';
import type { ScanExecutor } from '../scan/index.js';
import { distributedExecutor } from './coordinator.js';
import { workQueueSettingsFromEnv } from './work-stream.js';

export const DEFAULT_WORKER_TIMEOUT_MS = 60_000;

/** The coordinator executor for `nixforge scan --distributed`, from the scan's flags. */
export function distributedScanExecutor(
  values: { nats?: string; 'shared-root'?: string; 'worker-timeout'?: string; 'shared-cache'?: boolean; 'no-progress'?: boolean; 'no-events'?: boolean },
  io: CliIO,
): ScanExecutor {
  const url = natsUrlFrom(values.nats, io.env);
  if (url === undefined) throw new UsageError('--distributed needs --nats URL (or NIXFORGE_NATS_URL)');
  const workerTimeoutMs = values['worker-timeout'] !== undefined ? parseDuration('--worker-timeout', values['worker-timeout']) : DEFAULT_WORKER_TIMEOUT_MS;
  if (workerTimeoutMs < 1) throw new UsageError('--worker-timeout: must be positive');
  const batch = io.env.NIXFORGE_WORK_BATCH;
  if (batch !== undefined && !/^[1-9]\d*$/.test(batch)) throw new UsageError(`NIXFORGE_WORK_BATCH: expected a positive integer, got '${batch}'`);
  return distributedExecutor({
    url,
    ...(batch !== undefined ? { batchSize: Number(batch) } : {}),
    settings: workQueueSettingsFromEnv(io.env),
    workerTimeoutMs,
    ...(values['shared-root'] !== undefined ? { sharedRoot: resolve(io.cwd, values['shared-root']) } : {}),
    ...(values['shared-cache'] ? { sharedCache: true } : {}),
    stderr: io.stderr,
    progress: !values['no-progress'],
    log: (line) => io.stderr.write(`nixforge scan: ${line}\n`),
  });
}
