import type { JetStreamManager, RetentionPolicy, StorageType, StreamConfig } from '@nats-io/jetstream';
import { UsageError, errorMessage } from '../errors.js';

/** How the JetStream streams are laid out; every field has a default (see SUBJECTS.md). */
export interface StreamSettings {
  /** Stream names are `<prefix>_<AREA>`, e.g. `NIXFORGE_SCAN`. */
  prefix: string;
  retention: 'limits' | 'interest' | 'workqueue';
  storage: 'file' | 'memory';
  /** Oldest message kept, in ms; 0 keeps messages forever. */
  maxAgeMs: number;
  /** Window in ms within which a repeated `Nats-Msg-Id` is dropped: this is what makes replays idempotent. */
  duplicateWindowMs: number;
  replicas: number;
}

/** The areas events are split into; each has its own stream so retention can differ per area. */
export const STREAM_AREAS = {
  SCAN: 'nixforge.scan.>',
  GENERATE: 'nixforge.generate.>',
  GIT: 'nixforge.git.>',
  TOPOLOGY: 'nixforge.topology.>',
} as const;

export const DEFAULT_STREAM_SETTINGS: StreamSettings = {
  prefix: 'NIXFORGE',
  retention: 'limits',
  storage: 'file',
  maxAgeMs: 0,
  duplicateWindowMs: 24 * 60 * 60 * 1000,
  replicas: 1,
};

const DURATION = /^(\d+)(ms|s|m|h|d)?$/;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Parses `90s`, `2h`, `7d`, `500ms` or plain milliseconds; a UsageError names the variable or flag. */
export function parseDuration(name: string, text: string): number {
  const match = DURATION.exec(text.trim());
  if (!match) throw new UsageError(`${name}: '${text}' is not a duration (use e.g. 90s, 2h, 7d)`);
  return Number(match[1]) * UNIT_MS[match[2] ?? 'ms']!;
}

/**
 * Stream settings from the environment: NIXFORGE_STREAM_PREFIX, NIXFORGE_STREAM_RETENTION, NIXFORGE_STREAM_STORAGE,
 * NIXFORGE_STREAM_MAX_AGE, NIXFORGE_STREAM_DUPLICATE_WINDOW, NIXFORGE_STREAM_REPLICAS, over the defaults.
 */
export function streamSettingsFromEnv(env: NodeJS.ProcessEnv, overrides: Partial<StreamSettings> = {}): StreamSettings {
  const settings = { ...DEFAULT_STREAM_SETTINGS };
  const prefix = env.NIXFORGE_STREAM_PREFIX;
  if (prefix !== undefined) {
    if (!/^[A-Za-z0-9_-]+$/.test(prefix)) throw new UsageError(`NIXFORGE_STREAM_PREFIX: '${prefix}' may only contain letters, digits, '_' and '-'`);
    settings.prefix = prefix;
  }
  const retention = env.NIXFORGE_STREAM_RETENTION;
  if (retention !== undefined) {
    if (retention !== 'limits' && retention !== 'interest' && retention !== 'workqueue') {
      throw new UsageError(`NIXFORGE_STREAM_RETENTION: '${retention}' is not one of limits, interest, workqueue`);
    }
    settings.retention = retention;
  }
  const storage = env.NIXFORGE_STREAM_STORAGE;
  if (storage !== undefined) {
    if (storage !== 'file' && storage !== 'memory') throw new UsageError(`NIXFORGE_STREAM_STORAGE: '${storage}' is not one of file, memory`);
    settings.storage = storage;
  }
  if (env.NIXFORGE_STREAM_MAX_AGE !== undefined) settings.maxAgeMs = parseDuration('NIXFORGE_STREAM_MAX_AGE', env.NIXFORGE_STREAM_MAX_AGE);
  if (env.NIXFORGE_STREAM_DUPLICATE_WINDOW !== undefined) {
    settings.duplicateWindowMs = parseDuration('NIXFORGE_STREAM_DUPLICATE_WINDOW', env.NIXFORGE_STREAM_DUPLICATE_WINDOW);
  }
  if (env.NIXFORGE_STREAM_REPLICAS !== undefined) {
    const replicas = Number(env.NIXFORGE_STREAM_REPLICAS);
    if (!Number.isInteger(replicas) || replicas < 1 || replicas > 5) throw new UsageError(`NIXFORGE_STREAM_REPLICAS: '${env.NIXFORGE_STREAM_REPLICAS}' is not an integer from 1 to 5`);
    settings.replicas = replicas;
  }
  Object.assign(settings, overrides);
  if (settings.maxAgeMs > 0 && settings.duplicateWindowMs > settings.maxAgeMs) settings.duplicateWindowMs = settings.maxAgeMs;
  return settings;
}

export function streamName(settings: StreamSettings, area: keyof typeof STREAM_AREAS): string {
  return `${settings.prefix}_${area}`;
}

const NANOS_PER_MS = 1_000_000;

function desiredConfig(settings: StreamSettings, area: keyof typeof STREAM_AREAS): Partial<StreamConfig> & { name: string } {
  return {
    name: streamName(settings, area),
    subjects: [STREAM_AREAS[area]],
    retention: settings.retention as RetentionPolicy,
    storage: settings.storage as StorageType,
    max_age: settings.maxAgeMs * NANOS_PER_MS,
    duplicate_window: settings.duplicateWindowMs * NANOS_PER_MS,
    num_replicas: settings.replicas,
  };
}

function differs(current: StreamConfig, desired: Partial<StreamConfig>): boolean {
  return (
    JSON.stringify(current.subjects) !== JSON.stringify(desired.subjects) ||
    current.max_age !== desired.max_age ||
    current.duplicate_window !== desired.duplicate_window ||
    current.num_replicas !== desired.num_replicas
  );
}

/**
 * Creates every nixforge stream that is missing and updates those whose subjects, age limit, duplicate window or
 * replicas differ from the settings. Safe to call at the start of every run, also from several processes at once.
 * Retention and storage cannot change on an existing stream; a mismatch is a UsageError that says so.
 */
/**
 * Creates the stream `desired` when it does not exist and returns undefined; when it exists (also when another
 * process created it between our lookup and our add), returns its current configuration for the caller to compare.
 */
export async function existingOrCreated(
  jsm: JetStreamManager,
  desired: Partial<StreamConfig> & { name: string },
): Promise<StreamConfig | undefined> {
  try {
    return (await jsm.streams.info(desired.name)).config;
  } catch (error) {
    if (!/not found/i.test(errorMessage(error))) throw error;
  }
  try {
    await jsm.streams.add(desired);
    return undefined;
  } catch (error) {
    if (!/already in use/i.test(errorMessage(error))) throw error;
    return (await jsm.streams.info(desired.name)).config;
  }
}

export async function ensureStreams(jsm: JetStreamManager, settings: StreamSettings): Promise<string[]> {
  const names: string[] = [];
  for (const area of Object.keys(STREAM_AREAS) as Array<keyof typeof STREAM_AREAS>) {
    const desired = desiredConfig(settings, area);
    names.push(desired.name);
    const current = await existingOrCreated(jsm, desired);
    if (current === undefined) continue;
    if (current.retention !== desired.retention || current.storage !== desired.storage) {
      throw new UsageError(
        `stream ${desired.name} exists with retention '${current.retention}' and storage '${current.storage}'; ` +
          `the settings ask for '${desired.retention}' and '${desired.storage}', which cannot change on an existing stream`,
      );
    }
    if (differs(current, desired)) await jsm.streams.update(desired.name, { ...current, ...desired });
  }
  return names;
}
