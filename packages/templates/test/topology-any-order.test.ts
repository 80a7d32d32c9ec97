import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { emptyTopology, readTopologyInput, renderTopology, replayTopologyEvents, stagedTopology, stageTopologyEvent, topologyFromEventLog, topologyIssues } from '../src/index.js';
import { evalNixIn, nixParseFile, writeTemp } from './nix.js';

const fixture = (name: string) => fileURLToPath(new URL(`../../../fixtures/topology/${name}`, import.meta.url));
const LOG = 'office-out-of-order.ndjson';
const logLines = () => readFileSync(fixture(LOG), 'utf8').trimEnd().split('\n');

function refusal(text: string): string {
  try {
    topologyFromEventLog(LOG, text);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected the log to be refused');
}

describe('topology event logs in any causal order', () => {
  it('a log whose parts arrive out of order (routes before interfaces, links before nodes, header last) equals its snapshot byte for byte', () => {
    const snapshot = readTopologyInput('office.yaml', readFileSync(fixture('office.yaml'), 'utf8'));
    const log = readTopologyInput(LOG, readFileSync(fixture(LOG), 'utf8'));
    expect(log.kind).toBe('events');
    const files = renderTopology(log.state);
    expect(files).toEqual(renderTopology(snapshot.state));
    const dir = writeTemp(files);
    try {
      for (const file of files) nixParseFile(path.join(dir, file.path));
      const db1 = evalNixIn(dir, '(import ./hosts/db1/default.nix { config = {}; lib = {}; pkgs = {}; }).networking.interfaces.eth0.ipv4.routes');
      expect(db1).toEqual([{ address: '10.99.0.0', prefixLength: 16, via: '10.20.0.1' }]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a problem left at the end names the field and the line of the event that introduced it', () => {
    // Without db1's InterfaceAdded (line 10), its route and its link name a missing eth0.
    const lines = logLines().filter((_, i) => i !== 9);
    expect(refusal(lines.join('\n')).split('\n')).toEqual([
      `${LOG}:2: nodes.db1.routes[0].interface: unknown interface "eth0" on node db1 (since this NodeAdded; still so after the last event)`,
      `${LOG}:4: connections["db1:eth0 <-> gw:lan0"].from: node db1 has no interface "eth0" (since this ConnectionAdded; still so after the last event)`,
    ]);
    // A later event that breaks a reference is the one named: removing gw's lan0 at the end.
    const broken = [...logLines(), '{"type":"InterfaceRemoved","data":{"node":"db1","name":"eth0"}}'];
    expect(refusal(broken.join('\n'))).toContain(`${LOG}:15: nodes.db1.routes[0].interface: unknown interface "eth0" on node db1 (since this InterfaceRemoved`);
    // No TopologyCreated at all: said once for the whole log.
    expect(refusal(logLines().filter((_, i) => i !== 11).join('\n'))).toContain(`${LOG}: after the last event: name: missing`);
  });

  it('still refuses at once an event that is invalid in itself', () => {
    const badCidr = [...logLines()];
    badCidr.splice(2, 0, '{"type":"InterfaceAdded","data":{"node":"db1","interface":{"name":"eth1","addresses":["10.20.0.300/24"]}}}');
    expect(refusal(badCidr.join('\n'))).toMatch(new RegExp(`^${LOG}:3: InterfaceAdded data\\.interface\\.addresses\\[0\\]: expected an IPv4 or IPv6 address`));
    const badName = [...logLines()];
    badName.splice(0, 0, '{"type":"NodeAdded","data":{"node":{"name":"db_1","role":"server","interfaces":[]}}}');
    expect(refusal(badName.join('\n'))).toMatch(new RegExp(`^${LOG}:1: NodeAdded data\\.node\\.name: expected a host name`));
  });

  it('names the hosts a consistency problem holds back', () => {
    const events = logLines().slice(0, 4).map((line) => JSON.parse(line) as unknown);
    const state = replayTopologyEvents(events);
    const issues = topologyIssues(state, false);
    expect(issues.map((issue) => [issue.path, issue.hosts])).toEqual([
      ['nodes.db1.routes[0].interface', ['db1']],
      ['connections["db1:eth0 <-> gw:lan0"].from', ['db1']],
      ['connections["db1:eth0 <-> gw:lan0"].to', ['gw']],
      ['connections["gw:lan0 <-> laptop:wlan0"].from', ['gw']],
      ['connections["gw:lan0 <-> laptop:wlan0"].to', []],
    ]);
  });

  it('staged (as serve applies them): inconsistent hosts are pending and keep their last rendered version until completed', () => {
    const events = logLines().map((line) => JSON.parse(line) as unknown);
    let staged = stagedTopology(emptyTopology());
    const pendingAfter: string[][] = [];
    for (const event of events) {
      const next = stageTopologyEvent(staged, event);
      pendingAfter.push([...next.pending.keys()].sort());
      expect(topologyIssues(next.rendered, false)).toEqual([]);
      staged = next;
    }
    // db1's route waits for eth0 (line 2) until line 10; gw waits for lan0 (line 1 links it) from line 3 until line 7.
    expect(pendingAfter[0]).toEqual([]);
    expect(pendingAfter[1]).toEqual(['db1']);
    expect(pendingAfter[2]).toEqual(['db1', 'gw']);
    expect(pendingAfter[6]).toEqual(['db1']);
    expect(pendingAfter[9]).toEqual([]);
    expect(pendingAfter.at(-1)).toEqual([]);
    const snapshot = readTopologyInput('office.yaml', readFileSync(fixture('office.yaml'), 'utf8')).state;
    expect(renderTopology(staged.rendered)).toEqual(renderTopology(snapshot));

    // Breaking a rendered host: its old version stays rendered and its file is not touched; repairing it renders it.
    const broken = stageTopologyEvent(staged, { type: 'InterfaceRemoved', data: { node: 'db1', name: 'eth0' } });
    expect([...broken.pending.keys()]).toEqual(['db1']);
    expect(broken.rendered.nodes.get('db1')).toBe(staged.rendered.nodes.get('db1'));
    expect(broken.affectedHosts).not.toContain('db1');
    const repaired = stageTopologyEvent(broken, { type: 'InterfaceAdded', data: { node: 'db1', interface: { name: 'eth0', addresses: ['10.20.0.200/24'] } } });
    expect(repaired.pending.size).toBe(0);
    expect(repaired.affectedHosts).toContain('db1');
    // Its new address lies in gw's dynamic range, so gw's pool splits around it.
    expect(repaired.affectedHosts).toContain('gw');
    // Invalid in itself: refused at once.
    expect(() => stageTopologyEvent(staged, { type: 'InterfaceAdded', data: { node: 'db1', interface: { name: 'eth9', addresses: ['10.0.0.1/33'] } } })).toThrow(/data\.interface\.addresses\[0\]/);
  });
});
