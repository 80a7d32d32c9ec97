import { TOPOLOGY_EVENT_TYPES } from '@nixforge/templates';
import { isJsonMediaType, readCloudEvent, type CloudEvent } from '../envelope.js';

/** Prefix of topology event types on NATS: `nixforge.topology.NodeAdded` carries the generator's `NodeAdded`. */
export const TOPOLOGY_TYPE_PREFIX = 'nixforge.topology.';

/** A consumed topology message: the generator's event, plus the envelope when it was a CloudEvent. */
export interface TopologyMessage {
  event: { type: string; data: unknown };
  /** The CloudEvent, with `correlationid`/`causationid` defaulted to its id when the producer did not set them. */
  envelope?: CloudEvent;
}

function topologyType(value: string): string | undefined {
  const type = value.startsWith(TOPOLOGY_TYPE_PREFIX) ? value.slice(TOPOLOGY_TYPE_PREFIX.length) : value;
  return (TOPOLOGY_EVENT_TYPES as readonly string[]).includes(type) ? type : undefined;
}

/**
 * Reads a message of the topology stream: a CloudEvents 1.0 event from any producer (nixforge's extensions
 * optional) or a bare `{ type, data }`. The generator's event type is the `type` attribute (`<Type>` or
 * `nixforge.topology.<Type>`), or, for a producer with types of its own (`com.example.inventory.node`), the
 * `<Type>` token of the NATS subject it was published on (`nixforge.topology.<Type>.<topology>`). Throws an Error
 * that says what is wrong.
 */
export function parseTopologyMessage(body: string, natsSubject?: string): TopologyMessage {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (error) {
    throw new Error(`not JSON: ${(error as Error).message}`);
  }
  const record = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  const envelope = 'specversion' in record ? readCloudEvent(value) : undefined;
  if (envelope?.datacontenttype !== undefined && !isJsonMediaType(envelope.datacontenttype)) {
    throw new Error(`datacontenttype '${envelope.datacontenttype}' is not JSON; topology events carry JSON data`);
  }
  const rawType = envelope?.type ?? record.type;
  if (typeof rawType !== 'string') throw new Error(`field 'type' must be a string`);
  const fromSubject = natsSubject?.startsWith(TOPOLOGY_TYPE_PREFIX) ? topologyType(natsSubject.slice(TOPOLOGY_TYPE_PREFIX.length).split('.')[0]!) : undefined;
  const type = topologyType(rawType) ?? (envelope ? fromSubject : undefined);
  if (type === undefined) {
    throw new Error(`unknown topology event type '${rawType}'; expected ${TOPOLOGY_TYPE_PREFIX}<type> with <type> one of ${TOPOLOGY_EVENT_TYPES.join(', ')}`);
  }
  const message: TopologyMessage = { event: { type, data: envelope ? envelope.data : record.data } };
  if (envelope) message.envelope = envelope;
  return message;
}
