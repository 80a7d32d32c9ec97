import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEvent, EVENT_TYPES, EVENT_TYPE_NAMES, openEventSink, replayLog } from '../src/events/index.js';
import { summarizeEvent, uncatalogedTypeProblem } from '../src/events/event-summary.js';
import { formatTailLine } from '../src/events/tail.js';

describe('events tail --format text reads the catalog', () => {
  it('prints the gist of a finding after time, type, subject and id', () => {
    const event = createEvent({
      type: EVENT_TYPES.scanFinding,
      subject: 'repo/a.nix',
      data: { repository: 'repo', path: 'a.nix', line: 3, column: 5, severity: 'warning', ruleId: 'nix/undefined-variable', message: "undefined variable 'x'" },
    });
    expect(formatTailLine(JSON.stringify(event), 'text')).toBe(
      `${event.time} nixforge.scan.finding repo/a.nix ${event.id} a.nix:3:5 warning nix/undefined-variable undefined variable 'x'`,
    );
  });

  it('has a gist for every cataloged type, and survives partial or foreign data', () => {
    for (const type of EVENT_TYPE_NAMES) {
      expect(summarizeEvent(type, {}), type).toMatch(/\?/);
      expect(summarizeEvent(type, 'not an object'), type).toBe('');
    }
    expect(summarizeEvent(EVENT_TYPES.gitFlakeLockUpdated, { commit: 'c0ffee', inputs: [{ name: 'nixpkgs', change: 'updated' }] })).toBe('c0ffee: nixpkgs updated');
    expect(summarizeEvent(EVENT_TYPES.scanFile, { path: 'a.nix', findings: 'x', error: 5 })).toContain('a.nix');
    expect(summarizeEvent('nixforge.topology.NodeAdded', {})).toBe('topology change');
    expect(summarizeEvent('com.example.other', {})).toBe('');
  });
});

describe('events replay reads the catalog', () => {
  it('publishes cataloged and topology events and refuses nixforge.* types the catalog does not know', async () => {
    const work = mkdtempSync(join(tmpdir(), 'nixforge-replay-catalog-'));
    const lines = [
      createEvent({ type: EVENT_TYPES.scanStarted, subject: 'repo', data: {} }),
      { ...createEvent({ type: EVENT_TYPES.scanStarted, subject: 'repo', data: {} }), type: 'nixforge.scan.bogus' },
      { ...createEvent({ type: EVENT_TYPES.scanStarted, subject: 'lab', data: {} }), type: 'nixforge.topology.NodeAdded' },
      { ...createEvent({ type: EVENT_TYPES.scanStarted, subject: 'x', data: {} }), type: 'com.example.inventory' },
    ];
    writeFileSync(join(work, 'in.ndjson'), lines.map((line) => JSON.stringify(line)).join('\n') + '\n');
    const sink = await openEventSink({ events: join(work, 'out.ndjson'), env: {}, cwd: work });
    const problems: string[] = [];
    const result = await replayLog(join(work, 'in.ndjson'), sink, ({ line, problem }) => problems.push(`${line}: ${problem}`));
    await sink.close();
    expect(result).toEqual({ events: 2, invalid: 2 });
    expect(problems).toEqual([
      "2: type 'nixforge.scan.bogus' is not in nixforge's event catalog (see 'Subjects' in the README)",
      "4: type 'com.example.inventory' is not a nixforge.* type, so no nixforge stream would store it",
    ]);
    const written = readFileSync(join(work, 'out.ndjson'), 'utf8').trim().split('\n').map((line) => (JSON.parse(line) as { type: string }).type);
    expect(written).toEqual(['nixforge.scan.started', 'nixforge.topology.NodeAdded']);
    expect(uncatalogedTypeProblem(EVENT_TYPES.generatePending)).toBeUndefined();
  });
});
