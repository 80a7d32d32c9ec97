import { describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { connect } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { readStream, useNatsServer } from './helpers/nats-server.js';
import { liveIO, waitFor } from './helpers/live-io.js';
import { main } from '../src/cli.js';
import type { NixforgeEvent } from '../src/events/envelope.js';
import type { ScanFindingData } from '../src/events/scan-events.js';
import { subjectToken } from '../src/events/subjects.js';

const suite = useNatsServer();

/** A tree of `files` modules; module i calls the impure `builtins.getEnv` (i % perFile) + 1 times. */
async function makeTree(prefix: string, files: number, perFile: number): Promise<string> {
  const root = await mkdtemp(join(suite.work, prefix));
  await mkdir(join(root, 'modules'));
  for (let i = 0; i < files; i++) {
    const lines = Array.from({ length: (i % perFile) + 1 }, (_, j) => `  v${j} = builtins.getEnv "VAR_${j}";`);
    await writeFile(join(root, 'modules', `m${String(i).padStart(4, '0')}.nix`), `{ lib, ... }:\n{\n${lines.join('\n')}\n}\n`);
  }
  return root;
}

interface JsonReport {
  files: Array<{ path: string; findings: Array<{ ruleId: string; line: number; column: number; message: string }> }>;
}

function reportKeys(report: JsonReport): string[] {
  return report.files.flatMap((file) => file.findings.map((f) => `${file.path}:${f.line}:${f.column}:${f.ruleId}`)).sort();
}

async function findingEvents(repository: string): Promise<NixforgeEvent<ScanFindingData>[]> {
  const stored = await readStream(suite.server.url, 'NIXFORGE_SCAN');
  return stored.filter((m) => m.subject === `nixforge.scan.finding.${subjectToken(repository)}`).map((m) => m.body as NixforgeEvent<ScanFindingData>);
}

const eventKey = (event: NixforgeEvent<ScanFindingData>) => `${event.data.path}:${event.data.line}:${event.data.column}:${event.data.ruleId}`;

describe('nixforge scan --nats', () => {
  it('publishes every finding of a real scan exactly once, matching the report', async () => {
    const root = await makeTree('small-', 40, 5);
    const io = liveIO(root);
    const code = await main(['scan', '.', '-f', 'json', '--rule', 'security/impure-builtin=warning', '--nats', suite.server.url, '--no-progress', '--threads', '2'], io);
    expect(io.err()).toMatch(/events: \d+ published, 0 duplicates, 0 failed -> nats:\/\//);
    expect(code).toBe(0);
    const report = JSON.parse(io.out()) as JsonReport;
    const expected = reportKeys(report);
    // Other rules may fire too; the impure getEnv calls are the ones this tree is made of.
    expect(expected.filter((key) => key.endsWith(':security/impure-builtin'))).toHaveLength(40 * 3);
    const events = await findingEvents(basename(root));
    expect(events.map(eventKey).sort()).toEqual(expected);
    const started = (await readStream(suite.server.url, 'NIXFORGE_SCAN')).map((m) => m.body as NixforgeEvent).find(
      (e) => e.type === 'nixforge.scan.started' && e.subject === basename(root),
    );
    expect(started).toBeDefined();
    for (const event of events) {
      expect(event.causationid).toBe(started!.id);
      expect(event.correlationid).toBe(started!.id);
    }
  });

  it('keeps every finding exactly once when the server is killed and restarted during a large scan', async () => {
    const files = 250;
    const root = await makeTree('large-', files, 99);
    // A short ack timeout makes lost acks show up (and be republished) quickly after the kill.
    const io = liveIO(root, { env: { NIXFORGE_NATS_ACK_TIMEOUT: '1s' } });
    const scanning = main(['scan', '.', '-f', 'json', '--rule', 'security/impure-builtin=warning', '--nats', suite.server.url, '--no-progress', '--threads', '2'], io);
    let finished = false;
    void scanning.then(() => (finished = true));

    const monitor = await connect({ servers: suite.server.url });
    const jsm = await jetstreamManager(monitor);
    // The stream may not exist yet when the scan has only just started.
    const stored = () => jsm.streams.info('NIXFORGE_SCAN').then((info) => info.state.messages, () => 0);
    const before = await stored();
    await waitFor(async () => (await stored()) > before + 2_000, 'the scan to publish', 60_000);
    await monitor.close();
    expect(finished, 'the scan must still be running when the server is killed').toBe(false);
    await suite.server.kill();
    await new Promise((resolve) => setTimeout(resolve, 500));
    await suite.server.restart();

    const code = await scanning;
    expect(code).toBe(0);
    // Whether acks were lost (and events published again) depends on timing; either way nothing may be missing.
    expect(io.err()).toMatch(/events: \d+ published, \d+ duplicates, 0 failed/);
    const expected = reportKeys(JSON.parse(io.out()) as JsonReport);
    const getEnvCalls = Array.from({ length: files }, (_, i) => (i % 99) + 1).reduce((a, b) => a + b, 0);
    expect(expected.filter((key) => key.endsWith(':security/impure-builtin'))).toHaveLength(getEnvCalls);
    const events = await findingEvents(basename(root));
    expect(events.length).toBe(expected.length);
    expect(new Set(events.map((e) => e.id)).size).toBe(expected.length);
    expect(events.map(eventKey).sort()).toEqual(expected);
  });
});
