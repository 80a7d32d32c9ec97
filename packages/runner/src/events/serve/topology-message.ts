import { TOPOLOGY_EVENT_TYPES } from '@nixforge/templates';
import { validateEvent, type NixforgeEvent } from '../envelope.js';

/** Prefix of topology event types on NATS: `nixforge.topology.NodeAdded` carries the generator's `NodeAdded`. */
export const TOPOLOGY_TYPE_PREFIX = 'nixforge.topology.';

/** A consumed topology message: the generator's event, plus the envelope when it was a CloudEvent. */
export interface TopologyMessage {
  event: { type: string; data: unknown };
  envelope?: NixforgeEvent;
}

/**
 * Reads a message of the topology stream: a nixforge CloudEvent whose type is `nixforge.topology.<Type>`, or a bare
 * `{ type, data }` with `<Type>` or `nixforge.topology.<Type>`. Throws an Error that says what is wrong.
 */
export function parseTopologyMessage(body: string): TopologyMessage {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (error) {
    throw new Error(`not JSON: ${(error as Error).message}`);
  }
  const record = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  const envelope = 'specversion' in record ? validateEvent(value) : undefined;
  const rawType = record.type;
  if (typeof rawType !== 'string') throw new Error(`field 'type' must be a string`);
  const type = rawType.startsWith(TOPOLOGY_TYPE_PREFIX) ? rawType.slice(TOPOLOGY_TYPE_PREFIX.length) : rawType;
  if (!(TOPOLOGY_EVENT_TYPES as readonly string[]).includes(type)) {
    throw new Error(`unknown topology event type '${rawType}'; expected ${TOPOLOGY_TYPE_PREFIX}<type> with <type> one of ${TOPOLOGY_EVENT_TYPES.join(', ')}`);
  }
  const message: TopologyMessage = { event: { type, data: record.data } };
  if (envelope) message.envelope = envelope;
  return message;
}
