import { Worker } from 'node:worker_threads';
import { reachSafePoint, workerMemoryLimitMb } from '../scan/index.js';
import type { WorkerEnvelope, WorkerReply, WorkerRequest, WorkerResults, WorkerStartData } from './protocol.js';

/** The analysis did not finish within the time limit; the worker was replaced. */
export class AnalysisTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`analysis timed out after ${timeoutMs} ms`);
    this.name = 'AnalysisTimeoutError';
  }
}

/** The worker died while working on the request (a plugin called process.exit, ran out of memory...). */
export class AnalysisCrashError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AnalysisCrashError';
  }
}

/** The request was dropped before it ran: superseded by a newer one, cancelled, or the host was closed. */
export class AnalysisCancelledError extends Error {
  constructor() {
    super('analysis cancelled');
    this.name = 'AnalysisCancelledError';
  }
}

/**
 * Order of the queue: what the user waits for (edits, code actions) first, then documents just opened, then
 * re-lints after configuration or file changes.
 */
export type Priority = 'edit' | 'open' | 'background';

const RANK: Record<Priority, number> = { edit: 0, open: 1, background: 2 };

/** Young generation of the analysis worker (see startWorker). */
const YOUNG_GENERATION_MB = 64;

interface Job {
  id: number;
  request: WorkerRequest;
  priority: Priority;
  /** Requests with the same key replace each other while queued (a newer document version supersedes). */
  key: string | undefined;
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

export interface AnalysisHostOptions {
  timeoutMs: number;
  maxFileSize: number;
  /** Lines the worker (i.e. a plugin) writes to stdout/stderr; stdout belongs to the protocol, never to them. */
  log: (line: string) => void;
  /**
   * Called (after the current call stack) whenever a new worker starts: the first, and every replacement
   * after a timeout, crash or restart. State the worker held (the workspace's facts) is gone then.
   */
  onWorkerStarted?: () => void;
}

/**
 * Runs analysis requests one at a time on a worker thread, off the server's message loop. A request that
 * takes longer than `timeoutMs` gets the worker terminated (at a safe point: never inside the native
 * parser) and replaced; a worker that dies fails only its current request. Queued requests with the same
 * key coalesce, so a burst of edits analyses only the newest text.
 */
export class AnalysisHost {
  private worker: Worker | undefined;
  private cells: Int32Array | undefined;
  private readonly queue: Job[] = [];
  private current: { job: Job; timer: NodeJS.Timeout | undefined; worker: Worker } | undefined;
  /** Whether the worker has loaded its modules; the time limit of a request starts only then. */
  private ready = false;
  private nextId = 1;
  private closed = false;

  constructor(private options: AnalysisHostOptions) {}

  setTimeout(timeoutMs: number): void {
    this.options = { ...this.options, timeoutMs };
  }

  /** Starts the worker ahead of the first request, so its start-up is not on the first document's path. */
  warmUp(): void {
    if (!this.closed && !this.worker) this.startWorker();
  }

  /** Queues a request; with a `key`, a queued request of the same key is cancelled in its favour. */
  run<K extends WorkerRequest['kind']>(
    request: Extract<WorkerRequest, { kind: K }>,
    priority: Priority,
    key?: string,
  ): Promise<WorkerResults[K]> {
    if (this.closed) return Promise.reject(new AnalysisCancelledError());
    return new Promise<WorkerResults[K]>((resolve, reject) => {
      if (key !== undefined) {
        const index = this.queue.findIndex((job) => job.key === key);
        if (index >= 0) this.queue.splice(index, 1)[0]!.reject(new AnalysisCancelledError());
      }
      const job: Job = { id: this.nextId++, request, priority, key, resolve: resolve as (value: unknown) => void, reject };
      const firstLater = this.queue.findIndex((queued) => RANK[queued.priority] > RANK[priority]);
      this.queue.splice(firstLater < 0 ? this.queue.length : firstLater, 0, job);
      this.pump();
    });
  }

  /** Drops a queued request (LSP cancellation); a running one finishes and its answer is ignored by the caller. */
  cancel(key: string): void {
    const index = this.queue.findIndex((job) => job.key === key);
    if (index >= 0) this.queue.splice(index, 1)[0]!.reject(new AnalysisCancelledError());
  }

  /**
   * Replaces the worker (configuration or plugins changed: modules and rule sets are cached per worker).
   * The running request, if any, is failed as cancelled; queued requests run on the new worker.
   */
  async restart(): Promise<void> {
    const running = this.current;
    await this.stopWorker();
    if (running) running.job.reject(new AnalysisCancelledError());
    this.pump();
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) job.reject(new AnalysisCancelledError());
    const running = this.current;
    await this.stopWorker();
    running?.job.reject(new AnalysisCancelledError());
  }

  private startWorker(): Worker {
    const progress = new SharedArrayBuffer(16);
    this.cells = new Int32Array(progress);
    const data: WorkerStartData = { progress, maxFileSize: this.options.maxFileSize };
    const worker = new Worker(new URL('./analysis-worker.js', import.meta.url), {
      workerData: data,
      stdout: true,
      stderr: true,
      // A larger young generation: every analysis allocates its tree's arrays and rule state anew. Profiled
      // (--cpu-prof) on 20 edits of a 10,000-line file, garbage collection took 1.2-1.9 s of the worker's
      // 8.1-8.5 s with V8's default, 0.8-0.9 s of 5.9-6.5 s with 64 MiB.
      resourceLimits: { maxOldGenerationSizeMb: workerMemoryLimitMb(1), maxYoungGenerationSizeMb: YOUNG_GENERATION_MB },
    });
    const forward = (stream: NodeJS.ReadableStream): void => {
      let buffered = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => {
        buffered += chunk;
        for (let nl = buffered.indexOf('\n'); nl >= 0; nl = buffered.indexOf('\n')) {
          this.options.log(buffered.slice(0, nl));
          buffered = buffered.slice(nl + 1);
        }
      });
    };
    forward(worker.stdout);
    forward(worker.stderr);
    this.ready = false;
    worker.on('message', (reply: WorkerReply | 'ready') => {
      if (reply === 'ready') this.onReady(worker);
      else this.onReply(worker, reply);
    });
    worker.on('error', (error) => this.onWorkerGone(worker, `the analysis worker crashed: ${error.message}`));
    worker.on('exit', (code) => this.onWorkerGone(worker, `the analysis worker exited with code ${code}`));
    worker.unref();
    this.worker = worker;
    const started = this.options.onWorkerStarted;
    if (started) queueMicrotask(() => started());
    return worker;
  }

  private async stopWorker(): Promise<void> {
    const worker = this.worker;
    const cells = this.cells;
    this.worker = undefined;
    this.cells = undefined;
    if (this.current) clearTimeout(this.current.timer);
    this.current = undefined;
    if (!worker) return;
    worker.removeAllListeners('exit');
    worker.removeAllListeners('error');
    worker.removeAllListeners('message');
    worker.on('error', () => {});
    if (cells) await reachSafePoint(cells);
    await worker.terminate();
  }

  private pump(): void {
    if (this.closed || this.current || this.queue.length === 0) return;
    const job = this.queue.shift()!;
    const worker = this.worker ?? this.startWorker();
    this.current = { job, timer: this.ready ? this.timerFor(job) : undefined, worker };
    const envelope: WorkerEnvelope = { id: job.id, request: job.request };
    worker.postMessage(envelope);
  }

  private timerFor(job: Job): NodeJS.Timeout {
    return setTimeout(() => void this.onTimeout(job), this.options.timeoutMs);
  }

  private onReady(worker: Worker): void {
    if (this.worker !== worker) return;
    this.ready = true;
    if (this.current && this.current.timer === undefined) this.current.timer = this.timerFor(this.current.job);
  }

  private onReply(worker: Worker, reply: WorkerReply): void {
    const current = this.current;
    if (!current || current.worker !== worker || current.job.id !== reply.id) return;
    clearTimeout(current.timer);
    this.current = undefined;
    if (reply.ok) current.job.resolve(reply.result);
    else current.job.reject(new Error(reply.message));
    this.pump();
  }

  private async onTimeout(job: Job): Promise<void> {
    if (this.current?.job !== job) return;
    await this.stopWorker();
    job.reject(new AnalysisTimeoutError(this.options.timeoutMs));
    this.pump();
  }

  private onWorkerGone(worker: Worker, message: string): void {
    if (this.worker !== worker) return;
    const current = this.current;
    this.worker = undefined;
    this.cells = undefined;
    this.current = undefined;
    if (current) {
      clearTimeout(current.timer);
      current.job.reject(new AnalysisCrashError(message));
    }
    this.pump();
  }
}
