import { mkdir, open, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { NixforgeEvent } from './envelope.js';
import type { EventSink, PublishSummary } from './event-sink.js';

/** Lines buffered before they are written; small enough that a crash loses little, large enough to batch writes. */
const FLUSH_EVERY = 256;

/** Appends every event as one JSON line to a file (created with its directories when missing). */
export class NdjsonFileSink implements EventSink {
  readonly kind = 'file';
  private buffer: string[] = [];
  private published = 0;
  private writing: Promise<void> = Promise.resolve();

  private constructor(
    private readonly file: FileHandle,
    readonly path: string,
  ) {}

  static async open(path: string): Promise<NdjsonFileSink> {
    await mkdir(dirname(path), { recursive: true });
    return new NdjsonFileSink(await open(path, 'a'), path);
  }

  async publish(event: NixforgeEvent): Promise<void> {
    this.buffer.push(JSON.stringify(event) + '\n');
    this.published++;
    if (this.buffer.length >= FLUSH_EVERY) await this.flush();
  }

  /** Writes buffered lines; writes are chained so lines keep their order. */
  flush(): Promise<void> {
    if (this.buffer.length === 0) return this.writing;
    const chunk = this.buffer.join('');
    this.buffer = [];
    this.writing = this.writing.then(async () => {
      await this.file.write(chunk);
    });
    return this.writing;
  }

  async close(): Promise<PublishSummary> {
    try {
      await this.flush();
    } finally {
      await this.file.close();
    }
    return { published: this.published, duplicates: 0, failed: 0, destination: this.path };
  }
}

/** Drops every event: used when events are switched off. */
export class NullSink implements EventSink {
  readonly kind = 'none';
  async publish(): Promise<void> {}
  async close(): Promise<PublishSummary> {
    return { published: 0, duplicates: 0, failed: 0, destination: 'none' };
  }
}
