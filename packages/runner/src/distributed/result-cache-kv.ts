import { createHash } from 'node:crypto';
import { Kvm, type KV } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';
import { errorMessage } from '../errors.js';
import { isInternalFailure } from '../scan/index.js';
import type { WorkerFileReport } from '../scan/index.js';
import type { WorkItemHeader } from './protocol.js';

export const RESULT_BUCKET = 'nixforge_results';

/**
 * The workers' shared result cache (`scan --distributed --shared-cache`): a JetStream KV bucket of reports keyed by
 * the configuration hash and a hash of the file's path, content and the report options. The path is part of the key
 * because reports name their file and relative imports resolve from it. Internal failures are never stored.
 */
export class SharedResultCache {
  private constructor(
    private readonly kv: KV,
    private readonly maxValueBytes: number,
    private readonly log: (line: string) => void,
  ) {}

  static async open(connection: NatsConnection, ttlMs: number, log: (line: string) => void): Promise<SharedResultCache> {
    // KV takes its ttl in milliseconds (the Object Store in nanoseconds).
    const kv = await new Kvm(connection as never).create(RESULT_BUCKET, { history: 1, ttl: ttlMs });
    return new SharedResultCache(kv, (connection.info?.max_payload ?? 1024 * 1024) - 4096, log);
  }

  static key(header: WorkItemHeader, displayPath: string, contentHash: string): string {
    const file = createHash('sha256')
      .update(JSON.stringify([displayPath, contentHash, header.withSourceLines, header.maxFileSize]))
      .digest('base64url');
    return `r.${header.configHash}.${file}`;
  }

  async get(key: string): Promise<WorkerFileReport | undefined> {
    try {
      const entry = await this.kv.get(key);
      if (!entry || entry.operation !== 'PUT' || entry.length === 0) return undefined;
      return entry.json<WorkerFileReport>();
    } catch (error) {
      this.log(`worker: shared cache lookup failed: ${errorMessage(error)}`);
      return undefined;
    }
  }

  async put(key: string, report: WorkerFileReport): Promise<void> {
    if (isInternalFailure(report)) return;
    const value = JSON.stringify(report);
    if (Buffer.byteLength(value) > this.maxValueBytes) return;
    await this.kv.put(key, value).catch((error: unknown) => this.log(`worker: shared cache store failed: ${errorMessage(error)}`));
  }
}
