import type { NatsConnection } from '@nats-io/transport-node';
import type { KV } from '@nats-io/kv';
import { connectNats } from './connection.js';
import { subjectToken } from './subjects.js';

/** The KV bucket holding the read models; NIXFORGE_KV_BUCKET overrides it. */
export const READ_MODEL_BUCKET = 'nixforge_read_models';

/**
 * Small read models kept in a JetStream KV bucket, keyed by repository: `run-summary.<repository>` holds the latest
 * scan summary, `history-cursor.<repository>` the last commit `history` processed (so it can resume).
 */
export interface ReadModels {
  putRunSummary(repository: string, summary: unknown): Promise<void>;
  getRunSummary<T = unknown>(repository: string): Promise<T | undefined>;
  putHistoryCursor(repository: string, commit: string): Promise<void>;
  getHistoryCursor(repository: string): Promise<string | undefined>;
  /** Closes the connection if these read models opened it. */
  close(): Promise<void>;
}

/** Connects to `natsUrl` (UsageError when unreachable) and opens, creating if needed, the read-model bucket. */
export async function openReadModels(natsUrl: string, options: { bucket?: string; env?: NodeJS.ProcessEnv } = {}): Promise<ReadModels> {
  const connection = await connectNats(natsUrl, { name: 'nixforge-read-models' });
  try {
    return await readModelsOn(connection, options.bucket ?? options.env?.NIXFORGE_KV_BUCKET, true);
  } catch (error) {
    await connection.close();
    throw error;
  }
}

/** Read models on an existing connection; `owned` says whether `close()` closes that connection. */
export async function readModelsOn(connection: NatsConnection, bucket = READ_MODEL_BUCKET, owned = false): Promise<ReadModels> {
  // Imported here so that loading the events folder does not load the NATS client.
  const { Kvm } = await import('@nats-io/kv');
  const kv = await new Kvm(connection).create(bucket, { history: 5 });
  return new KvReadModels(kv, connection, owned);
}

class KvReadModels implements ReadModels {
  constructor(
    private readonly kv: KV,
    private readonly connection: NatsConnection,
    private readonly owned: boolean,
  ) {}

  async putRunSummary(repository: string, summary: unknown): Promise<void> {
    await this.kv.put(`run-summary.${subjectToken(repository)}`, JSON.stringify(summary));
  }

  async getRunSummary<T = unknown>(repository: string): Promise<T | undefined> {
    const text = await this.getString(`run-summary.${subjectToken(repository)}`);
    return text === undefined ? undefined : (JSON.parse(text) as T);
  }

  async putHistoryCursor(repository: string, commit: string): Promise<void> {
    await this.kv.put(`history-cursor.${subjectToken(repository)}`, commit);
  }

  getHistoryCursor(repository: string): Promise<string | undefined> {
    return this.getString(`history-cursor.${subjectToken(repository)}`);
  }

  async close(): Promise<void> {
    if (this.owned && !this.connection.isClosed()) await this.connection.drain();
  }

  private async getString(key: string): Promise<string | undefined> {
    const entry = await this.kv.get(key);
    // A deleted or purged key comes back as an entry with an operation marker and no value.
    if (entry === null || entry.operation !== 'PUT') return undefined;
    return entry.string();
  }
}
