import { createReadStream } from 'node:fs';
import { access } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { UsageError, errorMessage } from '../errors.js';
import { readCloudEvent, type NixforgeEvent } from './envelope.js';
import type { EventSink } from './event-sink.js';
import { uncatalogedTypeProblem } from './event-summary.js';

/** A line of a log that is not a valid event. */
export interface InvalidLine {
  line: number;
  problem: string;
}

/**
 * Streams an NDJSON event log into a sink, line by line (the log is never held in memory). Lines are CloudEvents 1.0
 * from any producer (see `readCloudEvent`: nixforge's correlation/causation extensions default to the event's id) of a
 * type in the event catalog or `nixforge.topology.<Type>`. Invalid lines are reported
 * through `onInvalid` and skipped; blank lines are ignored. Events keep their ids, so replaying into JetStream twice
 * stores nothing new the second time (inside the stream's duplicate window).
 */
export async function replayLog(path: string, sink: EventSink, onInvalid: (invalid: InvalidLine) => void): Promise<{ events: number; invalid: number }> {
  try {
    await access(path);
  } catch (error) {
    throw new UsageError(`cannot read the event log ${path}: ${errorMessage(error)}`);
  }
  const lines = createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity });
  let number = 0;
  let events = 0;
  let invalid = 0;
  for await (const text of lines) {
    number++;
    if (text.trim() === '') continue;
    let event;
    try {
      event = readCloudEvent(JSON.parse(text));
      const problem = uncatalogedTypeProblem(event.type);
      if (problem) throw new Error(problem);
    } catch (error) {
      invalid++;
      onInvalid({ line: number, problem: error instanceof SyntaxError ? `not JSON: ${error.message}` : errorMessage(error) });
      continue;
    }
    // Optional CloudEvents attributes may be absent; the sinks publish the envelope as it is (see natsSubjectOf).
    await sink.publish(event as unknown as NixforgeEvent);
    events++;
  }
  return { events, invalid };
}
