import { builtinTemplate } from '../handlebars-env.js';
import { assertParses, type GeneratedFile } from '../generated-file.js';
import { collapseSingleKeyPath } from '../nix/value.js';
import { buildHostConfig, type HostConfig } from './host-config.js';
import { planNats } from './nats-plan.js';
import { buildTopologyIndex, type TopologyIndex } from './topology-index.js';
import { validateTopology } from './state.js';
import type { TopologyState } from './types.js';

export interface RenderTopologyOptions {
  /** Render only these hosts (plus flake.nix), e.g. those an event affected. */
  only?: string[];
}

/** The output path of a node's module, relative to the output directory. */
export function hostModulePath(name: string): string {
  return `hosts/${name}/default.nix`;
}

/** Derives every host's options (plain data); used for rendering and to find which hosts an event changed. */
export function buildHostConfigs(state: TopologyState, names?: Iterable<string>): Map<string, HostConfig> {
  return hostConfigsFromIndex(buildTopologyIndex(state), names);
}

/** `buildHostConfigs` over an index the caller already built. */
export function hostConfigsFromIndex(index: TopologyIndex, names?: Iterable<string>): Map<string, HostConfig> {
  const state = index.state;
  const nats = planNats(index);
  const configs = new Map<string, HostConfig>();
  const wanted = names ? [...names].filter((name) => state.nodes.has(name)) : index.nodes.map((n) => n.name);
  for (const name of wanted) configs.set(name, buildHostConfig(index, state.nodes.get(name)!, nats));
  return configs;
}

function renderHost(topology: string, config: HostConfig): string {
  const sections = config.sections.map((section) => {
    const { path, value } = collapseSingleKeyPath(section.path, section.value);
    return { title: section.title, path, value };
  });
  return builtinTemplate('topology/host.nix.hbs')({ ...config, topology, sections });
}

function renderFlake(state: TopologyState): string {
  const hosts = [...state.nodes.keys()].sort();
  return builtinTemplate('topology/flake.nix.hbs')({
    topology: state.name!,
    description: `NixOS systems of topology ${state.name}`,
    nixpkgsUrl: `github:NixOS/nixpkgs/nixos-${state.defaults!.release ?? state.defaults!.stateVersion}`,
    hosts,
  });
}

/**
 * Renders `flake.nix` and `hosts/<node>/default.nix` for every node (or only those in `options.only`).
 * Validates the state first and parses every file before returning it. Output is sorted by path.
 */
export function renderTopology(state: TopologyState, options: RenderTopologyOptions = {}): GeneratedFile[] {
  validateTopology(state);
  const configs = buildHostConfigs(state, options.only);
  const files: GeneratedFile[] = [{ path: 'flake.nix', content: renderFlake(state) }];
  for (const name of [...configs.keys()].sort()) files.push({ path: hostModulePath(name), content: renderHost(state.name!, configs.get(name)!) });
  return files.map(assertParses).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
