import type { TopologyConnection, TopologyDefaults, TopologyNode, TopologyRoute, TopologyService, TopologyUser } from './schema.js';

/** The shapes of topology input are declared as schemas in schema.ts; these types are generated from them. */
export {
  NODE_ROLES,
  NODE_TIERS,
  SERVICE_NAMES,
  type NodeRole,
  type NodeTier,
  type ServiceName,
  type VlanSpec,
  type TopologyInterface,
  type TopologyRoute,
  type WireguardPeer,
  type TopologyService,
  type TopologyUser,
  type TopologyFirewall,
  type TopologyNode,
  type TopologyConnection,
  type TopologyDefaults,
} from './schema.js';

/** A whole topology as one JSON/YAML document. */
export interface TopologySnapshot {
  name: string;
  domain: string;
  defaults: TopologyDefaults;
  nodes: TopologyNode[];
  connections?: TopologyConnection[];
}

/**
 * The topology as the generator holds it: nodes by name, connections in canonical order (endpoints sorted
 * within and across connections), services as objects. Treat as immutable; events return a new state.
 */
export interface TopologyState {
  readonly name: string | undefined;
  readonly domain: string | undefined;
  readonly defaults: TopologyDefaults | undefined;
  readonly nodes: ReadonlyMap<string, NormalizedNode>;
  readonly connections: readonly TopologyConnection[];
}

/** A node after normalisation: services are objects and optional lists are present. */
export interface NormalizedNode extends Omit<TopologyNode, 'services' | 'routes' | 'users'> {
  routes: TopologyRoute[];
  services: TopologyService[];
  users: TopologyUser[];
}

/** An event envelope: `{ type, data }` plus any other fields (CloudEvents `id`, `source`, `time`, ...). */
export interface TopologyEvent {
  type: string;
  data: unknown;
  [extra: string]: unknown;
}
