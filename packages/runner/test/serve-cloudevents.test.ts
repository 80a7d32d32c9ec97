import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { connect } from '@nats-io/transport-node';
import { jetstream } from '@nats-io/jetstream';
import { readTopologyInput, renderTopology } from '@nixforge/templates';
import { readStream, useNatsServer } from './helpers/nats-server.js';
import { liveIO, waitFor } from './helpers/live-io.js';
import { appliedSequence, generatedFiles } from './helpers/serve-output.js';
import { main } from '../src/cli.js';
import { SERVE_STATE_FILE } from '../src/events/serve/state-file.js';

const run = promisify(execFile);
const fixture = (name: string) => fileURLToPath(new URL(`../../../fixtures/topology/${name}`, import.meta.url));

/** The office log (parts in any order, header last) as another system would publish it: plain CloudEvents 1.0. */
async function plainCloudEvents(): Promise<Array<{ subject: string; body: Record<string, unknown> }>> {
  const lines = (await readFile(fixture('office-out-of-order.ndjson'), 'utf8')).trim().split('\n');
  return lines.map((line, i) => {
    const { type, data } = JSON.parse(line) as { type: string; data: unknown };
    const body: Record<string, unknown> = {
      specversion: '1.0',
      id: `inventory-${i + 1}`,
      source: 'urn:example:inventory',
      type: `nixforge.topology.${type}`,
      subject: 'office',
      time: `2026-12-01T10:00:${String(i).padStart(2, '0')}Z`,
      datacontenttype: 'application/json',
      data,
    };
    // Producers with their own type names: the topology type comes from the NATS subject.
    if (i === 4) body.type = 'com.example.inventory.node.added';
    // Binary-safe payloads: JSON in data_base64.
    if (i === 5) {
      delete body.data;
      body.data_base64 = Buffer.from(JSON.stringify(data)).toString('base64');
    }
    return { subject: `nixforge.topology.${type}.office`, body };
  });
}

/** Publishes with the bare JetStream client: no nixforge headers, no correlation or causation attributes. */
async function publishRaw(url: string, messages: Array<{ subject: string; body: Record<string, unknown> }>): Promise<void> {
  const connection = await connect({ servers: url });
  try {
    const js = jetstream(connection);
    for (const { subject, body } of messages) await js.publish(subject, JSON.stringify(body), { msgID: body.id as string });
  } finally {
    await connection.close();
  }
}

const suite = useNatsServer();

describe('nixforge serve with events from another system', () => {
  it('serves plain CloudEvents in any causal order: hosts wait pending for their missing parts, survive a restart, and end equal to the snapshot', async () => {
    const out = join(suite.work, 'out');
    const messages = await plainCloudEvents();
    const firstRun = new AbortController();
    const firstIO = liveIO(suite.work, { signal: firstRun.signal });
    const first = main(['serve', '--nats', suite.server.url, '--out', 'out'], firstIO);
    await waitFor(() => firstIO.err().includes('serve: consuming'), 'the service to start');

    // Up to the header: db1 waits for eth0 (its route and link name it), gw got its lan0 at #7.
    await publishRaw(suite.server.url, messages.slice(0, 12));
    await waitFor(async () => (await appliedSequence(out)) === 12, 'the first twelve events to be applied');
    const status = await (async () => {
      const connection = await connect({ servers: suite.server.url });
      try {
        return (await connection.request('nixforge.serve.status', '')).json<{ pendingHosts: string[]; rejected: number }>();
      } finally {
        await connection.close();
      }
    })();
    expect(status).toMatchObject({ rejected: 0, pendingHosts: [] });
    firstRun.abort();
    expect(await first).toBe(0);
    const err = firstIO.err();
    expect(err).not.toContain('serve: rejected');
    expect(err).toContain('serve: host db1 pending after NodeAdded #2 (its files are left as they were): nodes.db1.routes[0].interface: unknown interface "eth0" on node db1');
    expect(err).toContain('serve: host gw pending after NodeAdded #3');
    expect(err).toContain('serve: host gw is complete again after InterfaceAdded #7');
    expect(err).toContain('serve: host db1 is complete again after InterfaceAdded #10');

    // Now a host goes pending while the service is down and stays so across the restart: phone's link names
    // gw:lan1, which does not exist yet.
    const extra = [
      { subject: 'nixforge.topology.ConnectionAdded.office', body: { specversion: '1.0', id: 'inventory-x1', source: 'urn:example:inventory', type: 'nixforge.topology.ConnectionAdded', data: { from: 'gw:lan1', to: 'printer:eth0' } } },
    ];
    const secondRun = new AbortController();
    const secondIO = liveIO(suite.work, { signal: secondRun.signal });
    const second = main(['serve', '--nats', suite.server.url, '--out', 'out'], secondIO);
    await waitFor(() => secondIO.err().includes('serve: consuming'), 'the second run to start');
    await publishRaw(suite.server.url, [...messages.slice(12), ...extra]);
    await waitFor(async () => (await appliedSequence(out)) === messages.length + 1, 'every event to be applied');
    const saved = JSON.parse(await readFile(join(out, SERVE_STATE_FILE), 'utf8')) as { pendingHosts?: Record<string, string[]> };
    expect(Object.keys(saved.pendingHosts ?? {})).toEqual(['gw']);
    const gwBefore = (await generatedFiles(out)).get('hosts/gw/default.nix');
    // The completing event: gw gets lan1.
    await publishRaw(suite.server.url, [
      { subject: 'nixforge.topology.InterfaceAdded.office', body: { specversion: '1.0', id: 'inventory-x2', source: 'urn:example:inventory', type: 'nixforge.topology.InterfaceAdded', data: { node: 'gw', interface: { name: 'lan1', addresses: ['10.30.0.1/24'] } } } },
      { subject: 'nixforge.topology.ConnectionRemoved.office', body: { specversion: '1.0', id: 'inventory-x3', source: 'urn:example:inventory', type: 'nixforge.topology.ConnectionRemoved', data: { from: 'gw:lan1', to: 'printer:eth0' } } },
      { subject: 'nixforge.topology.InterfaceRemoved.office', body: { specversion: '1.0', id: 'inventory-x4', source: 'urn:example:inventory', type: 'nixforge.topology.InterfaceRemoved', data: { node: 'gw', name: 'lan1' } } },
    ]);
    await waitFor(async () => (await appliedSequence(out)) === messages.length + 4, 'the completing events to be applied');
    secondRun.abort();
    expect(await second).toBe(0);
    expect(secondIO.err()).toContain(`serve: host gw pending after ConnectionAdded #${messages.length + 1}`);
    expect(secondIO.err()).toContain(`serve: host gw is complete again after InterfaceAdded #${messages.length + 2}`);
    expect(secondIO.err()).not.toContain('serve: rejected');
    expect(gwBefore).toBeDefined();

    // Same bytes as the snapshot, and Nix parses every file.
    const want = renderTopology(readTopologyInput('office.yaml', await readFile(fixture('office.yaml'), 'utf8')).state);
    const got = await generatedFiles(out);
    expect([...got.keys()].sort()).toEqual(want.map((file) => file.path));
    for (const file of want) expect(got.get(file.path), file.path).toBe(file.content);
    for (const path of got.keys()) await run('nix-instantiate', ['--parse', join(out, path)]);

    // generate.config and generate.pending events are caused by the consumed event and share its correlation,
    // which defaults to its own id.
    const generated = (await readStream(suite.server.url, 'NIXFORGE_GENERATE')).map((m) => ({ subject: m.subject, body: m.body as Record<string, unknown> & { data: Record<string, unknown> } }));
    const consumedIds = new Set([...messages, ...extra].map((m) => m.body.id as string).concat(['inventory-x2', 'inventory-x3', 'inventory-x4']));
    for (const { body } of generated) {
      expect(consumedIds.has(body.causationid as string), `cause of ${body.type} ${body.subject as string}`).toBe(true);
      expect(body.correlationid).toBe(body.causationid);
    }
    const pending = generated.filter((g) => g.body.type === 'nixforge.generate.pending');
    expect(pending.map((p) => [p.subject, p.body.causationid])).toEqual([
      ['nixforge.generate.pending.office', 'inventory-2'],
      ['nixforge.generate.pending.office', 'inventory-3'],
      ['nixforge.generate.pending.office', 'inventory-4'],
      ['nixforge.generate.pending.office', 'inventory-4'],
      ['nixforge.generate.pending.office', 'inventory-x1'],
    ]);
    expect(pending[0]!.body.data).toMatchObject({ project: 'office', host: 'db1', path: 'hosts/db1/default.nix', problems: ['nodes.db1.routes[0].interface: unknown interface "eth0" on node db1'] });
    const db1Configs = generated.filter((g) => g.body.type === 'nixforge.generate.config' && g.body.data.host === 'db1');
    expect(db1Configs.map((c) => c.body.causationid)).toEqual(['inventory-12']);
  });

  it('refuses at once what CloudEvents itself requires, and events invalid in themselves', async () => {
    const out = join(suite.work, 'out-refused');
    const controller = new AbortController();
    const io = liveIO(suite.work, { signal: controller.signal });
    const served = main(['serve', '--nats', suite.server.url, '--out', 'out-refused', '--durable', 'refused'], io);
    await waitFor(() => io.err().includes('serve: consuming'), 'the service to start');
    const before = (await readStream(suite.server.url, 'NIXFORGE_TOPOLOGY')).length;
    const base = { specversion: '1.0', source: 'urn:x', type: 'nixforge.topology.NodeAdded' };
    await publishRaw(suite.server.url, [
      { subject: 'nixforge.topology.NodeAdded.other', body: { ...base, id: 'no-source', source: '', data: { node: { name: 'a', role: 'vm', interfaces: [] } } } },
      { subject: 'nixforge.topology.NodeAdded.other', body: { ...base, id: 'bad-time', time: 'yesterday', data: { node: { name: 'a', role: 'vm', interfaces: [] } } } },
      { subject: 'nixforge.topology.NodeAdded.other', body: { ...base, id: 'bad-cidr', data: { node: { name: 'a', role: 'vm', interfaces: [{ name: 'eth0', addresses: ['10.0.0.1/99'] }] } } } },
      { subject: 'nixforge.topology.NodeAdded.other', body: { ...base, id: 'bad-name', data: { node: { name: 'a_b', role: 'vm', interfaces: [] } } } },
    ]);
    await waitFor(async () => (await appliedSequence(out)) === before + 4, 'the four events to be handled');
    controller.abort();
    expect(await served).toBe(0);
    const err = io.err();
    expect(err).toContain(`(event no-source): source: expected a non-empty string (CloudEvents requires it), got ""`);
    expect(err).toContain(`(event bad-time): time: expected an RFC 3339 timestamp, got "yesterday"`);
    expect(err).toContain('(event bad-cidr): NodeAdded data.node.interfaces[0].addresses[0]: expected an IPv4 or IPv6 address');
    expect(err).toContain('(event bad-name): NodeAdded data.node.name: expected a host name');
    expect(err).toContain(`serve: stopped after ${before} applied and 4 rejected event(s)`);
  });

  it('events replay publishes plain CloudEvents, defaulting the correlation and causation to the event id', async () => {
    const plain = { specversion: '1.0', id: 'replayed-1', source: 'urn:example:inventory', type: 'nixforge.topology.TopologyCreated', subject: 'replayed', data: { name: 'replayed' } };
    const minimal = { specversion: '1.0', id: 'replayed-2', source: 'urn:example:inventory', type: 'nixforge.topology.NodeRemoved', subject: 'replayed/x', data: { name: 'x' } };
    const foreign = { specversion: '1.0', id: 'replayed-3', source: 'urn:example:inventory', type: 'com.example.thing', data: {} };
    const noSpec = { id: 'replayed-4', source: 'urn:x', type: 'nixforge.topology.NodeRemoved', data: {} };
    const file = join(suite.work, 'plain.ndjson');
    await writeFile(file, [plain, minimal, foreign, noSpec].map((e) => JSON.stringify(e)).join('\n') + '\n');
    const io = liveIO(suite.work);
    expect(await main(['events', 'replay', 'plain.ndjson', '--nats', suite.server.url], io)).toBe(2);
    expect(io.err()).toContain("plain.ndjson:3: type 'com.example.thing' is not a nixforge.* type");
    expect(io.err()).toContain(`plain.ndjson:4: specversion: missing (expected "1.0" (CloudEvents 1.0))`);
    const stored = (await readStream(suite.server.url, 'NIXFORGE_TOPOLOGY')).filter((m) => m.subject.endsWith('.replayed'));
    expect(stored.map((m) => [m.subject, m.headers['Nixforge-Correlation-Id'], m.headers['Nixforge-Causation-Id'], m.headers['Nats-Msg-Id']])).toEqual([
      ['nixforge.topology.TopologyCreated.replayed', 'replayed-1', 'replayed-1', 'replayed-1'],
      ['nixforge.topology.NodeRemoved.replayed', 'replayed-2', 'replayed-2', 'replayed-2'],
    ]);
    expect(stored[0]!.body).toMatchObject(plain);
  });
});
