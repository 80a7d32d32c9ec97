import { v7 as uuidv7 } from 'uuid';
import { VERSION } from '../version.js';

/**
 * A nixforge event: a CloudEvents 1.0 JSON envelope with two extension attributes. `correlationid` is shared by
 * every event of one run; `causationid` is the id of the event that caused this one (the first event of a run is
 * caused by itself).
 */
export interface NixforgeEvent<T = unknown> {
  specversion: '1.0';
  /** UUIDv7: unique, and sortable by creation time. On NATS it is also the `Nats-Msg-Id`. */
  id: string;
  /** Starts with `nixforge.`, e.g. `nixforge.scan.finding`. */
  type: string;
  /** `nixforge/<version>`. */
  source: string;
  /** RFC 3339 timestamp of creation. */
  time: string;
  /** What the event is about: `<repository>` or `<repository>/<path>`; its first segment is the subject token. */
  subject: string;
  datacontenttype: 'application/json';
  data: T;
  correlationid: string;
  causationid: string;
}

/** What a caller supplies to create an event; ids, time and source are filled in. */
export interface NewEvent<T> {
  type: string;
  subject: string;
  data: T;
  /** The run's correlation id; defaults to the causation id, or to the new event's own id. */
  correlationId?: string;
  /** The id of the event that caused this one; defaults to the new event's own id. */
  causationId?: string;
}

export const EVENT_SOURCE = `nixforge/${VERSION}`;

/** Event types nixforge emits. Types of the topology service's input live under `nixforge.topology.`. */
export const EVENT_TYPES = {
  scanStarted: 'nixforge.scan.started',
  scanFinding: 'nixforge.scan.finding',
  scanFile: 'nixforge.scan.file',
  scanCompleted: 'nixforge.scan.completed',
  scanAborted: 'nixforge.scan.aborted',
  generateConfig: 'nixforge.generate.config',
  gitNixFilesChanged: 'nixforge.git.nixfiles.changed',
  gitFlakeLockUpdated: 'nixforge.git.flakelock.updated',
} as const;

export function createEvent<T>(event: NewEvent<T>): NixforgeEvent<T> {
  if (!event.type.startsWith('nixforge.')) throw new Error(`event type '${event.type}' must start with 'nixforge.'`);
  const id = uuidv7();
  const causationid = event.causationId ?? id;
  return {
    specversion: '1.0',
    id,
    type: event.type,
    source: EVENT_SOURCE,
    time: new Date().toISOString(),
    subject: event.subject,
    datacontenttype: 'application/json',
    data: event.data,
    correlationid: event.correlationId ?? event.causationId ?? id,
    causationid,
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const STRING_FIELDS = ['id', 'type', 'source', 'time', 'subject', 'correlationid', 'causationid'] as const;

/**
 * Checks that a parsed JSON value is a complete nixforge envelope; returns it typed or throws an Error naming the
 * first field that is missing or wrong.
 */
export function validateEvent(value: unknown): NixforgeEvent {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('not a JSON object');
  const record = value as Record<string, unknown>;
  if (record.specversion !== '1.0') throw new Error(`field 'specversion' must be "1.0"`);
  for (const field of STRING_FIELDS) {
    if (typeof record[field] !== 'string' || record[field] === '') throw new Error(`field '${field}' must be a non-empty string`);
  }
  for (const field of ['id', 'correlationid', 'causationid'] as const) {
    if (!UUID.test(record[field] as string)) throw new Error(`field '${field}' is not a UUID: ${JSON.stringify(record[field])}`);
  }
  if (!(record.type as string).startsWith('nixforge.')) throw new Error(`field 'type' must start with 'nixforge.'`);
  if (Number.isNaN(Date.parse(record.time as string))) throw new Error(`field 'time' is not a timestamp`);
  if (record.datacontenttype !== 'application/json') throw new Error(`field 'datacontenttype' must be "application/json"`);
  if (!('data' in record)) throw new Error(`field 'data' is missing`);
  return value as NixforgeEvent;
}
