import { randomUUID } from 'node:crypto';
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { relative, sep } from 'node:path';
import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import type { ObjectStore } from '@nats-io/obj';
import { headers, type MsgHdrs, type NatsConnection } from '@nats-io/transport-node';
import { UsageError, errorMessage } from '../errors.js';
import { connectNats } from '../events/index.js';
import { hashContent } from '../cache/index.js';
import { analyzeFileTask } from '../scan/index.js';
import type { ScanExecutor, ScanFilesOptions, ScanInput, WorkerFileReport } from '../scan/index.js';
import { VERSION } from '../version.js';
import {
  PROTOCOL_VERSION,
  configurationHash,
  encodeWorkItem,
  resultSubject,
  workSubject,
  type PluginIdentity,
  type WorkFile,
  type WorkItemHeader,
  type WorkerMessage,
} from './protocol.js';
import { pluginIdentities } from './plugin-identity.js';
import { DistributedProgress } from './progress.js';
import { FILE_BUCKET, RESULT_STREAM, WORKER_CONSUMER, WORK_STREAM, ensureWorkQueue, openFileBucket, type WorkQueueSettings } from './work-stream.js';

export interface CoordinatorOptions {
  url: string;
  settings: WorkQueueSettings;
  /** No word from any worker for this long while work is outstanding: the run fails (exit 2). */
  workerTimeoutMs: number;
  /** Workers read files from their own checkout of this directory (absolute) instead of receiving the bytes. */
  sharedRoot?: string;
  /** Workers share reports through the KV result cache. */
  sharedCache?: boolean;
  /** Files per work item (default 32). */
  batchSize?: number;
  /** Work items published but not yet answered (default 256): bounds the coordinator's memory. */
  window?: number;
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  progress: boolean;
  log: (line: string) => void;
}

interface ItemState {
  id: number;
  /** Indices into the scan's files. */
  files: number[];
  seq?: number;
  done: boolean;
  started: boolean;
  refused?: string;
  /** Analysed on a worker holding nothing else: if it dies, this item killed it. */
  isolated: boolean;
  objects: string[];
}

const MAX_DELIVERIES_ADVISORY = `$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.${WORK_STREAM}.${WORKER_CONSUMER}`;
/** Room left in a message for the header and NATS framing. */
const HEADER_RESERVE = 64 * 1024;

/** Header of items a worker must analyse holding no other item. */
export const ISOLATED_HEADER = 'Nixforge-Isolated';

function isolatedHeaders(): MsgHdrs {
  const h = headers();
  h.set(ISOLATED_HEADER, '1');
  return h;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function toPosix(path: string): string {
  return sep === '/' ? path : path.split(sep).join('/');
}

function readUpTo(path: string, maxFileSize: number): Uint8Array | undefined {
  const fd = openSync(path, 'r');
  try {
    const info = fstatSync(fd);
    if (!info.isFile() || info.size > maxFileSize) return undefined;
    const bytes = Buffer.allocUnsafe(info.size);
    let filled = 0;
    while (filled < bytes.length) {
      const read = readSync(fd, bytes, filled, bytes.length - filled, null);
      if (read === 0) break;
      filled += read;
    }
    return filled === bytes.length ? bytes : bytes.subarray(0, filled);
  } finally {
    closeSync(fd);
  }
}

/**
 * The coordinator of `nixforge scan --distributed`: an executor with scanFiles' contract (reports in input
 * order through onReport), so everything around it (reporters, cache, baseline, events, a project phase) is the
 * local scan's. Files go out as work items on NIXFORGE_WORK; workers answer on the run's result subject.
 */
export function distributedExecutor(coordinator: CoordinatorOptions): ScanExecutor {
  return async (options) => {
    options.signal?.throwIfAborted();
    const connection = await connectNats(coordinator.url, { name: 'nixforge-coordinator' });
    try {
      const plugins = await pluginIdentities(options.setup.pluginUrls, options.setup.pluginSpecifiers);
      await new CoordinatorRun(coordinator, options, plugins, connection, await jetstreamManager(connection)).run();
    } finally {
      await connection.close().catch(() => undefined);
    }
  };
}

class CoordinatorRun {
  private readonly runId = randomUUID().replace(/-/g, '');
  private readonly js: JetStreamClient;
  private readonly files: readonly ScanInput[];
  private readonly reports: Array<WorkerFileReport | undefined>;
  private readonly fromCache = new Set<number>();
  private readonly items = new Map<number, ItemState>();
  private readonly bySeq = new Map<number, ItemState>();
  private readonly workersSeen = new Set<string>();
  private readonly refusals = new Set<string>();
  private readonly progress: DistributedProgress;
  private nextItem = 0;
  private cacheHits = 0;
  private emitted = 0;
  private outstanding = 0;
  private lastActivity = Date.now();
  private failure: unknown;
  private wake: () => void = () => undefined;
  private bucket: ObjectStore | undefined;
  private readonly header: Omit<WorkItemHeader, 'item' | 'files'>;

  constructor(
    private readonly options: CoordinatorOptions,
    private readonly scan: ScanFilesOptions,
    plugins: PluginIdentity[],
    private readonly connection: NatsConnection,
    private readonly jsm: JetStreamManager,
  ) {
    this.js = jetstream(connection);
    this.files = scan.files;
    this.reports = new Array(scan.files.length);
    this.progress = new DistributedProgress(options.stderr, options.progress, scan.files.length);
    const header: Omit<WorkItemHeader, 'item' | 'files'> = {
      protocol: PROTOCOL_VERSION,
      run: this.runId,
      version: VERSION,
      configHash: configurationHash(VERSION, scan.setup.rules, plugins.map((p) => p.fingerprint)),
      rules: scan.setup.rules,
      plugins,
      maxFileSize: scan.maxFileSize ?? 50 * 1024 * 1024,
      fileTimeoutMs: scan.fileTimeoutMs ?? 60_000,
      withSourceLines: scan.withSourceLines ?? false,
      expiresAt: Date.now() + options.settings.maxAgeMs,
    };
    if (options.sharedRoot !== undefined) header.sharedRoot = options.sharedRoot;
    if (options.sharedCache) header.sharedCache = true;
    this.header = header;
  }

  private fail(error: unknown): void {
    this.failure ??= error;
    this.wake();
  }

  private noteWorker(worker: string): void {
    this.lastActivity = Date.now();
    if (!this.workersSeen.has(worker)) {
      this.workersSeen.add(worker);
      this.progress.update({ workers: this.workersSeen.size });
    }
  }

  async run(): Promise<void> {
    const scan = this.scan;
    await ensureWorkQueue(this.jsm, this.options.settings);
    const onAbort = (): void => this.fail(scan.signal?.reason ?? new Error('aborted'));
    scan.signal?.addEventListener('abort', onAbort, { once: true });
    const results = await (await this.js.consumers.get(RESULT_STREAM, { filter_subjects: resultSubject(this.runId) })).consume();
    const advisories = this.connection.subscribe(MAX_DELIVERIES_ADVISORY, {
      callback: (error, message) => {
        if (error) return;
        const advisory = message.json<{ stream_seq: number; deliveries: number }>();
        const item = this.bySeq.get(advisory.stream_seq);
        if (item && !item.done) void this.exhausted(item, advisory.deliveries).catch((e) => this.fail(e));
      },
    });
    const watchdog = setInterval(() => this.checkWorkers(), 250);
    void (async () => {
      for await (const message of results) {
        try {
          await this.handle(message.json<WorkerMessage>());
        } catch (error) {
          this.fail(error);
        }
      }
    })().catch((error) => this.fail(error));
    try {
      await this.resolveLocally();
      const pending = this.plan();
      this.progress.update({ queued: pending.length });
      const window = this.options.window ?? 256;
      while (this.failure === undefined && this.emitted < this.files.length) {
        while (this.failure === undefined && pending.length > 0 && this.outstanding < window) {
          const item = this.newItem(pending.shift()!);
          await this.publish(item);
        }
        await this.drain();
        if (this.emitted >= this.files.length || this.failure !== undefined) break;
        await new Promise<void>((resolve) => {
          this.wake = resolve;
          setTimeout(resolve, 200);
        });
      }
      if (this.failure !== undefined) throw this.failure;
      if (this.options.sharedCache) this.options.log(`shared cache: ${this.cacheHits} of ${this.files.length} files reused`);
    } finally {
      clearInterval(watchdog);
      scan.signal?.removeEventListener('abort', onAbort);
      advisories.unsubscribe();
      await results.close().catch(() => undefined);
      await this.cleanUp();
      this.progress.done();
    }
  }

  /** Problem files and cache hits never leave the coordinator (exactly as scanFiles handles them). */
  private async resolveLocally(): Promise<void> {
    for (let index = 0; index < this.files.length; index += 1) {
      const file = this.files[index]!;
      if (file.problem) {
        this.reports[index] = { path: file.displayPath, fileType: 'unknown', error: file.problem, findings: [] };
      } else if (this.scan.lookup) {
        const hit = await this.scan.lookup(file);
        if (hit) {
          this.reports[index] = hit;
          this.fromCache.add(index);
        }
      }
    }
  }

  /** Groups the remaining files into items: at most batchSize files and one message's worth of inline bytes. */
  private plan(): number[][] {
    const maxPayload = this.connection.info?.max_payload ?? 1024 * 1024;
    const inlineBudget = Math.max(4096, maxPayload - HEADER_RESERVE);
    const batchSize = this.options.batchSize ?? 32;
    const batches: number[][] = [];
    let current: number[] = [];
    let bytes = 0;
    const close = (): void => {
      if (current.length > 0) batches.push(current);
      current = [];
      bytes = 0;
    };
    for (let index = 0; index < this.files.length; index += 1) {
      if (this.reports[index]) continue;
      const size = this.files[index]!.size ?? 0;
      const inline = this.options.sharedRoot !== undefined ? 256 : size;
      if (inline > inlineBudget) {
        batches.push([index]);
        continue;
      }
      if (current.length >= batchSize || bytes + inline > inlineBudget) close();
      current.push(index);
      bytes += inline;
    }
    close();
    return batches;
  }

  private newItem(files: number[], isolated = false): ItemState {
    const item: ItemState = { id: this.nextItem++, files, done: false, started: false, isolated, objects: [] };
    this.items.set(item.id, item);
    this.outstanding += 1;
    return item;
  }

  /** Reads the item's files and publishes it; files that cannot be read are reported here, as a local scan would. */
  private async publish(item: ItemState): Promise<void> {
    const maxPayload = this.connection.info?.max_payload ?? 1024 * 1024;
    const inlineBudget = Math.max(4096, maxPayload - HEADER_RESERVE);
    const files: WorkFile[] = [];
    const blobs: Uint8Array[] = [];
    let offset = 0;
    const remaining: number[] = [];
    for (const index of item.files) {
      const input = this.files[index]!;
      let bytes: Uint8Array | undefined;
      if (input.loadText) {
        bytes = Buffer.from(await input.loadText(), 'utf8');
      } else {
        try {
          bytes = readUpTo(input.absolutePath, this.header.maxFileSize);
        } catch {
          bytes = undefined;
        }
      }
      if (bytes === undefined) {
        // Unreadable, gone, or over --max-file-size: the same code as a local worker words the report.
        this.reports[index] = await analyzeFileTask(input, [], this.header.maxFileSize, false);
        continue;
      }
      remaining.push(index);
      const hash = hashContent(bytes);
      const base = { displayPath: input.displayPath, absolutePath: input.absolutePath, hash, size: bytes.length };
      if (this.options.sharedRoot !== undefined && !input.loadText) {
        files.push({ ...base, source: { shared: toPosix(relative(this.options.sharedRoot, input.absolutePath)) } });
      } else if (bytes.length > inlineBudget) {
        const name = `${this.runId}/file/${index}`;
        this.bucket ??= await openFileBucket(this.connection, this.options.settings);
        await this.bucket.putBlob({ name }, bytes);
        item.objects.push(name);
        files.push({ ...base, source: { object: name } });
      } else {
        files.push({ ...base, source: { inline: [offset, bytes.length] } });
        blobs.push(bytes);
        offset += bytes.length;
      }
    }
    item.files = remaining;
    if (remaining.length === 0) {
      this.finishItem(item);
      return;
    }
    const payload = encodeWorkItem({ ...this.header, item: item.id, files }, blobs);
    for (let attempt = 0; ; attempt += 1) {
      if (this.failure !== undefined) return;
      try {
        const ack = await this.js.publish(workSubject(this.runId), payload, {
          msgID: `${this.runId}.${item.id}`,
          timeout: 5000,
          ...(item.isolated ? { headers: isolatedHeaders() } : {}),
        });
        item.seq = ack.seq;
        this.bySeq.set(ack.seq, item);
        return;
      } catch (error) {
        // The server is away (restart, outage): the msgID makes a retry of a publish that did land a no-op.
        if (attempt % 20 === 19) this.options.log(`distributed: still trying to publish work item ${item.id}: ${errorMessage(error)}`);
        await sleep(250);
      }
    }
  }

  private finishItem(item: ItemState): void {
    if (item.done) return;
    item.done = true;
    this.outstanding -= 1;
    this.progress.update({ queued: -1, done: 1, inFlight: item.started ? -1 : 0 });
    this.wake();
  }

  private async handle(message: WorkerMessage): Promise<void> {
    if (message.run !== this.runId) return;
    this.noteWorker(message.worker);
    if (message.type === 'heartbeat') return;
    const item = this.items.get(message.item);
    if (!item || item.done) return;
    if (message.type === 'started') {
      if (!item.started) {
        item.started = true;
        this.progress.update({ inFlight: 1 });
      }
      return;
    }
    if (message.type === 'refused') {
      item.refused = message.reason;
      const key = `${message.worker}\0${message.reason}`;
      if (!this.refusals.has(key)) {
        this.refusals.add(key);
        this.options.log(`distributed: worker ${message.worker} refused work: ${message.reason}`);
      }
      return;
    }
    let reports: WorkerFileReport[];
    if (message.type === 'result-object') {
      this.bucket ??= await openFileBucket(this.connection, this.options.settings);
      const blob = await this.bucket.getBlob(message.object);
      if (blob === null) throw new Error(`result of work item ${item.id} is missing from bucket ${FILE_BUCKET} (${message.object})`);
      reports = JSON.parse(Buffer.from(blob).toString('utf8')) as WorkerFileReport[];
      item.objects.push(message.object);
    } else {
      reports = message.reports;
    }
    if (reports.length !== item.files.length) throw new Error(`worker ${message.worker} answered work item ${item.id} with ${reports.length} reports for ${item.files.length} files`);
    item.files.forEach((index, i) => (this.reports[index] = reports[i]!));
    this.cacheHits += message.cacheHits ?? 0;
    this.finishItem(item);
  }

  /** The server gave up on an item after max deliveries: split a batch to find the guilty file, or report it. */
  private async exhausted(item: ItemState, deliveries: number): Promise<void> {
    if (item.done) return;
    if (item.seq !== undefined) await this.jsm.streams.deleteMessage(WORK_STREAM, item.seq, false).catch(() => undefined);
    if (item.refused !== undefined) {
      for (const index of item.files) {
        this.reports[index] = {
          path: this.files[index]!.displayPath,
          fileType: 'unknown',
          error: { code: 'worker-refused', message: `no worker could analyse this file with the run's configuration: ${item.refused}` },
          findings: [],
        };
      }
      this.finishItem(item);
      return;
    }
    if (!item.isolated) {
      // A dying worker takes every item it holds down with it: only an item analysed alone can be blamed.
      this.options.log(
        `distributed: work item ${item.id} (${item.files.length} file(s)) was delivered ${deliveries} times without an answer; retrying its files one by one, each alone on a worker`,
      );
      const files = item.files;
      this.finishItem(item);
      this.progress.update({ queued: files.length });
      for (const index of files) await this.publish(this.newItem([index], true));
      return;
    }
    const index = item.files[0]!;
    this.reports[index] = {
      path: this.files[index]!.displayPath,
      fileType: 'unknown',
      error: { code: 'worker-crash', message: `the worker analysing this file crashed: delivered ${deliveries} times, no worker finished it` },
      findings: [],
    };
    this.finishItem(item);
  }

  private checkWorkers(): void {
    if (this.outstanding === 0 || this.failure !== undefined) return;
    if (Date.now() - this.lastActivity <= this.options.workerTimeoutMs) return;
    const seconds = (this.options.workerTimeoutMs / 1000).toFixed(1).replace(/\.0$/, '');
    this.fail(
      new UsageError(
        this.workersSeen.size === 0
          ? `no worker took any work within --worker-timeout ${seconds}s; start workers with 'nixforge worker --nats ${this.options.url}'`
          : `no word from any worker for --worker-timeout ${seconds}s (workers seen: ${[...this.workersSeen].sort().join(', ')}); ${this.outstanding} work item(s) unanswered`,
      ),
    );
  }

  private async drain(): Promise<void> {
    while (this.emitted < this.files.length && this.reports[this.emitted] !== undefined) {
      const index = this.emitted;
      const report = this.reports[index]!;
      this.reports[index] = undefined;
      this.emitted += 1;
      this.progress.tick();
      await this.scan.onReport(report, this.files[index]!, this.fromCache.delete(index));
    }
  }

  /** Removes what the run left on the server: unanswered items, results, large files. */
  private async cleanUp(): Promise<void> {
    const steps: Array<Promise<unknown>> = [
      this.jsm.streams.purge(WORK_STREAM, { filter: workSubject(this.runId) }),
      this.jsm.streams.purge(RESULT_STREAM, { filter: resultSubject(this.runId) }),
    ];
    if (this.bucket) for (const item of this.items.values()) for (const name of item.objects) steps.push(this.bucket.delete(name));
    await Promise.all(steps.map((step) => step.catch(() => undefined)));
  }
}
