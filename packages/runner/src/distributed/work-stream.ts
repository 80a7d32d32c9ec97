import { AckPolicy, DeliverPolicy, RetentionPolicy, StorageType, type JetStreamManager, type StreamConfig } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { Objm, type ObjectStore } from '@nats-io/obj';
import { UsageError, errorMessage } from '../errors.js';
import { existingOrCreated, parseDuration } from '../events/index.js';
import { RESULT_SUBJECT_PREFIX, WORK_SUBJECT_PREFIX } from './protocol.js';

export const WORK_STREAM = 'NIXFORGE_WORK';
export const RESULT_STREAM = 'NIXFORGE_WORK_RESULTS';
/** The one durable pull consumer every worker pulls from. */
export const WORKER_CONSUMER = 'nixforge-workers';
export const FILE_BUCKET = 'nixforge_work_files';

/** Timing and bounds of the work queue, from the environment (the same on coordinator and workers). */
export interface WorkQueueSettings {
  /** How long the server waits for a worker's ack (workers extend it while busy) before redelivering. */
  ackWaitMs: number;
  /** Deliveries of one item before the server gives up on it (the coordinator then splits or reports it). */
  maxDeliver: number;
  /** Items, results and large files older than this are dropped by the server (a dead coordinator's leftovers). */
  maxAgeMs: number;
}

export function workQueueSettingsFromEnv(env: NodeJS.ProcessEnv): WorkQueueSettings {
  const settings: WorkQueueSettings = { ackWaitMs: 30_000, maxDeliver: 3, maxAgeMs: 6 * 3_600_000 };
  if (env.NIXFORGE_WORK_ACK_WAIT !== undefined) settings.ackWaitMs = parseDuration('NIXFORGE_WORK_ACK_WAIT', env.NIXFORGE_WORK_ACK_WAIT);
  if (env.NIXFORGE_WORK_MAX_AGE !== undefined) settings.maxAgeMs = parseDuration('NIXFORGE_WORK_MAX_AGE', env.NIXFORGE_WORK_MAX_AGE);
  if (env.NIXFORGE_WORK_MAX_DELIVER !== undefined) {
    const value = Number(env.NIXFORGE_WORK_MAX_DELIVER);
    if (!Number.isInteger(value) || value < 1) throw new UsageError(`NIXFORGE_WORK_MAX_DELIVER: expected a positive integer, got '${env.NIXFORGE_WORK_MAX_DELIVER}'`);
    settings.maxDeliver = value;
  }
  if (settings.ackWaitMs < 500) throw new UsageError('NIXFORGE_WORK_ACK_WAIT: must be at least 500ms');
  return settings;
}

const MS = 1_000_000;

async function ensureStream(jsm: JetStreamManager, desired: Partial<StreamConfig> & { name: string }): Promise<void> {
  const current = await existingOrCreated(jsm, desired);
  if (current === undefined) return;
  if (current.retention !== desired.retention) {
    throw new UsageError(`stream ${desired.name} exists with retention '${current.retention}', a distributed scan needs '${desired.retention}'`);
  }
  if (current.max_age !== desired.max_age) await jsm.streams.update(desired.name, { ...current, max_age: desired.max_age });
}

/** Creates (or adjusts) the work stream, the result stream and the workers' consumer. Idempotent. */
export async function ensureWorkQueue(jsm: JetStreamManager, settings: WorkQueueSettings): Promise<void> {
  await ensureStream(jsm, {
    name: WORK_STREAM,
    subjects: [`${WORK_SUBJECT_PREFIX}.>`],
    retention: RetentionPolicy.Workqueue,
    storage: StorageType.File,
    max_age: settings.maxAgeMs * MS,
    duplicate_window: Math.min(settings.maxAgeMs, 120_000) * MS,
  });
  await ensureStream(jsm, {
    name: RESULT_STREAM,
    subjects: [`${RESULT_SUBJECT_PREFIX}.>`],
    retention: RetentionPolicy.Limits,
    storage: StorageType.File,
    max_age: settings.maxAgeMs * MS,
    duplicate_window: Math.min(settings.maxAgeMs, 120_000) * MS,
  });
  const desired = {
    durable_name: WORKER_CONSUMER,
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.All,
    filter_subject: `${WORK_SUBJECT_PREFIX}.>`,
    ack_wait: settings.ackWaitMs * MS,
    max_deliver: settings.maxDeliver,
    max_ack_pending: -1,
  };
  const current = await jsm.consumers.info(WORK_STREAM, WORKER_CONSUMER).catch(() => undefined);
  if (current === undefined) {
    try {
      await jsm.consumers.add(WORK_STREAM, desired);
      return;
    } catch (error) {
      if (!/already in use|already exists/i.test(errorMessage(error))) throw error;
    }
  } else if (current.config.ack_wait === desired.ack_wait && current.config.max_deliver === desired.max_deliver) {
    return;
  }
  await jsm.consumers.update(WORK_STREAM, WORKER_CONSUMER, { ack_wait: desired.ack_wait, max_deliver: desired.max_deliver });
}

/** The Object Store bucket for files (and result sets) over the inline limit; objects expire with the run's max age. */
export async function openFileBucket(connection: NatsConnection, settings: WorkQueueSettings): Promise<ObjectStore> {
  return new Objm(connection as never).create(FILE_BUCKET, { ttl: settings.maxAgeMs * MS, storage: StorageType.File as never });
}
