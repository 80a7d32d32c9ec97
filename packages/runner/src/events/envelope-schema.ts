import { Type, type Static } from '@sinclair/typebox';

const UUID = Type.String({ pattern: '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$', expected: 'a UUID' });
const SPEC_VERSION = Type.Literal('1.0', { expected: '"1.0" (CloudEvents 1.0)' });
const NON_EMPTY = Type.String({ minLength: 1, expected: 'a non-empty string' });
const REQUIRED_BY_CLOUDEVENTS = Type.String({ minLength: 1, expected: 'a non-empty string (CloudEvents requires it)' });
/** RFC 3339 date-time, as CloudEvents requires for `time`. */
const RFC3339 = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}[Tt]\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?([Zz]|[+-]\\d{2}:\\d{2})$', expected: 'an RFC 3339 timestamp' });

/**
 * A nixforge event: a CloudEvents 1.0 JSON envelope with two extension attributes. `correlationid` is shared by every
 * event of one run; `causationid` is the id of the event that caused this one (the first event of a run is caused by
 * itself). Other attributes are allowed.
 */
export const NIXFORGE_EVENT_SCHEMA = Type.Object({
  specversion: SPEC_VERSION,
  /** UUIDv7: unique, and sortable by creation time. On NATS it is also the `Nats-Msg-Id`. */
  id: UUID,
  /** Starts with `nixforge.`, e.g. `nixforge.scan.finding`. */
  type: Type.String({ pattern: '^nixforge\\.', expected: 'an event type starting with "nixforge."' }),
  /** `nixforge/<version>`. */
  source: NON_EMPTY,
  /** RFC 3339 timestamp of creation. */
  time: Type.String({ minLength: 1, expected: 'a timestamp' }),
  /** What the event is about: `<repository>` or `<repository>/<path>`; its first segment is the subject token. */
  subject: NON_EMPTY,
  datacontenttype: Type.Literal('application/json'),
  data: Type.Unknown(),
  correlationid: UUID,
  causationid: UUID,
}, { expected: 'an event envelope (a JSON object)' });

/**
 * A CloudEvents 1.0 event in structured JSON mode from any producer: what the specification itself requires
 * (`specversion` "1.0"; `id`, `source` and `type` non-empty strings; optional attributes, when present, non-empty
 * strings, `time` an RFC 3339 timestamp). nixforge's extensions are optional here.
 */
export const CLOUD_EVENT_SCHEMA = Type.Object({
  specversion: SPEC_VERSION,
  id: REQUIRED_BY_CLOUDEVENTS,
  source: REQUIRED_BY_CLOUDEVENTS,
  type: REQUIRED_BY_CLOUDEVENTS,
  subject: Type.Optional(NON_EMPTY),
  time: Type.Optional(RFC3339),
  datacontenttype: Type.Optional(NON_EMPTY),
  dataschema: Type.Optional(NON_EMPTY),
  /** The payload; JSON carried in `data_base64` is decoded into it. */
  data: Type.Optional(Type.Unknown()),
  data_base64: Type.Optional(Type.String({ expected: 'a base64 string' })),
  correlationid: Type.Optional(NON_EMPTY),
  causationid: Type.Optional(NON_EMPTY),
}, { expected: 'a CloudEvents envelope (a JSON object)' });

export type NixforgeEnvelope = Static<typeof NIXFORGE_EVENT_SCHEMA>;
export type CloudEventEnvelope = Static<typeof CLOUD_EVENT_SCHEMA>;
