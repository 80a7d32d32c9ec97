import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { jetstream, jetstreamManager, type JetStreamClient, type JsMsg } from '@nats-io/jetstream';
import type { ObjectStore } from '@nats-io/obj';
import { Svcm, type Service } from '@nats-io/services';
import type { NatsConnection } from '@nats-io/transport-node';
import { errorMessage } from '../errors.js';
import { connectNats } from '../events/index.js';
import { hashContent } from '../cache/index.js';
import { createScanPool, scanFiles, type ScanInput, type ScanPool } from '../scan/index.js';
import type { RuleSetup, WorkerFileReport } from '../scan/index.js';
import { VERSION } from '../version.js';
import {
  ProtocolError,
  configurationHash,
  decodeWorkItem,
  resultSubject,
  type PluginIdentity,
  type WorkItemHeader,
  type WorkerMessage,
} from './protocol.js';
import { SharedResultCache } from './result-cache-kv.js';
import { ISOLATED_HEADER } from './coordinator.js';
import { WORKER_CONSUMER, WORK_STREAM, ensureWorkQueue, openFileBucket, type WorkQueueSettings } from './work-stream.js';

export const WORKER_SERVICE_NAME = 'nixforge-worker';
/** `<prefix>.<worker name>`: the `status` endpoint of one worker (its WorkerStats as JSON). */
export const WORKER_STATUS_SUBJECT = 'nixforge.worker.status';

export interface WorkerServiceOptions {
  url: string;
  name: string;
  threads: number;
  /** Work items held at once (fetched only when there is room); default 2 × threads. */
  inFlight?: number;
  settings: WorkQueueSettings;
  /** This worker's checkout for items sent with `--shared-root` (default: the coordinator's path). */
  sharedRoot?: string;
  /** The plugins this worker loaded (its own `--plugin`/`--config`); items must name exactly these. */
  plugins: PluginIdentity[];
  pluginUrls: string[];
  /** How long SIGTERM waits for items in progress before giving them back (nak). */
  graceMs: number;
  /** How long entries of the shared result cache live (default 7 days). */
  resultCacheTtlMs?: number;
  log: (line: string) => void;
}

/** Counters of the micro service's `stats`. */
export interface WorkerStats {
  name: string;
  threads: number;
  items: number;
  files: number;
  filesPerSecond: number;
  errors: number;
  refused: number;
  inFlight: number;
  startedAt: string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * `nixforge worker`: pulls work items from the shared durable consumer, analyses them on a long-lived worker-thread
 * pool with scanFiles (the local scan's engine, fault containment included), publishes the reports and acks.
 */
export class WorkerService {
  private readonly js: JetStreamClient;
  private readonly pool: ScanPool;
  private readonly active = new Map<JsMsg, Promise<void>>();
  private readonly abandoned = new Set<JsMsg>();
  private stopping = false;
  /** An isolated item is held: fetch nothing until it is done. */
  private isolatedActive = false;
  private bucket: ObjectStore | undefined;
  private cache: Promise<SharedResultCache> | undefined;
  private readonly counters = { items: 0, files: 0, errors: 0, refused: 0 };
  private readonly startedAt = Date.now();
  private readonly fingerprints: string[];

  private constructor(
    private readonly options: WorkerServiceOptions,
    private readonly connection: NatsConnection,
    private readonly service: Service,
  ) {
    this.js = jetstream(connection);
    this.pool = createScanPool(options.threads);
    this.fingerprints = options.plugins.map((p) => p.fingerprint);
  }

  static async start(options: WorkerServiceOptions): Promise<WorkerService> {
    const connection = await connectNats(options.url, { name: `nixforge-worker ${options.name}` });
    try {
      await ensureWorkQueue(await jetstreamManager(connection), options.settings);
      const holder: { worker?: WorkerService } = {};
      const service = await new Svcm(connection as never).add({
        name: WORKER_SERVICE_NAME,
        version: VERSION,
        description: 'nixforge scan worker: analyses work items of distributed scans',
        metadata: { worker: options.name, threads: String(options.threads), stream: WORK_STREAM, consumer: WORKER_CONSUMER },
        statsHandler: async () => holder.worker?.stats() ?? null,
      });
      // The counters are also the endpoint's `stats` data; `status` answers them directly, per worker.
      service.addEndpoint('status', {
        subject: `${WORKER_STATUS_SUBJECT}.${options.name}`,
        handler: (error, message) => {
          if (!error) message.respond(JSON.stringify(holder.worker?.stats() ?? null));
        },
      });
      holder.worker = new WorkerService(options, connection, service);
      return holder.worker;
    } catch (error) {
      await connection.close().catch(() => undefined);
      throw error;
    }
  }

  stats(): WorkerStats {
    const seconds = Math.max(0.001, (Date.now() - this.startedAt) / 1000);
    return {
      name: this.options.name,
      threads: this.options.threads,
      ...this.counters,
      filesPerSecond: Math.round((this.counters.files / seconds) * 10) / 10,
      inFlight: this.active.size,
      startedAt: new Date(this.startedAt).toISOString(),
    };
  }

  /** Works until the signal; then finishes what it holds within the grace period and gives the rest back. */
  async run(signal: AbortSignal): Promise<void> {
    const capacity = this.options.inFlight ?? this.options.threads * 2;
    const consumer = await this.js.consumers.get(WORK_STREAM, WORKER_CONSUMER);
    let slotFreed: () => void = () => undefined;
    const onAbort = () => slotFreed();
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      while (!signal.aborted) {
        if (this.active.size >= capacity || this.isolatedActive) {
          await new Promise<void>((resolve) => (slotFreed = resolve));
          continue;
        }
        try {
          // One at a time: an item waiting in a fetched batch would age against its ack wait, and an isolated item
          // must be the last one taken until it is done.
          const messages = await consumer.fetch({ max_messages: 1, expires: 1000 });
          for await (const message of messages) {
            if (signal.aborted) {
              message.nak();
              continue;
            }
            const isolated = message.headers?.get(ISOLATED_HEADER) === '1';
            if (isolated) this.isolatedActive = true;
            const done = (isolated ? this.processAlone(message) : this.process(message)).finally(() => {
              this.active.delete(message);
              if (isolated) this.isolatedActive = false;
              slotFreed();
            });
            this.active.set(message, done);
          }
        } catch (error) {
          if (signal.aborted) break;
          this.options.log(`worker: cannot fetch work: ${errorMessage(error)}`);
          await sleep(500);
        }
      }
    } finally {
      signal.removeEventListener('abort', onAbort);
      await this.stop();
    }
  }

  private async stop(): Promise<void> {
    this.stopping = true;
    if (this.active.size > 0) {
      this.options.log(`worker: stopping; finishing ${this.active.size} work item(s) (up to ${Math.round(this.options.graceMs / 1000)} s)`);
      await Promise.race([Promise.allSettled(this.active.values()), sleep(this.options.graceMs)]);
      for (const message of this.active.keys()) {
        this.abandoned.add(message);
        message.nak();
      }
      if (this.abandoned.size > 0) this.options.log(`worker: gave ${this.abandoned.size} unfinished work item(s) back to the queue`);
    }
    await this.service.stop().catch(() => undefined);
    await this.connection.drain().catch(() => undefined);
    await this.pool.destroy();
  }

  /** Why this worker cannot reproduce the item's configuration, or undefined when it can. */
  private refusal(header: WorkItemHeader): string | undefined {
    if (header.version !== VERSION) return `the run needs nixforge ${header.version}; this worker runs ${VERSION}`;
    const mine = new Set(this.fingerprints);
    const theirs = new Set(header.plugins.map((p) => p.fingerprint));
    const missing = header.plugins.filter((p) => !mine.has(p.fingerprint)).map((p) => p.specifier);
    const extra = this.options.plugins.filter((p) => !theirs.has(p.fingerprint)).map((p) => p.specifier);
    if (missing.length > 0 || extra.length > 0) {
      const parts: string[] = [];
      if (missing.length > 0) parts.push(`the run's plugin(s) ${missing.join(', ')} are not loaded here (or differ in content)`);
      if (extra.length > 0) parts.push(`this worker loaded plugin(s) the run does not use: ${extra.join(', ')}`);
      return `plugin set differs: ${parts.join('; ')}; start the worker with the same --plugin/--config as the scan`;
    }
    if (configurationHash(VERSION, header.rules, this.fingerprints) !== header.configHash) return 'the rule configuration hash does not match';
    return undefined;
  }

  private async note(message: WorkerMessage): Promise<void> {
    this.connection.publish(resultSubject(message.run), JSON.stringify(message));
  }

  /** Waits (keeping the item) until nothing else is in progress here, so a crash can only be this item's. */
  private async processAlone(message: JsMsg): Promise<void> {
    const beat = setInterval(() => message.working(), Math.max(200, Math.min(5000, this.options.settings.ackWaitMs / 3)));
    try {
      for (;;) {
        const others = [...this.active].filter(([held]) => held !== message).map(([, done]) => done);
        if (others.length === 0) break;
        await Promise.allSettled(others);
      }
    } finally {
      clearInterval(beat);
    }
    if (this.abandoned.has(message)) return;
    await this.process(message);
  }

  private async process(message: JsMsg): Promise<void> {
    let header: WorkItemHeader;
    let body: Uint8Array;
    try {
      ({ header, body } = decodeWorkItem(message.data));
    } catch (error) {
      this.counters.errors += 1;
      this.options.log(`worker: dropping an unreadable work item (${message.subject}): ${error instanceof ProtocolError ? error.message : errorMessage(error)}`);
      message.term();
      return;
    }
    const worker = this.options.name;
    if (Date.now() > header.expiresAt) {
      message.term();
      return;
    }
    const refusal = this.refusal(header);
    if (refusal !== undefined) {
      this.counters.refused += 1;
      this.options.log(`worker: refusing work item ${header.item} of run ${header.run}: ${refusal}`);
      await this.note({ type: 'refused', run: header.run, item: header.item, worker, reason: refusal });
      message.nak(1000);
      return;
    }
    await this.note({ type: 'started', run: header.run, item: header.item, worker });
    const beat = setInterval(
      () => {
        message.working();
        void this.note({ type: 'heartbeat', run: header.run, worker, items: this.active.size });
      },
      Math.max(200, Math.min(5000, this.options.settings.ackWaitMs / 3)),
    );
    try {
      const inputs = await this.inputs(header, body);
      const reports: Array<WorkerFileReport | undefined> = new Array(inputs.length);
      const keys: Array<string | undefined> = new Array(inputs.length);
      let cacheHits = 0;
      if (header.sharedCache) {
        const cache = await this.resultCache();
        for (let i = 0; i < inputs.length; i += 1) {
          if (inputs[i]!.problem) continue;
          keys[i] = SharedResultCache.key(header, inputs[i]!.displayPath, header.files[i]!.hash);
          reports[i] = await cache.get(keys[i]!);
          if (reports[i]) cacheHits += 1;
        }
      }
      const missing = inputs.map((_, i) => i).filter((i) => !reports[i]);
      const setup: RuleSetup = { pluginUrls: this.options.pluginUrls, pluginSpecifiers: header.plugins.map((p) => p.specifier), rules: header.rules };
      const position = new Map(missing.map((i) => [inputs[i]!, i]));
      await scanFiles({
        files: missing.map((i) => inputs[i]!),
        setup,
        threads: this.options.threads,
        fileTimeoutMs: header.fileTimeoutMs,
        maxFileSize: header.maxFileSize,
        withSourceLines: header.withSourceLines,
        pool: this.pool,
        onReport: (report, input) => void (reports[position.get(input)!] = report),
      });
      if (header.sharedCache) {
        const cache = await this.resultCache();
        for (const i of missing) if (keys[i] !== undefined) await cache.put(keys[i]!, reports[i]!);
      }
      if (this.abandoned.has(message)) return;
      await this.publishResult(header, reports as WorkerFileReport[], cacheHits);
      if (this.abandoned.has(message)) return;
      await message.ackAck().catch(() => false);
      this.counters.items += 1;
      this.counters.files += reports.length;
    } catch (error) {
      this.counters.errors += 1;
      this.options.log(`worker: work item ${header.item} of run ${header.run} failed: ${errorMessage(error)}; giving it back`);
      if (process.env.NIXFORGE_DEBUG && error instanceof Error) this.options.log(error.stack ?? '');
      if (!this.abandoned.has(message)) message.nak(1000);
    } finally {
      clearInterval(beat);
    }
  }

  private resultCache(): Promise<SharedResultCache> {
    this.cache ??= SharedResultCache.open(this.connection, this.options.resultCacheTtlMs ?? 7 * 86_400_000, this.options.log);
    return this.cache;
  }

  /** The item's files as scan inputs with their bytes: from the message, the Object Store or the shared root. */
  private async inputs(header: WorkItemHeader, body: Uint8Array): Promise<ScanInput[]> {
    const inputs: ScanInput[] = [];
    for (const file of header.files) {
      const input: ScanInput = { absolutePath: file.absolutePath, displayPath: file.displayPath };
      const source = file.source;
      if ('inline' in source) {
        input.bytes = body.subarray(source.inline[0], source.inline[0] + source.inline[1]);
      } else if ('object' in source) {
        this.bucket ??= await openFileBucket(this.connection, this.options.settings);
        const bytes = await this.bucket.getBlob(source.object);
        if (bytes === null) throw new Error(`file ${file.displayPath} is missing from the Object Store (${source.object})`);
        input.bytes = bytes;
      } else {
        const root = this.options.sharedRoot ?? header.sharedRoot ?? '/';
        const path = join(root, source.shared);
        let bytes: Uint8Array | undefined;
        try {
          bytes = readFileSync(path);
        } catch (error) {
          input.problem = { code: 'read-error', message: `cannot read ${path} from the worker's shared root (${(error as NodeJS.ErrnoException).code ?? errorMessage(error)})` };
        }
        if (bytes !== undefined) {
          const hash = hashContent(bytes);
          if (hash === file.hash) input.bytes = bytes;
          else input.problem = { code: 'content-mismatch', message: `worker ${this.options.name}'s copy (${path}) differs from the coordinator's file (content hash ${hash}, expected ${file.hash})` };
        }
      }
      inputs.push(input);
    }
    return inputs;
  }

  private async publishResult(header: WorkItemHeader, reports: WorkerFileReport[], cacheHits: number): Promise<void> {
    const worker = this.options.name;
    let body = JSON.stringify({ type: 'result', run: header.run, item: header.item, worker, reports, cacheHits } satisfies WorkerMessage);
    const maxPayload = this.connection.info?.max_payload ?? 1024 * 1024;
    if (Buffer.byteLength(body) > maxPayload - 4096) {
      const object = `${header.run}/result/${header.item}`;
      this.bucket ??= await openFileBucket(this.connection, this.options.settings);
      await this.bucket.putBlob({ name: object }, Buffer.from(JSON.stringify(reports), 'utf8'));
      body = JSON.stringify({ type: 'result-object', run: header.run, item: header.item, worker, object, cacheHits } satisfies WorkerMessage);
    }
    for (let attempt = 0; ; attempt += 1) {
      try {
        await this.js.publish(resultSubject(header.run), body, { msgID: `${header.run}.${header.item}.result`, timeout: 5000 });
        return;
      } catch (error) {
        if (this.stopping && attempt > 8) throw error;
        if (attempt % 20 === 19) this.options.log(`worker: still trying to publish the result of work item ${header.item}: ${errorMessage(error)}`);
        await sleep(250);
      }
    }
  }
}
