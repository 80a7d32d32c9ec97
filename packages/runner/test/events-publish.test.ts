import { describe, expect, it } from 'vitest';
import { mkdtemp, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import type { FileReport, Finding, Severity } from '@nixforge/core';
import { startNatsServer, readStream, useNatsServer } from './helpers/nats-server.js';
import { liveIO } from './helpers/live-io.js';
import { createEvent, validateEvent, EVENT_TYPES, type NixforgeEvent } from '../src/events/envelope.js';
import { openEventSink, type EventSink } from '../src/events/sink.js';
import { openScanEvents } from '../src/events/scan-events.js';
import { openReadModels } from '../src/events/kv.js';
import { UsageError } from '../src/errors.js';
import type { ScanSummary } from '../src/scan-observer.js';

const SEVERITIES: Severity[] = ['info', 'warning', 'error'];

/** A deterministic scan result: `files` files, file i has i % 7 findings with varied rules and severities. */
function scanReports(files: number): FileReport[] {
  const reports: FileReport[] = [];
  for (let i = 0; i < files; i++) {
    const findings: Finding[] = [];
    for (let j = 0; j < i % 7; j++) {
      findings.push({
        ruleId: `lint/rule-${j}`,
        severity: SEVERITIES[(i + j) % 3]!,
        message: `finding ${j} in file ${i}`,
        line: j + 1,
        column: 1,
        endLine: j + 1,
        endColumn: 5,
      });
    }
    reports.push({ path: `modules/m${String(i).padStart(4, '0')}.nix`, fileType: 'module', findings });
  }
  return reports;
}

function summaryOf(reports: FileReport[]): ScanSummary {
  const bySeverity: Record<Severity, number> = { info: 0, warning: 0, error: 0 };
  const byRule: Record<string, number> = {};
  for (const finding of reports.flatMap((r) => r.findings)) {
    bySeverity[finding.severity]++;
    byRule[finding.ruleId] = (byRule[finding.ruleId] ?? 0) + 1;
  }
  const findings = reports.reduce((n, r) => n + r.findings.length, 0);
  return {
    files: reports.length,
    filesWithFindings: reports.filter((r) => r.findings.length > 0).length,
    filesWithErrors: 0,
    findings,
    bySeverity,
    byRule,
    durationMs: 12,
    exitCode: bySeverity.error > 0 ? 1 : 0,
    aborted: false,
  };
}

const suite = useNatsServer();

describe('scan events on JetStream', () => {
  it('delivers every finding of a scan exactly once with a complete envelope and headers', async () => {
    const reports = scanReports(300);
    const io = liveIO(suite.work);
    const observer = await openScanEvents({ nats: suite.server.url }, io);
    expect(observer).toBeDefined();
    await observer!.started({ repository: 'home-manager', root: suite.work, targets: ['.'], rules: ['lint/rule-0'], threads: 2, startedAt: new Date() });
    for (const report of reports) await observer!.file(report);
    await observer!.completed(summaryOf(reports));
    const lines = await observer!.close();

    const expectedFindings = reports.reduce((n, r) => n + r.findings.length, 0);
    const total = 1 + expectedFindings + reports.length + 1;
    expect(lines[0]).toBe(`events: ${total} published, 0 duplicates, 0 failed -> ${suite.server.url}`);

    const stored = await readStream(suite.server.url, 'NIXFORGE_SCAN');
    expect(stored).toHaveLength(total);
    const events = stored.map((m) => validateEvent(m.body));
    const started = events.filter((e) => e.type === EVENT_TYPES.scanStarted);
    expect(started).toHaveLength(1);
    const run = started[0]!;
    expect(run.causationid).toBe(run.id);
    expect(run.correlationid).toBe(run.id);

    for (const [index, message] of stored.entries()) {
      const event = events[index]!;
      expect(message.headers['Nats-Msg-Id']).toBe(event.id);
      expect(message.headers['Nixforge-Correlation-Id']).toBe(run.id);
      expect(message.headers['Nixforge-Causation-Id']).toBe(event.causationid);
      expect(message.subject).toBe(`${event.type}.home-manager`);
      expect(event.source).toMatch(/^nixforge\/\d+\.\d+\.\d+/);
      expect(event.correlationid).toBe(run.id);
      if (event !== run) expect(event.causationid).toBe(run.id);
    }
    expect(new Set(events.map((e) => e.id)).size).toBe(total);

    const findings = events.filter((e) => e.type === EVENT_TYPES.scanFinding) as NixforgeEvent<{ path: string; message: string; ruleId: string }>[];
    const expectedKeys = reports.flatMap((r) => r.findings.map((f) => `${r.path}|${f.ruleId}|${f.message}`)).sort();
    expect(findings.map((e) => `${e.data.path}|${e.data.ruleId}|${e.data.message}`).sort()).toEqual(expectedKeys);
    const files = events.filter((e) => e.type === EVENT_TYPES.scanFile) as NixforgeEvent<{ path: string; findings: number }>[];
    expect(files.map((e) => [e.data.path, e.data.findings])).toEqual(reports.map((r) => [r.path, r.findings.length]));
    const completed = events.filter((e) => e.type === EVENT_TYPES.scanCompleted) as NixforgeEvent<ScanSummary>[];
    expect(completed).toHaveLength(1);
    expect(completed[0]!.data.findings).toBe(expectedFindings);

    const models = await openReadModels(suite.server.url);
    try {
      const summary = await models.getRunSummary<ScanSummary & { correlationId: string }>('home-manager');
      expect(summary?.findings).toBe(expectedFindings);
      expect(summary?.correlationId).toBe(run.id);
    } finally {
      await models.close();
    }
  });

  it('keeps every event exactly once when the server is killed and restarted mid-publish', async () => {
    const total = 20_000;
    const notices: string[] = [];
    const sink = await openEventSink({
      nats: suite.server.url,
      env: {},
      cwd: suite.work,
      ackTimeoutMs: 1500,
      maxOutageMs: 30_000,
      notice: (line) => notices.push(line),
    });
    const sent: string[] = [];
    let restarted: Promise<void> | undefined;
    for (let i = 0; i < total; i++) {
      const event = createEvent({ type: EVENT_TYPES.scanFinding, subject: `crashy/f${i}.nix`, data: { i } });
      sent.push(event.id);
      await sink.publish(event);
      if (i === 6000) {
        await suite.server.kill();
        restarted = new Promise((resolve) => setTimeout(resolve, 700)).then(() => suite.server.restart());
      }
    }
    await restarted;
    const summary = await sink.close();
    expect(summary.failed).toBe(0);
    expect(summary.published + summary.duplicates).toBe(total);
    expect(notices.some((line) => line.includes('waiting for the server'))).toBe(true);

    const stored = (await readStream(suite.server.url, 'NIXFORGE_SCAN')).filter((m) => m.subject === 'nixforge.scan.finding.crashy');
    const ids = stored.map((m) => (m.body as NixforgeEvent).id);
    expect(ids).toHaveLength(total);
    expect(new Set(ids)).toEqual(new Set(sent));
  });
  it('keeps topology events in publish order across a server kill and restart', async () => {
    const sink = await openEventSink({ nats: suite.server.url, env: {}, cwd: suite.work, ackTimeoutMs: 1000 });
    const total = 300;
    let restarted: Promise<void> | undefined;
    for (let i = 0; i < total; i++) {
      await sink.publish(createEvent({ type: 'nixforge.topology.NodeUpdated', subject: 'ordered', data: { i } }));
      if (i === 100) {
        await suite.server.kill();
        restarted = new Promise((resolve) => setTimeout(resolve, 500)).then(() => suite.server.restart());
      }
    }
    await restarted;
    const summary = await sink.close();
    expect(summary.failed).toBe(0);
    const stored = (await readStream(suite.server.url, 'NIXFORGE_TOPOLOGY')).filter((m) => m.subject === 'nixforge.topology.NodeUpdated.ordered');
    expect(stored.map((m) => (m.body as NixforgeEvent<{ i: number }>).data.i)).toEqual(Array.from({ length: total }, (_, i) => i));
  });
});

describe('sinks without a server', () => {
  it('fails with a UsageError naming the URL when the server cannot be reached', async () => {
    const closed = await startNatsServer();
    const url = closed.url;
    await closed.dispose();
    await expect(openEventSink({ nats: url, env: {}, cwd: suite.work })).rejects.toThrow(UsageError);
    await expect(openEventSink({ nats: url, env: {}, cwd: suite.work })).rejects.toThrow(`cannot reach the NATS server at ${url}`);
  });

  it('counts events as failed after the outage limit and writes them to the fallback file', async () => {
    const doomed = await startNatsServer();
    try {
      const fallback = join(suite.work, 'outage-fallback.ndjson');
      const sink = await openEventSink({ nats: doomed.url, eventsFallback: fallback, env: {}, cwd: suite.work, ackTimeoutMs: 300, maxOutageMs: 1000 });
      const ids: string[] = [];
      for (let i = 0; i < 400; i++) {
        const event = createEvent({ type: EVENT_TYPES.scanFinding, subject: `doomed/f${i}.nix`, data: { i } });
        ids.push(event.id);
        await sink.publish(event);
        if (i === 199) await doomed.kill();
      }
      const summary = await sink.close();
      expect(summary.failed).toBeGreaterThanOrEqual(200);
      expect(summary.published + summary.duplicates + summary.failed).toBe(400);
      expect(summary.destination).toContain(`failed events written to ${fallback}`);
      expect(sink.failureReasons?.[0]).toMatch(/unavailable for more than 1 s/);
      const written = (await readFile(fallback, 'utf8')).trim().split('\n').map((line) => (JSON.parse(line) as NixforgeEvent).id);
      expect(written).toHaveLength(summary.failed);
      expect(written.every((id) => ids.includes(id))).toBe(true);
    } finally {
      await doomed.dispose();
    }
  });

  it('with --nats and --events, publishes and also appends every envelope to the file', async () => {
    const file = join(suite.work, 'copy.ndjson');
    const sink = await openEventSink({ nats: suite.server.url, events: 'copy.ndjson', env: {}, cwd: suite.work });
    expect(sink.kind).toBe('nats');
    const events = [0, 1, 2].map((i) => createEvent({ type: EVENT_TYPES.gitNixFilesChanged, subject: `copied/${i}`, data: { i } }));
    for (const event of events) await sink.publish(event);
    const summary = await sink.close();
    expect(summary).toEqual({ published: 3, duplicates: 0, failed: 0, destination: `${suite.server.url} (and 3 to ${file})` });
    expect((await readFile(file, 'utf8')).trim().split('\n').map((line) => JSON.parse(line))).toEqual(events);
    const stored = (await readStream(suite.server.url, 'NIXFORGE_GIT')).filter((m) => m.subject === 'nixforge.git.nixfiles.changed.copied');
    expect(stored.map((m) => m.body)).toEqual(events);
  });

  it('rejects bad publisher tuning by variable name', async () => {
    const env = { NIXFORGE_NATS_MAX_PENDING: '0' };
    await expect(openEventSink({ nats: 'nats://127.0.0.1:1', env, cwd: suite.work })).rejects.toThrow(`NIXFORGE_NATS_MAX_PENDING: '0' is not a positive integer`);
    await expect(openEventSink({ nats: 'nats://127.0.0.1:1', env: { NIXFORGE_NATS_ACK_TIMEOUT: 'soon' }, cwd: suite.work })).rejects.toThrow(
      `NIXFORGE_NATS_ACK_TIMEOUT: 'soon' is not a duration`,
    );
  });

  it('writes to the fallback file and says so when the server cannot be reached', async () => {
    const closed = await startNatsServer();
    const url = closed.url;
    await closed.dispose();
    const notices: string[] = [];
    const sink = await openEventSink({ nats: url, eventsFallback: 'fallback.ndjson', env: {}, cwd: suite.work, notice: (l) => notices.push(l) });
    const event = createEvent({ type: EVENT_TYPES.scanStarted, subject: 'x', data: {} });
    await sink.publish(event);
    const summary = await sink.close();
    expect(summary).toEqual({ published: 1, duplicates: 0, failed: 0, destination: join(suite.work, 'fallback.ndjson') });
    expect(notices.join('\n')).toContain(`cannot reach the NATS server at ${url}`);
    const lines = (await readFile(join(suite.work, 'fallback.ndjson'), 'utf8')).trim().split('\n');
    expect(lines.map((l) => JSON.parse(l))).toEqual([event]);
  });

  it('writes no log unless asked; NIXFORGE_EVENTS, then the configured log, and NIXFORGE_NATS_URL choose a sink', async () => {
    const dir = await mkdtemp(join(suite.work, 'default-'));
    const none: EventSink = await openEventSink({ env: {}, cwd: dir });
    expect(none.kind).toBe('none');
    await none.close();
    expect(existsSync(join(dir, '.nixforge'))).toBe(false);

    const sink: EventSink = await openEventSink({ env: { NIXFORGE_EVENTS: 'from-env.ndjson' }, cwd: dir, defaultLog: join(dir, 'configured.ndjson') });
    expect(sink.kind).toBe('file');
    const first = createEvent({ type: EVENT_TYPES.scanStarted, subject: 'repo', data: { n: 1 } });
    await sink.publish(first);
    expect((await sink.close()).destination).toBe(join(dir, 'from-env.ndjson'));
    expect(JSON.parse(await readFile(join(dir, 'from-env.ndjson'), 'utf8'))).toEqual(first);

    const configured = await openEventSink({ env: {}, cwd: dir, defaultLog: join(dir, 'configured.ndjson') });
    expect(configured.kind).toBe('file');
    expect((await configured.close()).destination).toBe(join(dir, 'configured.ndjson'));

    const off = await openEventSink({ env: { NIXFORGE_EVENTS: 'off' }, cwd: dir, defaultLog: join(dir, 'configured.ndjson') });
    expect(off.kind).toBe('none');
    await off.close();
    const viaEnv = await openEventSink({ env: { NIXFORGE_NATS_URL: suite.server.url }, cwd: dir });
    expect(viaEnv.kind).toBe('nats');
    await viaEnv.close();
  });

  it('returns no scan observer when events are off', async () => {
    expect(await openScanEvents({}, liveIO(suite.work, { env: { NIXFORGE_EVENTS: 'off' } }))).toBeUndefined();
  });
});
