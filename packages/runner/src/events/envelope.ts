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
  /** serve: a host left inconsistent by a topology event; its files stay as they were until it is complete. */
  generatePending: 'nixforge.generate.pending',
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

/**
 * A CloudEvents 1.0 event from any producer, as `readCloudEvent` returns it: the attributes the specification
 * requires, the optional ones when the producer set them, and nixforge's `correlationid`/`causationid` always
 * present (defaulting to the event's own id: an event from outside starts its own causal chain).
 */
export interface CloudEvent {
  specversion: '1.0';
  id: string;
  source: string;
  type: string;
  subject?: string;
  time?: string;
  datacontenttype?: string;
  dataschema?: string;
  /** The payload; JSON carried in `data_base64` is decoded into it. */
  data?: unknown;
  correlationid: string;
  causationid: string;
  [extension: string]: unknown;
}

/** RFC 3339 date-time, as CloudEvents requires for `time`. */
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

/** Media types whose payload is JSON: `application/json`, `text/json`, `application/<x>+json` (parameters allowed). */
export function isJsonMediaType(type: string): boolean {
  const base = type.split(';')[0]!.trim().toLowerCase();
  return base === 'application/json' || base === 'text/json' || /^[a-z0-9.+-]+\/[a-z0-9.+-]+\+json$/.test(base);
}

/**
 * Reads a CloudEvents 1.0 event in structured JSON mode from any producer, refusing only what the specification
 * itself requires: `specversion` "1.0"; `id`, `source` and `type` non-empty strings; optional attributes, when
 * present, non-empty strings (`time` an RFC 3339 timestamp); not both `data` and `data_base64`. nixforge's
 * extensions are optional: a missing `correlationid` or `causationid` becomes the event's own id. Throws an Error
 * naming the attribute.
 */
export function readCloudEvent(value: unknown): CloudEvent {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('not a JSON object');
  const record = { ...(value as Record<string, unknown>) };
  if (record.specversion !== '1.0') throw new Error(`field 'specversion' must be "1.0", got ${JSON.stringify(record.specversion) ?? 'nothing'}`);
  for (const field of ['id', 'source', 'type'] as const) {
    if (typeof record[field] !== 'string' || record[field] === '') throw new Error(`field '${field}' must be a non-empty string (CloudEvents requires it)`);
  }
  for (const field of ['subject', 'time', 'datacontenttype', 'dataschema', 'correlationid', 'causationid'] as const) {
    if (record[field] === undefined) continue;
    if (typeof record[field] !== 'string' || record[field] === '') throw new Error(`field '${field}' must be a non-empty string when present`);
  }
  if (record.time !== undefined && (!RFC3339.test(record.time as string) || Number.isNaN(Date.parse(record.time as string)))) {
    throw new Error(`field 'time' is not an RFC 3339 timestamp: ${JSON.stringify(record.time)}`);
  }
  if ('data' in record && 'data_base64' in record) throw new Error(`an event has either 'data' or 'data_base64', not both`);
  if ('data_base64' in record) {
    if (typeof record.data_base64 !== 'string') throw new Error(`field 'data_base64' must be a base64 string`);
    const type = (record.datacontenttype as string | undefined) ?? 'application/json';
    if (isJsonMediaType(type)) {
      try {
        record.data = JSON.parse(Buffer.from(record.data_base64, 'base64').toString('utf8'));
      } catch (error) {
        throw new Error(`'data_base64' is not base64 of JSON (datacontenttype ${type}): ${(error as Error).message}`);
      }
      delete record.data_base64;
    }
  }
  record.correlationid ??= record.id;
  record.causationid ??= record.id;
  return record as CloudEvent;
}
