// The topology service (`nixforge serve`): consumes topology events and writes the generated Nix. Kept out of
// events/index.ts so that loading the events folder does not load the NATS client.
export { DEFAULT_DURABLE, STATUS_SUBJECT, TopologyService } from './topology-service.js';
export { SERVE_STATE_FILE } from './state-file.js';
