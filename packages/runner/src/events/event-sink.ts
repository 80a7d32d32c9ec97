import type { NixforgeEvent } from './envelope.js';
import type { StreamSettings } from './streams.js';

/** Where events go: JetStream, an NDJSON file, or nowhere. */
export interface EventSink {
  /** Which kind of destination this is. */
  readonly kind: 'nats' | 'file' | 'none';
  /** Up to three distinct reasons why events failed (NATS only). */
  readonly failureReasons?: string[];
  /** Resolves once the event is accepted; may wait while too many events are unacknowledged (back-pressure). */
  publish(event: NixforgeEvent): Promise<void>;
  /** Flushes, waits for every ack, releases the connection or file and says what happened. */
  close(): Promise<PublishSummary>;
}

/** What a sink did; `published + duplicates + failed` is the number of events given to it. */
export interface PublishSummary {
  /** Events stored (NATS: acked as new; file: lines written). */
  published: number;
  /** Events JetStream already held (same id inside the duplicate window), so it dropped this copy. */
  duplicates: number;
  /** Events that could not be stored; with `--events-fallback` they are in the fallback file. */
  failed: number;
  /** The NATS URL or file path. */
  destination: string;
}

export interface EventSinkOptions {
  /** `--nats URL`; NIXFORGE_NATS_URL in `env` is used when absent. */
  nats?: string;
  /** `--events FILE`: NDJSON log. With a NATS URL as well, events go to NATS and a copy to the file. */
  events?: string;
  /** `--events-fallback FILE`: when the server cannot be reached, or events fail, they are written here instead. */
  eventsFallback?: string;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Log used when neither `nats`, `events` nor NIXFORGE_EVENTS is given (the configuration's `events` key). */
  defaultLog?: string;
  /** Overrides for the stream layout (otherwise from NIXFORGE_STREAM_* variables and defaults). */
  streams?: Partial<StreamSettings>;
  /** Tuning for the JetStream publisher. */
  maxPending?: number;
  ackTimeoutMs?: number;
  maxOutageMs?: number;
  /** Where notices go (fallback in use, outage); usually the CLI's stderr. */
  notice?: (line: string) => void;
}

/** The final summary line, e.g. `events: 1234 published, 0 duplicates, 0 failed -> nats://127.0.0.1:4222`. */
export function formatPublishSummary(summary: PublishSummary): string {
  return `events: ${summary.published} published, ${summary.duplicates} duplicates, ${summary.failed} failed -> ${summary.destination}`;
}
