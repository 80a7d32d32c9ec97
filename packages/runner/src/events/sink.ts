import { resolve } from 'node:path';
import { UsageError } from '../errors.js';
import type { NixforgeEvent } from './envelope.js';
import type { EventSink, EventSinkOptions, PublishSummary } from './event-sink.js';
import { natsUrlFrom } from './connection.js';
import { NdjsonFileSink, NullSink } from './ndjson-sink.js';
import { streamSettingsFromEnv } from './streams.js';

export { formatPublishSummary, type EventSink, type EventSinkOptions, type PublishSummary } from './event-sink.js';

/**
 * The conventional place for a local event log (`--events .nixforge/events.ndjson`). Nothing writes there unless
 * asked: a linter leaves the user's repository alone, so without `--events`, the configuration's `events` key,
 * NIXFORGE_EVENTS or a NATS URL, events are dropped.
 */
export const DEFAULT_EVENT_LOG = '.nixforge/events.ndjson';

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
    // Loaded only here, so a scan that writes a file or no events never loads the NATS client.
    const { openNatsSink } = await import('./nats-sink.js');
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
