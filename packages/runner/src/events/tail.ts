import type { NatsConnection } from '@nats-io/transport-node';
import type { NixforgeEvent } from './envelope.js';
import { summarizeEvent } from './event-summary.js';

export type TailFormat = 'ndjson' | 'text';

/**
 * One line for a received message: the envelope as JSON, or for people `time type subject id` and the gist of
 * its data as the event catalog describes it (a finding's place and rule, a file's count, a commit's files).
 */
export function formatTailLine(body: string, format: TailFormat): string {
  if (format === 'ndjson') return body;
  try {
    const event = JSON.parse(body) as NixforgeEvent;
    const gist = summarizeEvent(String(event.type), event.data);
    return `${event.time} ${event.type} ${event.subject} ${event.id}${gist ? ` ${gist}` : ''}`;
  } catch {
    return body;
  }
}

/** How many recent event ids `tailEvents` remembers to hide repeated copies. */
const REMEMBERED_IDS = 65_536;

/**
 * Prints every message on `subject` (wildcards allowed) as it arrives, until `signal` aborts or the connection
 * closes. A plain subscription: JetStream publishes reach it too, so it sees events live without a consumer. It
 * also sees copies JetStream drops as duplicates (a replay, a republish after an outage), so a message whose
 * `Nats-Msg-Id` was printed recently is skipped. Returns the number of messages printed.
 */
export async function tailEvents(
  connection: NatsConnection,
  subject: string,
  write: (line: string) => void,
  options: { format: TailFormat; signal?: AbortSignal; onReady?: () => void },
): Promise<number> {
  const subscription = connection.subscribe(subject);
  const stop = () => subscription.unsubscribe();
  options.signal?.addEventListener('abort', stop, { once: true });
  if (options.signal?.aborted) stop();
  let count = 0;
  const seen = new Set<string>();
  try {
    await connection.flush();
    options.onReady?.();
    for await (const message of subscription) {
      const id = message.headers?.get('Nats-Msg-Id');
      if (id) {
        if (seen.has(id)) continue;
        seen.add(id);
        // A Set iterates in insertion order, so the first entry is the oldest.
        if (seen.size > REMEMBERED_IDS) seen.delete(seen.values().next().value!);
      }
      write(formatTailLine(message.string(), options.format));
      count++;
    }
  } finally {
    options.signal?.removeEventListener('abort', stop);
  }
  return count;
}
