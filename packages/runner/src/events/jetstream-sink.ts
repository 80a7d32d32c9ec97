import { headers, type NatsConnection } from '@nats-io/transport-node';
import { JetStreamApiError, jetstream, jetstreamManager, type JetStreamClient } from '@nats-io/jetstream';
import { errorMessage } from '../errors.js';
import type { NixforgeEvent } from './envelope.js';
import type { EventSink, PublishSummary } from './event-sink.js';
import { connectNats } from './connection.js';
import { ensureStreams, type StreamSettings } from './streams.js';
import { natsSubjectOf } from './subjects.js';

/** Header names besides `Nats-Msg-Id` (which carries the event id). */
export const EVENT_HEADERS = {
  correlation: 'Nixforge-Correlation-Id',
  causation: 'Nixforge-Causation-Id',
} as const;

export interface JetStreamSinkOptions {
  url: string;
  streams: StreamSettings;
  /** Most publishes awaiting their ack at once; `publish` waits while the window is full. Default 256. */
  maxPending?: number;
  /** How long to wait for one ack before treating it as lost and publishing again. Default 5000 ms. */
  ackTimeoutMs?: number;
  /** How long the server may be away before the events still unacknowledged count as failed. Default 60 s. */
  maxOutageMs?: number;
  /** Called with every event that finally failed, e.g. to write it to a fallback file. */
  onFailed?: (event: NixforgeEvent, reason: string) => Promise<void>;
  /** Called once per outage, with a line for the user. */
  onNotice?: (line: string) => void;
}

/** Events of these types are published strictly in order (see publish). */
const ORDERED_TYPE_PREFIX = 'nixforge.topology.';

interface Pending {
  sequence: number;
  event: NixforgeEvent;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Publishes events to JetStream with a bounded window of unacknowledged messages. Every ack is checked. When a
 * publish fails because the server is away, publishing pauses; once everything in flight has settled, the failed
 * events are published again in their original order with the same `Nats-Msg-Id`, so JetStream stores each event
 * exactly once even when the first copy did arrive. Order is kept except for copies the client had buffered during
 * the outage and sent after reconnecting; topology events, whose order matters, are therefore sent one at a time.
 */
export class JetStreamSink implements EventSink {
  readonly kind = 'nats';
  private readonly js: JetStreamClient;
  private readonly maxPending: number;
  private readonly ackTimeoutMs: number;
  private readonly maxOutageMs: number;
  private sequence = 0;
  private inflight = 0;
  private retry: Pending[] = [];
  private recovering: Promise<void> | undefined;
  private unavailable: string | undefined;
  private waiters: Array<() => void> = [];
  private readonly counts = { published: 0, duplicates: 0, failed: 0 };
  private failureSamples: string[] = [];
  private failing: Promise<void> = Promise.resolve();

  private constructor(
    readonly connection: NatsConnection,
    readonly destination: string,
    private readonly options: JetStreamSinkOptions,
  ) {
    this.js = jetstream(connection, { timeout: options.ackTimeoutMs ?? 5000 });
    this.maxPending = Math.max(1, options.maxPending ?? 256);
    this.ackTimeoutMs = options.ackTimeoutMs ?? 5000;
    this.maxOutageMs = options.maxOutageMs ?? 60_000;
  }

  /** Connects (UsageError when the server cannot be reached) and makes sure the streams exist. */
  static async open(options: JetStreamSinkOptions): Promise<JetStreamSink> {
    const connection = await connectNats(options.url, { name: 'nixforge-publisher' });
    try {
      await ensureStreams(await jetstreamManager(connection), options.streams);
    } catch (error) {
      await connection.close();
      throw error;
    }
    return new JetStreamSink(connection, options.url, options);
  }

  async publish(event: NixforgeEvent): Promise<void> {
    // Topology events are applied in stream order, so they go one at a time: with nothing else in flight, a copy
    // buffered by the client during an outage can never overtake an earlier event that is published again.
    const limit = event.type.startsWith(ORDERED_TYPE_PREFIX) ? 1 : this.maxPending;
    // A loop, because several callers woken together may fill the window again before this one resumes.
    while (this.recovering !== undefined || this.inflight >= limit) {
      await this.until(() => this.recovering === undefined && this.inflight < limit);
    }
    const item = { sequence: this.sequence++, event };
    if (this.unavailable !== undefined) {
      this.fail(item, this.unavailable);
      return;
    }
    this.inflight++;
    // Plain callbacks rather than an async helper: this runs once per event and is the publisher's hot path.
    this.js.publish(natsSubjectOf(event), JSON.stringify(event), this.publishOptions(event)).then(
      (ack) => {
        this.count(ack);
        this.settled();
      },
      (error: unknown) => {
        if (this.isRetryable(error)) {
          this.retry.push(item);
          this.startRecovery();
        } else {
          this.fail(item, errorMessage(error));
        }
        this.settled();
      },
    );
  }

  private settled(): void {
    this.inflight--;
    this.wake();
  }

  /** Waits until every event published so far is acknowledged (or failed); the sink stays open. */
  async flush(): Promise<PublishSummary> {
    await this.until(() => this.inflight === 0 && this.recovering === undefined);
    await this.failing;
    return { ...this.counts, destination: this.destination };
  }

  /** Waits until every event is acknowledged or failed, then drains the connection. */
  async close(): Promise<PublishSummary> {
    await this.flush();
    if (!this.connection.isClosed()) await this.connection.drain().catch(() => this.connection.close());
    return { ...this.counts, destination: this.destination };
  }

  /** Up to three distinct reasons for failed events, for the user. */
  get failureReasons(): string[] {
    return [...this.failureSamples];
  }

  private publishOptions(event: NixforgeEvent) {
    const h = headers();
    h.set(EVENT_HEADERS.correlation, event.correlationid);
    h.set(EVENT_HEADERS.causation, event.causationid);
    return { msgID: event.id, headers: h, timeout: this.ackTimeoutMs };
  }

  private count(ack: { duplicate: boolean }): void {
    if (ack.duplicate) this.counts.duplicates++;
    else this.counts.published++;
  }

  private isRetryable(error: unknown): boolean {
    if (this.connection.isClosed()) return false;
    if (error instanceof JetStreamApiError) return error.status === 503;
    return true;
  }

  private startRecovery(): void {
    if (this.recovering !== undefined) return;
    this.options.onNotice?.(`events: NATS publish failed at ${this.destination}; waiting for the server to publish the unacknowledged events again`);
    this.recovering = this.recover().finally(() => {
      this.recovering = undefined;
      this.wake();
    });
  }

  /** Republishes the failed events one by one, in order, once nothing else is in flight. */
  private async recover(): Promise<void> {
    const deadline = Date.now() + this.maxOutageMs;
    await this.until(() => this.inflight === 0);
    this.retry.sort((a, b) => a.sequence - b.sequence);
    let backoff = 100;
    while (this.retry.length > 0) {
      const item = this.retry[0]!;
      try {
        this.count(await this.js.publish(natsSubjectOf(item.event), JSON.stringify(item.event), this.publishOptions(item.event)));
        this.retry.shift();
        backoff = 100;
      } catch (error) {
        if (!this.isRetryable(error)) {
          this.retry.shift();
          this.fail(item, errorMessage(error));
        } else if (Date.now() >= deadline) {
          this.unavailable = `NATS server at ${this.destination} unavailable for more than ${Math.round(this.maxOutageMs / 1000)} s (${errorMessage(error)})`;
          for (const rest of this.retry.splice(0)) this.fail(rest, this.unavailable);
        } else {
          await sleep(backoff);
          backoff = Math.min(backoff * 2, 1000);
        }
      }
    }
  }

  private fail(item: Pending, reason: string): void {
    this.counts.failed++;
    if (this.failureSamples.length < 3 && !this.failureSamples.includes(reason)) this.failureSamples.push(reason);
    const onFailed = this.options.onFailed;
    if (onFailed) this.failing = this.failing.then(() => onFailed(item.event, reason));
  }

  private until(condition: () => boolean): Promise<void> {
    if (condition()) return Promise.resolve();
    return new Promise((resolve) => {
      const check = () => {
        if (condition()) resolve();
        else this.waiters.push(check);
      };
      this.waiters.push(check);
    });
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const waiter of waiters) waiter();
  }
}
