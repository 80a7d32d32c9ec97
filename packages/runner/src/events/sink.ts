import { resolve } from 'node:path';
import { UsageError } from '../errors.js';
import type { NixforgeEvent } from './envelope.js';
import { natsUrlFrom } from './connection.js';
import { JetStreamSink } from './jetstream-sink.js';
import { NdjsonFileSink, NullSink } from './ndjson-sink.js';
import { parseDuration, streamSettingsFromEnv, type StreamSettings } from './streams.js';

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

/**
 * The conventional place for a local event log (`--events .nixforge/events.ndjson`). Nothing writes there unless
 * asked: a linter leaves the user's repository alone, so without `--events`, the configuration's `events` key,
 * NIXFORGE_EVENTS or a NATS URL, events are dropped.
 */
export const DEFAULT_EVENT_LOG = '.nixforge/events.ndjson';

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

/**
 * Opens the sink the options ask for: JetStream when a NATS URL is given (flag or NIXFORGE_NATS_URL; with `events`
 * too, each event is also appended to that file), otherwise the NDJSON file from `events`, NIXFORGE_EVENTS or
 * `defaultLog`, in that order. With none of them, or NIXFORGE_EVENTS=off, events are dropped (a sink of kind
 * `none`). An unreachable server is a UsageError, unless `eventsFallback` is given.
 */
export async function openEventSink(options: EventSinkOptions): Promise<EventSink> {
  const url = natsUrlFrom(options.nats, options.env);
  const streams = streamSettingsFromEnv(options.env, options.streams);
  if (url !== undefined) {
    const nats = await openNatsSink(url, options, streams);
    // Both given: the server gets the events and the file gets a copy of every envelope.
    if (options.events === undefined) return nats;
    return new CopyingSink(nats, await NdjsonFileSink.open(resolve(options.cwd, options.events)));
  }
  const configured = options.events ?? options.env.NIXFORGE_EVENTS ?? options.defaultLog;
  if (configured === undefined || (options.events === undefined && configured === 'off')) return new NullSink();
  if (configured.trim() === '') throw new UsageError('--events: the file name is empty');
  return NdjsonFileSink.open(resolve(options.cwd, configured));
}

/** JetStream, or with `eventsFallback` the fallback file when the server cannot be reached. */
async function openNatsSink(url: string, options: EventSinkOptions, streams: StreamSettings): Promise<EventSink> {
  const fallbackPath = options.eventsFallback === undefined ? undefined : resolve(options.cwd, options.eventsFallback);
  let fallback: Promise<NdjsonFileSink> | undefined;
  const openFallback = () => (fallback ??= NdjsonFileSink.open(fallbackPath!));
  try {
    const sink = await JetStreamSink.open({
      url,
      streams,
      ...publisherTuning(options),
      onNotice: options.notice,
      onFailed: fallbackPath === undefined ? undefined : async (event) => (await openFallback()).publish(event),
    });
    return fallbackPath === undefined ? sink : new SinkWithFallback(sink, () => fallback);
  } catch (error) {
    if (fallbackPath === undefined || !(error instanceof UsageError)) throw error;
    options.notice?.(`events: ${error.message}; writing events to ${fallbackPath} instead`);
    return openFallback();
  }
}

/** Publishes to a primary sink and appends every event to a file as well; the summary is the primary's. */
class CopyingSink implements EventSink {
  constructor(
    private readonly primary: EventSink,
    private readonly copy: NdjsonFileSink,
  ) {}

  get kind(): EventSink['kind'] {
    return this.primary.kind;
  }

  get failureReasons(): string[] | undefined {
    return this.primary.failureReasons;
  }

  async publish(event: NixforgeEvent): Promise<void> {
    await this.copy.publish(event);
    await this.primary.publish(event);
  }

  async close(): Promise<PublishSummary> {
    const copied = await this.copy.close();
    const summary = await this.primary.close();
    return { ...summary, destination: `${summary.destination} (and ${copied.published} to ${copied.destination})` };
  }
}

/**
 * Publisher tuning: the options, else NIXFORGE_NATS_MAX_PENDING (unacknowledged messages, default 256),
 * NIXFORGE_NATS_ACK_TIMEOUT (default 5s) and NIXFORGE_NATS_MAX_OUTAGE (default 60s).
 */
function publisherTuning(options: EventSinkOptions): { maxPending?: number; ackTimeoutMs?: number; maxOutageMs?: number } {
  const env = options.env;
  let maxPending = options.maxPending;
  if (maxPending === undefined && env.NIXFORGE_NATS_MAX_PENDING !== undefined) {
    maxPending = Number(env.NIXFORGE_NATS_MAX_PENDING);
    if (!Number.isInteger(maxPending) || maxPending < 1) {
      throw new UsageError(`NIXFORGE_NATS_MAX_PENDING: '${env.NIXFORGE_NATS_MAX_PENDING}' is not a positive integer`);
    }
  }
  const duration = (given: number | undefined, name: string) => {
    const text = env[name];
    return given ?? (text === undefined ? undefined : parseDuration(name, text));
  };
  return {
    maxPending,
    ackTimeoutMs: duration(options.ackTimeoutMs, 'NIXFORGE_NATS_ACK_TIMEOUT'),
    maxOutageMs: duration(options.maxOutageMs, 'NIXFORGE_NATS_MAX_OUTAGE'),
  };
}

/** A JetStream sink whose failed events went to a fallback file: closes both and reports the file. */
class SinkWithFallback implements EventSink {
  readonly kind = 'nats';
  constructor(
    private readonly primary: JetStreamSink,
    private readonly fallback: () => Promise<NdjsonFileSink> | undefined,
  ) {}

  publish(event: NixforgeEvent): Promise<void> {
    return this.primary.publish(event);
  }

  get failureReasons(): string[] {
    return this.primary.failureReasons;
  }

  async close(): Promise<PublishSummary> {
    const summary = await this.primary.close();
    const fallback = this.fallback();
    if (fallback === undefined) return summary;
    const written = await (await fallback).close();
    return { ...summary, destination: `${summary.destination} (${written.published} failed events written to ${written.destination})` };
  }
}

/** The final summary line, e.g. `events: 1234 published, 0 duplicates, 0 failed -> nats://127.0.0.1:4222`. */
export function formatPublishSummary(summary: PublishSummary): string {
  return `events: ${summary.published} published, ${summary.duplicates} duplicates, ${summary.failed} failed -> ${summary.destination}`;
}
