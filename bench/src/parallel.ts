import { Piscina } from 'piscina';
import type { CorpusFile } from './corpus.js';
import type { ParseBatch } from './workers/parse-worker.js';

const PARSE_WORKER = new URL('./workers/parse-worker.js', import.meta.url).href;

/** A started pool of parse-only workers (the in-run baseline for the full pipeline). */
export class ParsePool {
  private readonly pool: Piscina<ParseBatch, number>;

  constructor(readonly threads: number) {
    this.pool = new Piscina<ParseBatch, number>({ filename: PARSE_WORKER, minThreads: threads, maxThreads: threads, idleTimeout: 60_000 });
  }

  /** Parses (and optionally walks) every file, in batches like the scan pipeline's; resolves to nodes walked. */
  async parseAll(files: readonly CorpusFile[], walk: boolean): Promise<number> {
    const batchSize = Math.max(1, Math.min(64, Math.ceil(files.length / (this.threads * 8))));
    const tasks: Array<Promise<number>> = [];
    for (let i = 0; i < files.length; i += batchSize) {
      tasks.push(this.pool.run({ paths: files.slice(i, i + batchSize).map((f) => f.path), walk }));
    }
    return (await Promise.all(tasks)).reduce((a, b) => a + b, 0);
  }

  /** Runs a tiny batch so worker start-up and grammar loading are not timed. */
  async warm(files: readonly CorpusFile[]): Promise<void> {
    await Promise.all(Array.from({ length: this.threads }, () => this.pool.run({ paths: files.slice(0, 1).map((f) => f.path), walk: false })));
  }

  async close(): Promise<void> {
    await this.pool.destroy();
  }
}
