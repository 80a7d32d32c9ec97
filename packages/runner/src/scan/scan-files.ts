import { availableParallelism, totalmem } from 'node:os';
import { Piscina } from 'piscina';
import type { FileTask, RuleSetup, WorkerFileReport, BatchTask } from './task.js';
import { reachSafePoint } from './native-guard.js';

/** A file to scan, or one already known to be unscannable (reported with its problem, never sent to a worker). */
export interface ScanInput extends FileTask {
  problem?: { code: string; message: string };
  /** Size in bytes when known (from discovery); large files are scheduled first, each in a batch of its own. */
  size?: number;
  /** Supplies the content when it does not come from disk (e.g. a Git blob); called just before dispatch. */
  loadText?: () => Promise<string>;
}

export interface ScanFilesOptions {
  files: readonly ScanInput[];
  setup: RuleSetup;
  threads?: number;
  /** A file whose analysis takes longer is stopped (its worker replaced) and reported with `timeout`. */
  fileTimeoutMs?: number;
  maxFileSize?: number;
  withSourceLines?: boolean;
  /** Files per task; default adapts to the number of files and threads. */
  batchSize?: number;
  signal?: AbortSignal;
  /** Returns a stored report for a file (the result cache); hits are not sent to a worker. */
  lookup?: (file: ScanInput) => Promise<WorkerFileReport | undefined>;
  /** Called once per file, in input order (sorted by path by discovery), as soon as the report can be emitted. */
  onReport: (report: WorkerFileReport, file: ScanInput, fromCache: boolean) => void | Promise<void>;
  /** Run on this pool (not destroyed at the end) instead of a pool of its own. */
  pool?: ScanPool;
}

/** What analyses the files of a scan: scanFiles (the local pool) or the distributed coordinator. */
export type ScanExecutor = (options: ScanFilesOptions) => Promise<void>;

export const DEFAULT_FILE_TIMEOUT_MS = 60_000;
export const DEFAULT_MAX_FILE_SIZE = 50 * 1024 * 1024;
/** Files that may wait for emission behind a slow one (see the window in scanFiles). */
const PENDING_FILES = 8192;

// Compiled worker; the relative path is the same from src/scan and dist/scan.
const WORKER_URL = new URL('../../dist/scan/worker.js', import.meta.url).href;

/**
 * Old-generation heap limit of each worker: a worker that exceeds it dies (reported as a crash of the file
 * it was on) instead of taking the whole process down. A share of the machine's memory, between 512 MB and
 * 2000 MB; NIXFORGE_WORKER_MEMORY_MB overrides it.
 *
 * The cap stays under 2 GB because V8 sizes how far a heap may grow between full collections by its limit:
 * from a 2 GB limit on it lets the heap reach four times the live data, below it about twice. Scanning the
 * 14,655-file real corpus with every rule at 2 threads peaked at 415 MiB with a 4 GB limit and 325 MiB with
 * 2000 MB, at the same CPU time, while a 25 MB generated file needs well under 1 GB.
 */
const MAX_WORKER_HEAP_MB = 2000;

export function workerMemoryLimitMb(threads: number, env: NodeJS.ProcessEnv = process.env): number {
  const override = Number(env.NIXFORGE_WORKER_MEMORY_MB);
  if (Number.isInteger(override) && override >= 64) return override;
  const share = Math.floor(totalmem() / (1024 * 1024) / (threads + 1));
  return Math.max(512, Math.min(MAX_WORKER_HEAP_MB, share));
}

export function defaultThreads(): number {
  return Math.max(1, availableParallelism());
}

export type ScanPool = Piscina<BatchTask, WorkerFileReport[]>;

/** The worker-thread pool scanFiles runs on; a long-running process (`nixforge worker`) keeps one across calls. */
export function createScanPool(threads: number): ScanPool {
  return new Piscina<BatchTask, WorkerFileReport[]>({
    filename: WORKER_URL,
    execArgv: WORKER_EXEC_ARGV,
    minThreads: threads,
    maxThreads: threads,
    concurrentTasksPerWorker: 1,
    idleTimeout: 30_000,
    resourceLimits: { maxOldGenerationSizeMb: workerMemoryLimitMb(threads) },
  });
}

/**
 * piscina loads a worker with `require()` first and `import()` only when that fails. On Node 20.19+ `require()`
 * of our ES module worker succeeds through require(esm), whose race with a concurrent `import()` of the same
 * graph aborts the whole process (`FATAL ERROR: v8::Module::IsGraphAsync must be used on an instantiated
 * module`, seen in CI). Turning require(esm) off in the worker threads sends piscina to `import()`, as on older
 * Node; where the flag does not exist the worker is started as before.
 */
const WORKER_EXEC_ARGV = process.allowedNodeEnvironmentFlags.has('--no-experimental-require-module')
  ? [...process.execArgv, '--no-experimental-require-module']
  : process.execArgv;

/** Files from this size on get a batch of their own, dispatched before all others. */
const LARGE_FILE_BYTES = 1024 * 1024;

/** Batches in emission (input) order, and the two queues they are dispatched from. */
export interface BatchPlan {
  batches: ScanInput[][];
  /** Indices of single-file batches of large files, largest first. */
  large: number[];
  /** Indices of the other batches, in order. */
  normal: number[];
  isLarge: boolean[];
}

/**
 * Splits the files (in emission order) into batches. Large files get batches of their own that are dispatched
 * ahead of the others, largest first and one at a time: a 25 MB generated file then starts at once instead of
 * finishing alone at the end of the scan while the other workers idle, and two such files never hold their
 * (hundreds of MB of) trees and scopes at the same time. Reports are still emitted in input order.
 */
export function planBatches(files: readonly ScanInput[], batchSize: number): BatchPlan {
  const batches: ScanInput[][] = [];
  const isLarge: boolean[] = [];
  let current: ScanInput[] = [];
  const close = (): void => {
    if (current.length === 0) return;
    batches.push(current);
    isLarge.push(false);
    current = [];
  };
  for (const file of files) {
    if ((file.size ?? 0) >= LARGE_FILE_BYTES) {
      close();
      batches.push([file]);
      isLarge.push(true);
      continue;
    }
    current.push(file);
    if (current.length === batchSize) close();
  }
  close();
  const large = batches.map((_, index) => index).filter((index) => isLarge[index]);
  large.sort((a, b) => (batches[b]![0]!.size ?? 0) - (batches[a]![0]!.size ?? 0) || a - b);
  const normal = batches.map((_, index) => index).filter((index) => !isLarge[index]);
  return { batches, large, normal, isLarge };
}

function problemReport(file: ScanInput): WorkerFileReport {
  return { path: file.displayPath, fileType: 'unknown', error: file.problem!, findings: [] };
}

class BatchAborted extends Error {}

/**
 * Analyses files on a piscina pool. Files go out in batches; at most a bounded window of batches is in
 * flight or waiting to be emitted, so memory stays bounded however many files there are, and reports are
 * emitted strictly in input order, so output does not depend on the thread count.
 *
 * Faults are contained per file: a file whose analysis exceeds the timeout is reported as `timeout` and its
 * worker is replaced; when a worker dies, its batch is retried file by file and the file that kills a worker
 * on its own is reported as `worker-crash`.
 */
export async function scanFiles(options: ScanFilesOptions): Promise<void> {
  const threads = Math.max(1, options.threads ?? defaultThreads());
  const fileTimeoutMs = options.fileTimeoutMs ?? DEFAULT_FILE_TIMEOUT_MS;
  const maxFileSize = options.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
  const files = options.files;
  const batchSize = options.batchSize ?? Math.max(1, Math.min(64, Math.ceil(files.length / (threads * 8))));
  const { batches, large, normal, isLarge } = planBatches(files, batchSize);
  if (batches.length === 0) return;
  // An abort that came before the scan started (e.g. during discovery) fires no event any more.
  options.signal?.throwIfAborted();

  // No more workers than batches: each worker costs a module load (about 0.25 s of CPU) before its first file.
  const pool = options.pool ?? createScanPool(Math.min(threads, batches.length));
  // Progress cells of the batches running now; a worker is terminated only once its batch reached a safe point.
  const running = new Set<Int32Array>();

  const runOnPool = async (batch: ScanInput[]): Promise<WorkerFileReport[]> => {
    const loaded = await Promise.all(batch.map(async (file) => (file.loadText ? { ...file, text: await file.loadText() } : file)));
    const progress = new SharedArrayBuffer(16);
    const cells = new Int32Array(progress);
    // -1 until the worker starts on the batch: time spent queued must not count against the timeout.
    cells[0] = -1;
    const startedAt = Date.now();
    const controller = new AbortController();
    let stuckIndex = -1;
    const watchdog = setInterval(
      () => {
        const index = Atomics.load(cells, 0);
        const began = startedAt + Atomics.load(cells, 1);
        if (index >= 0 && index < batch.length && Date.now() - began > fileTimeoutMs) {
          stuckIndex = index;
          clearInterval(watchdog);
          void reachSafePoint(cells).then(() => controller.abort());
        }
      },
      Math.max(20, Math.min(1000, fileTimeoutMs / 4)),
    );
    const onUserAbort = (): void => void reachSafePoint(cells).then(() => controller.abort());
    options.signal?.addEventListener('abort', onUserAbort);
    running.add(cells);
    try {
      return await pool.run(
        {
          setup: options.setup,
          files: loaded.map(({ absolutePath, displayPath, text, bytes, factsOnly, fix }) => ({
            absolutePath,
            displayPath,
            ...(text !== undefined ? { text } : bytes !== undefined ? { bytes } : {}),
            ...(factsOnly ? { factsOnly } : {}),
            ...(fix ? { fix } : {}),
          })),
          maxFileSize,
          withSourceLines: options.withSourceLines ?? false,
          progress,
          startedAt,
        },
        { signal: controller.signal },
      );
    } catch (error) {
      if (options.signal?.aborted) throw error;
      if (stuckIndex >= 0) throw Object.assign(new BatchAborted('timeout'), { stuckIndex });
      throw error;
    } finally {
      clearInterval(watchdog);
      running.delete(cells);
      options.signal?.removeEventListener('abort', onUserAbort);
    }
  };

  const fromCache = new Set<WorkerFileReport>();
  const runBatch = async (batch: ScanInput[]): Promise<WorkerFileReport[]> => {
    const reports = new Map<ScanInput, WorkerFileReport>();
    let pending: ScanInput[] = [];
    const hits = options.lookup ? await Promise.all(batch.map((file) => (file.problem ? undefined : options.lookup!(file)))) : [];
    batch.forEach((file, i) => {
      const hit = hits[i];
      if (file.problem) {
        reports.set(file, problemReport(file));
      } else if (hit) {
        fromCache.add(hit);
        reports.set(file, hit);
      } else {
        pending.push(file);
      }
    });
    while (pending.length > 0) {
      try {
        const results = await runOnPool(pending);
        pending.forEach((file, i) => reports.set(file, results[i]!));
        pending = [];
      } catch (error) {
        if (options.signal?.aborted) throw error;
        if (error instanceof BatchAborted) {
          const stuck = pending[(error as BatchAborted & { stuckIndex: number }).stuckIndex]!;
          reports.set(stuck, {
            path: stuck.displayPath,
            fileType: 'unknown',
            error: { code: 'timeout', message: `analysis took longer than --file-timeout ${fileTimeoutMs} ms and was stopped` },
            findings: [],
          });
          pending = pending.filter((f) => f !== stuck);
        } else if (pending.length > 1) {
          // A worker died: retry one file at a time to find the file that kills it.
          for (const file of pending) reports.set(file, (await runBatch([file]))[0]!);
          pending = [];
        } else {
          const file = pending[0]!;
          const message = error instanceof Error ? error.message : String(error);
          reports.set(file, {
            path: file.displayPath,
            fileType: 'unknown',
            error: { code: 'worker-crash', message: `the worker analysing this file crashed: ${message}` },
            findings: [],
          });
          pending = [];
        }
      }
    }
    return batch.map((file) => reports.get(file)!);
  };

  // Batches dispatched but not yet emitted. One slow file (a 25 MB generated package set takes seconds) holds
  // back emission of everything after it; the other workers keep going only while the window has room, so it
  // spans thousands of files. What waits is reports (findings), never trees.
  const window = Math.max(threads * 4, Math.ceil(PENDING_FILES / batchSize));
  const results: Array<WorkerFileReport[] | undefined> = new Array(batches.length);
  const emitBatch = async (index: number): Promise<void> => {
    const reports = results[index]!;
    const batch = batches[index]!;
    for (let i = 0; i < reports.length; i += 1) {
      const report = reports[i]!;
      await options.onReport(report, batch[i]!, fromCache.delete(report));
    }
  };
  try {
    await new Promise<void>((resolve, reject) => {
      let nextLarge = 0;
      let nextNormal = 0;
      let emitted = 0;
      let inFlight = 0;
      let largeInFlight = 0;
      let draining = false;
      let failed = false;
      const fail = (error: unknown): void => {
        if (!failed) {
          failed = true;
          reject(error);
        }
      };
      const pump = (): void => {
        if (failed) return;
        if (emitted === batches.length) {
          resolve();
          return;
        }
        while (inFlight < threads * 2) {
          let index: number;
          if (largeInFlight === 0 && nextLarge < large.length) {
            index = large[nextLarge++]!;
            largeInFlight += 1;
          } else if (nextNormal < normal.length && normal[nextNormal]! - emitted < window) {
            index = normal[nextNormal++]!;
          } else {
            break;
          }
          inFlight += 1;
          runBatch(batches[index]!).then(
            (reports) => {
              inFlight -= 1;
              if (isLarge[index]) largeInFlight -= 1;
              results[index] = reports;
              void drain();
            },
            fail,
          );
        }
      };
      const drain = async (): Promise<void> => {
        if (draining) return;
        draining = true;
        try {
          while (!failed && emitted < batches.length && results[emitted]) {
            await emitBatch(emitted);
            results[emitted] = undefined;
            emitted += 1;
          }
        } catch (error) {
          fail(error);
        } finally {
          draining = false;
        }
        pump();
      };
      options.signal?.addEventListener('abort', () => fail(options.signal!.reason ?? new Error('aborted')), { once: true });
      pump();
    });
  } finally {
    await Promise.all([...running].map((cells) => reachSafePoint(cells)));
    if (!options.pool) await pool.destroy();
  }
}
