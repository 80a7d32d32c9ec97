import { resolve } from 'node:path';
import { UsageError } from '../errors.js';
import type { NixforgeEvent } from './envelope.js';
import type { EventSink, EventSinkOptions, PublishSummary } from './event-sink.js';
import { JetStreamSink } from './jetstream-sink.js';
import { NdjsonFileSink } from './ndjson-sink.js';
import { parseDuration, type StreamSettings } from './streams.js';

/** JetStream, or with `eventsFallback` the fallback file when the server cannot be reached. */
export async function openNatsSink(url: string, options: EventSinkOptions, streams: StreamSettings): Promise<EventSink> {
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
