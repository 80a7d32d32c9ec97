import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import {
  applyTopologyEvent,
  buildHostConfigs,
  renderTopology,
  topologyFromSnapshot,
  writeGeneratedFiles,
  type TopologyNode,
  type TopologySnapshot,
  type TopologyState,
} from '@nixforge/templates';
import type { Suite, SuiteResult } from '../suite.js';
import { measure, round } from '../measure.js';

const NODES_PER_SITE = 50;

/**
 * A synthetic topology of `count` nodes: sites of 50 nodes on their own /24, each with a router (site 0 has the
 * gateway with a WAN uplink, DHCP and DNS), servers with nginx/postgresql/prometheus, workstations with users, and
 * a NATS hierarchy (cluster tier in the first three sites, super-cluster links between them, leaf nodes elsewhere).
 */
export function syntheticTopology(count: number): TopologySnapshot {
  const nodes: TopologyNode[] = [];
  const connections: TopologySnapshot['connections'] = [];
  const sites = Math.ceil(count / NODES_PER_SITE);
  for (let site = 0; site < sites; site++) {
    const routerName = site === 0 ? 'gw' : `r${site}`;
    const subnet = `10.${Math.floor(site / 250)}.${site % 250}`;
    nodes.push({
      name: routerName,
      role: site === 0 ? 'gateway' : 'router',
      interfaces: [
        ...(site === 0 ? [{ name: 'wan0', dhcp: true }] : []),
        { name: 'lan0', addresses: [`${subnet}.1/24`] },
        { name: 'core0', addresses: [`172.16.${Math.floor(site / 250)}.${(site % 250) + 1}/16`] },
      ],
      ...(site === 0 ? { services: ['dhcp' as const, 'dns' as const] } : { routes: [{ destination: 'default', via: '172.16.0.1', interface: 'core0' }] }),
    });
    if (site > 0) connections.push({ from: `${routerName}:core0`, to: 'gw:core0' });
    for (let i = 1; i < NODES_PER_SITE && nodes.length < count; i++) {
      const name = `s${site}n${i}`;
      const node: TopologyNode = { name, role: i % 5 === 0 ? 'workstation' : i % 7 === 0 ? 'vm' : 'server', interfaces: [{ name: 'eth0', addresses: [`${subnet}.${i + 10}/24`] }] };
      if (i % 3 === 0) node.services = ['nginx', 'prometheus'];
      if (i % 11 === 0) node.services = ['postgresql'];
      if (i % 5 === 0) node.users = [{ name: 'dev', description: `Developer at site ${site}`, groups: ['wheel'], sshKeys: ['ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBench dev@laptop'] }];
      if (i <= 3 && site < 3) {
        node.tier = i === 1 ? 'super-cluster' : 'cluster';
        node.services = ['nats'];
      } else if (i === 4) {
        node.tier = 'leaf';
        node.services = ['nats'];
      }
      nodes.push(node);
      connections.push({ from: `${name}:eth0`, to: `${routerName}:lan0` });
    }
    if (site < 3) {
      connections.push({ from: `s${site}n1:eth0`, to: `s${site}n2:eth0` }, { from: `s${site}n2:eth0`, to: `s${site}n3:eth0` });
      if (site > 0) connections.push({ from: `s${site}n1:eth0`, to: `s${site - 1}n1:eth0` });
    }
    connections.push({ from: `s${site}n4:eth0`, to: `s${site % 3}n2:eth0` });
  }
  return { name: 'bench', domain: 'bench.example', defaults: { system: 'x86_64-linux', stateVersion: '24.11', timeZone: 'UTC' }, nodes, connections };
}

/** Every host module rendered as a plain JSON dump of the same option data: the floor templating is measured against. */
function jsonBaseline(state: TopologyState): number {
  let bytes = 0;
  for (const config of buildHostConfigs(state).values()) bytes += JSON.stringify(config, null, 2).length;
  return bytes;
}

/**
 * Generation of a 1,000-node topology: render (validation, templates, escaping, our parser on every file) against
 * a JSON dump of the same host data, the same render at 100 nodes (scaling must stay linear), a first write and an
 * unchanged rerun to disk, and one incremental event.
 */
const generateSuite: Suite = {
  name: 'generate',
  description: 'NixOS generation for a 1,000-node topology (200 with --quick) vs a JSON dump of the same data and vs a tenth of the nodes',
  async run({ quick, workDir }): Promise<SuiteResult> {
    // Quick runs (smoke tests) use a fifth of the nodes; the ratios keep their meaning.
    const size = quick ? 200 : 1000;
    const big = topologyFromSnapshot(syntheticTopology(size));
    const small = topologyFromSnapshot(syntheticTopology(size / 10));
    const event = { type: 'InterfaceUpdated', data: { node: 's1n9', interface: { name: 'eth0', addresses: ['10.0.1.200/24'] } } };
    let fileCount = 0;
    let bytes = 0;
    const means = await measure(
      [
        ['json-baseline', () => jsonBaseline(big)],
        ['render-tenth', () => renderTopology(small)],
        [
          'render',
          () => {
            const files = renderTopology(big);
            fileCount = files.length;
            bytes = files.reduce((sum, f) => sum + f.content.length, 0);
          },
        ],
        ['event+render-affected', () => {
          const { state, affectedHosts } = applyTopologyEvent(big, event);
          return renderTopology(state, { only: affectedHosts });
        }],
      ],
      { quick, samples: 3 },
    );
    const files = renderTopology(big);
    await mkdir(workDir, { recursive: true });
    const outDir = await mkdtemp(join(workDir, 'generate-'));
    let firstWriteMs = 0;
    let rerunMs = 0;
    try {
      let started = performance.now();
      const first = await writeGeneratedFiles(outDir, files);
      firstWriteMs = performance.now() - started;
      started = performance.now();
      const rerun = await writeGeneratedFiles(outDir, files);
      rerunMs = performance.now() - started;
      if (first.written.length !== files.length || rerun.written.length !== 0) throw new Error('generate bench: write/rerun counts are wrong');
    } finally {
      await rm(outDir, { recursive: true, force: true });
    }
    const renderFull = means.get('render')!;
    const renderTenth = means.get('render-tenth')!;
    const json = means.get('json-baseline')!;
    const incremental = means.get('event+render-affected')!;
    return {
      name: 'generate',
      rows: [
        { task: 'json dump of host data (baseline)', nodes: size, ms: round(json) },
        { task: 'render (templates, escaping, parse check)', nodes: size / 10, ms: round(renderTenth) },
        { task: 'render (templates, escaping, parse check)', nodes: size, ms: round(renderFull), files: fileCount, MiB: round(bytes / 1048576, 2) },
        { task: 'write all files (first run)', nodes: size, ms: round(firstWriteMs) },
        { task: 'rerun, nothing changed', nodes: size, ms: round(rerunMs) },
        { task: 'one event: apply + render affected hosts', nodes: size, ms: round(incremental) },
      ],
      ratios: {
        'render/json-baseline': round(renderFull / json),
        'render/render-tenth': round(renderFull / renderTenth),
        'event/render': round(incremental / renderFull, 3),
      },
      targets: {
        // Ten times the nodes should cost about ten times the time: well above means something grew quadratically.
        'render/render-tenth': { max: 15 },
        // An event touches a few hosts; it must cost a small fraction of a full render.
        'event/render': { max: 0.2 },
      },
      notes: [`render of ${size} nodes took ${round(renderFull)} ms (${fileCount} files); write ${round(firstWriteMs)} ms, unchanged rerun ${round(rerunMs)} ms`],
    };
  },
};

export default generateSuite;
