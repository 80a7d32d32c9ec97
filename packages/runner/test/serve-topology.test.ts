import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { connect } from '@nats-io/transport-node';
import { Svcm } from '@nats-io/services';
import { renderTopology, topologyFromSnapshot, type TopologySnapshot } from '@nixforge/templates';
import { readStream, useNatsServer } from './helpers/nats-server.js';
import { liveIO, waitFor } from './helpers/live-io.js';
import { appliedSequence, generatedFiles } from './helpers/serve-output.js';
import { main } from '../src/cli.js';
import { createEvent, type NixforgeEvent } from '../src/events/envelope.js';
import { openEventSink } from '../src/events/sink.js';

const run = promisify(execFile);

const defaults: TopologySnapshot['defaults'] = { system: 'x86_64-linux', stateVersion: '24.11', timeZone: 'UTC' };

/** The topology the event sequence below must end in, written independently of the events. */
const expected: TopologySnapshot = {
  name: 'lab',
  domain: 'lab.example',
  defaults,
  nodes: [
    {
      name: 'gw',
      role: 'gateway',
      interfaces: [
        { name: 'wan0', dhcp: true },
        { name: 'lan0', addresses: ['10.0.0.1/24'] },
      ],
      services: ['dhcp', 'dns'],
    },
    { name: 'db', role: 'server', interfaces: [{ name: 'eth0', addresses: ['10.0.0.10/24'] }], services: ['postgresql'] },
    {
      name: 'web',
      role: 'vm',
      interfaces: [
        { name: 'eth0', addresses: ['10.0.0.11/24'] },
        { name: 'eth1', addresses: ['10.0.1.11/24'] },
      ],
      routes: [{ destination: 'default', via: '10.0.0.1', interface: 'eth0' }],
      services: ['nginx'],
    },
  ],
  connections: [
    { from: 'gw:lan0', to: 'db:eth0' },
    { from: 'gw:lan0', to: 'web:eth0' },
  ],
};

type TopologyEventSpec = [type: string, data: Record<string, unknown>];

const firstHalf: TopologyEventSpec[] = [
  ['TopologyCreated', { name: 'lab', domain: 'lab.example', defaults }],
  ['NodeAdded', { node: { name: 'gw', role: 'gateway', interfaces: [{ name: 'wan0', dhcp: true }, { name: 'lan0', addresses: ['10.0.0.1/24'] }] } }],
  ['NodeAdded', { node: { name: 'db', role: 'server', interfaces: [{ name: 'eth0', addresses: ['10.0.0.10/24'] }] } }],
  ['NodeAdded', { node: { name: 'tmp', role: 'iot', interfaces: [{ name: 'wlan0', dhcp: true }] } }],
  ['NodeRemoved', { name: 'ghost' }], // invalid: rejected, the service goes on
  ['ConnectionAdded', { from: 'gw:lan0', to: 'db:eth0' }],
  ['ServiceEnabled', { node: 'gw', service: 'dhcp' }],
];

const secondHalf: TopologyEventSpec[] = [
  ['ServiceEnabled', { node: 'gw', service: 'dns' }],
  ['NodeAdded', { node: { name: 'web', role: 'vm', interfaces: [{ name: 'eth0', addresses: ['10.0.0.11/24'] }] } }],
  ['ConnectionAdded', { from: 'web:eth0', to: 'gw:lan0' }],
  ['InterfaceAdded', { node: 'web', interface: { name: 'eth1', addresses: ['10.0.1.11/24'] } }],
  ['RouteAdded', { node: 'web', route: { destination: 'default', via: '10.0.0.1', interface: 'eth0' } }],
  ['ServiceEnabled', { node: 'db', service: 'postgresql' }],
  ['NodeRemoved', { name: 'tmp' }],
  ['ServiceEnabled', { node: 'web', service: 'nginx' }],
];

async function publishTopology(url: string, specs: TopologyEventSpec[]): Promise<NixforgeEvent[]> {
  const sink = await openEventSink({ nats: url, env: {}, cwd: tmpdir() });
  const events: NixforgeEvent[] = [];
  for (const [type, data] of specs) {
    const event = createEvent({ type: `nixforge.topology.${type}`, subject: 'lab', data });
    events.push(event);
    await sink.publish(event);
  }
  const summary = await sink.close();
  expect(summary.published).toBe(specs.length);
  return events;
}

const suite = useNatsServer();

describe('nixforge serve', () => {
  it('applies topology events, survives its restart and ends with the snapshot generator output', async () => {
    const out = join(suite.work, 'out');
    const firstRun = new AbortController();
    const firstIO = liveIO(suite.work, { signal: firstRun.signal });
    const first = main(['serve', '--nats', suite.server.url, '--out', 'out'], firstIO);
    await waitFor(() => firstIO.err().includes('serve: consuming'), 'the service to start');

    const firstEvents = await publishTopology(suite.server.url, firstHalf);
    await waitFor(async () => (await appliedSequence(out)) === firstHalf.length, 'the first half to be applied');
    firstRun.abort();
    expect(await first).toBe(0);
    expect(firstIO.err()).toMatch(/serve: rejected stream message #5 on nixforge\.topology\.NodeRemoved\.lab \(event [0-9a-f-]+\): NodeRemoved data\.name: unknown node "ghost"/);
    expect(firstIO.err()).toContain('serve: stopped after 6 applied and 1 rejected event(s)');
    expect([...(await generatedFiles(out)).keys()].sort()).toEqual(['flake.nix', 'hosts/db/default.nix', 'hosts/gw/default.nix', 'hosts/tmp/default.nix']);

    // Published while the service is down; the durable consumer keeps them.
    const secondEvents = await publishTopology(suite.server.url, secondHalf);
    const secondRun = new AbortController();
    const secondIO = liveIO(suite.work, { signal: secondRun.signal });
    const second = main(['serve', '--nats', suite.server.url, '--out', 'out'], secondIO);
    const total = firstHalf.length + secondHalf.length;
    await waitFor(async () => (await appliedSequence(out)) === total, 'the second half to be applied');

    const connection = await connect({ servers: suite.server.url });
    try {
      const client = new Svcm(connection as never).client();
      const pings = [];
      for await (const ping of await client.ping('nixforge-serve')) pings.push(ping);
      expect(pings).toHaveLength(1);
      const infos = [];
      for await (const info of await client.info('nixforge-serve')) infos.push(info);
      expect(infos[0]!.endpoints.map((e) => e.subject)).toEqual(['nixforge.serve.status']);
      const stats = [];
      for await (const stat of await client.stats('nixforge-serve')) stats.push(stat);
      expect(stats[0]!.endpoints?.[0]?.data).toMatchObject({ applied: secondHalf.length, rejected: 0, appliedSequence: total, hosts: 3 });
      const status = (await connection.request('nixforge.serve.status', '')).json<{ appliedSequence: number }>();
      expect(status.appliedSequence).toBe(total);
    } finally {
      await connection.close();
    }
    secondRun.abort();
    expect(await second).toBe(0);
    // Nothing the first run acknowledged was applied again.
    expect(secondIO.err().match(/serve: applied /g)).toHaveLength(secondHalf.length);
    expect(secondIO.err()).not.toContain('serve: rejected');

    const want = renderTopology(topologyFromSnapshot(expected));
    const got = await generatedFiles(out);
    expect([...got.keys()].sort()).toEqual(want.map((file) => file.path));
    for (const file of want) expect(got.get(file.path), file.path).toBe(file.content);
    for (const path of got.keys()) await run('nix-instantiate', ['--parse', join(out, path)]);

    // One generate.config per written file, each caused by the topology event that changed it.
    const topologyIds = new Map([...firstEvents, ...secondEvents].map((event) => [event.id, event]));
    const configs = (await readStream(suite.server.url, 'NIXFORGE_GENERATE')).map((m) => m.body as NixforgeEvent<{ path: string; host?: string }>);
    expect(configs.length).toBeGreaterThan(0);
    for (const config of configs) {
      const cause = topologyIds.get(config.causationid);
      expect(cause, `cause of ${config.data.path}`).toBeDefined();
      expect(config.correlationid).toBe(cause!.correlationid);
      expect(config.subject).toBe(`lab/${config.data.path}`);
    }
    const nginxEvent = secondEvents[secondEvents.length - 1]!;
    expect(configs.filter((c) => c.causationid === nginxEvent.id).map((c) => c.data.path)).toEqual(['hosts/web/default.nix']);
    const removal = secondEvents[6]!;
    expect(configs.filter((c) => c.causationid === removal.id).map((c) => c.data.path)).toEqual(['flake.nix']);
  });

  it('exits 2 with a clear message for missing flags and an unreachable server', async () => {
    const controller = new AbortController();
    const noOut = liveIO(suite.work, { signal: controller.signal });
    expect(await main(['serve', '--nats', suite.server.url], noOut)).toBe(2);
    expect(noOut.err()).toContain('--out DIR is required');
    const down = liveIO(suite.work, { signal: controller.signal });
    expect(await main(['serve', '--nats', 'nats://127.0.0.1:1', '--out', 'x'], down)).toBe(2);
    expect(down.err()).toContain('cannot reach the NATS server at nats://127.0.0.1:1');
  });
});
