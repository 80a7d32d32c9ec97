import { v7 as uuidv7 } from 'uuid';
import { describeValue, formatProblem, schemaValidator, type SchemaProblem } from '@nixforge/core';
import { VERSION } from '../version.js';
import { CLOUD_EVENT_SCHEMA, NIXFORGE_EVENT_SCHEMA, type CloudEventEnvelope, type NixforgeEnvelope } from './envelope-schema.js';

/** A nixforge event (see NIXFORGE_EVENT_SCHEMA, which this type is generated from), its payload typed `T`. */
export type NixforgeEvent<T = unknown> = Omit<NixforgeEnvelope, 'data'> & { data: T };

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

export { EVENT_TYPES } from './catalog.js';

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

const nixforgeEvent = schemaValidator(NIXFORGE_EVENT_SCHEMA);
const cloudEvent = schemaValidator(CLOUD_EVENT_SCHEMA);

/** The problems of an envelope as one line: `field: problem; field: problem`. */
function envelopeProblems(problems: readonly SchemaProblem[]): string | undefined {
  return problems.length === 0 ? undefined : problems.map(formatProblem).join('; ');
}

/**
 * Checks that a parsed JSON value is a complete nixforge envelope; returns it typed or throws an Error naming every
 * field that is missing or wrong.
 */
export function validateEvent(value: unknown): NixforgeEvent {
  const problems = nixforgeEvent.problems(value);
  if (problems.length === 0 && Number.isNaN(Date.parse((value as NixforgeEnvelope).time))) problems.push({ path: 'time', message: `expected a timestamp, got ${describeValue((value as NixforgeEnvelope).time)}` });
  const message = envelopeProblems(problems);
  if (message) throw new Error(message);
  return value as NixforgeEvent;
}

/**
 * A CloudEvents 1.0 event from any producer, as `readCloudEvent` returns it: the attributes the specification
 * requires, the optional ones when the producer set them, and nixforge's `correlationid`/`causationid` always
 * present (defaulting to the event's own id: an event from outside starts its own causal chain).
 */
export type CloudEvent = Omit<CloudEventEnvelope, 'correlationid' | 'causationid' | 'data_base64'> & {
  correlationid: string;
  causationid: string;
  [extension: string]: unknown;
};

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
  const problems = cloudEvent.problems(value);
  const time = (value as CloudEventEnvelope | undefined)?.time;
  if (problems.length === 0 && time !== undefined && Number.isNaN(Date.parse(time))) problems.push({ path: 'time', message: `expected an RFC 3339 timestamp, got ${describeValue(time)}` });
  const message = envelopeProblems(problems);
  if (message) throw new Error(message);
  const record = { ...(value as Record<string, unknown>) };
  if ('data' in record && 'data_base64' in record) throw new Error(`an event has either 'data' or 'data_base64', not both`);
  if ('data_base64' in record) {
    const type = (record.datacontenttype as string | undefined) ?? 'application/json';
    if (isJsonMediaType(type)) {
      try {
        record.data = JSON.parse(Buffer.from(record.data_base64 as string, 'base64').toString('utf8'));
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
