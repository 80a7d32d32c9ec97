import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';
import type { TopologySnapshot } from '../src/index.js';

/** The home lab fixture: every role and service and a NATS hierarchy. A fresh copy each call. */
export function homelab(): TopologySnapshot {
  return YAML.parse(readFileSync(fileURLToPath(new URL('../../../fixtures/topology/homelab.yaml', import.meta.url)), 'utf8')) as TopologySnapshot;
}
