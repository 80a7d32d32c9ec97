import { describe, expect, it } from 'vitest';
import { connect } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { useNatsServer } from './helpers/nats-server.js';
import { createEvent, validateEvent } from '../src/events/envelope.js';
import { natsSubjectOf, subjectToken } from '../src/events/subjects.js';
import { ensureStreams, streamSettingsFromEnv } from '../src/events/streams.js';
import { openReadModels } from '../src/events/kv.js';
import { UsageError } from '../src/errors.js';

const suite = useNatsServer();

describe('envelope and subjects', () => {
  it('creates complete CloudEvents with UUIDv7 ids and run/causation links', () => {
    const first = createEvent({ type: 'nixforge.scan.started', subject: 'repo', data: { a: 1 } });
    expect(validateEvent(JSON.parse(JSON.stringify(first)))).toEqual(first);
    expect(first.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect([first.correlationid, first.causationid]).toEqual([first.id, first.id]);
    const next = createEvent({ type: 'nixforge.scan.file', subject: 'repo/a.nix', data: {}, correlationId: first.id, causationId: first.id });
    expect(next.id > first.id).toBe(true);
    expect(natsSubjectOf(next)).toBe('nixforge.scan.file.repo');
    expect(() => createEvent({ type: 'scan.started', subject: 'x', data: {} })).toThrow(/must start with 'nixforge\.'/);
  });

  it('names every wrong field of an invalid envelope and what it should be', () => {
    const event = createEvent({ type: 'nixforge.git.nixfiles.changed', subject: 'r', data: {} });
    expect(() => validateEvent({ ...event, specversion: '0.3' })).toThrow(`specversion: expected "1.0" (CloudEvents 1.0), got "0.3"`);
    expect(() => validateEvent({ ...event, causationid: 'abc' })).toThrow(`causationid: expected a UUID, got "abc"`);
    expect(() => validateEvent({ ...event, time: 'yesterday' })).toThrow(`time: expected a timestamp, got "yesterday"`);
    expect(() => validateEvent([event])).toThrow('expected an event envelope (a JSON object), got [');
    const { data: _data, ...noData } = event;
    expect(() => validateEvent({ ...noData, type: 'scan.started' })).toThrow(`data: missing; type: expected an event type starting with "nixforge.", got "scan.started"`);
  });

  it('turns any name into one reversible subject token', () => {
    expect(subjectToken('home-manager')).toBe('home-manager');
    expect(subjectToken('nixpkgs.lib')).toBe('nixpkgs=2Elib');
    expect(subjectToken('a b*>/ü')).toBe('a=20b=2A=3E=2F=C3=BC');
    expect(subjectToken('')).toBe('=');
    const decode = (token: string) => decodeURIComponent(token.replace(/=([0-9A-F]{2})/g, '%$1'));
    for (const name of ['x.y.z', 'über', 'a=b', 'under_score']) expect(decode(subjectToken(name))).toBe(name);
  });
});

describe('streams', () => {
  it('creates the streams once, updates a changed duplicate window and refuses a retention change', async () => {
    const connection = await connect({ servers: suite.server.url });
    try {
      const jsm = await jetstreamManager(connection);
      const settings = streamSettingsFromEnv({ NIXFORGE_STREAM_PREFIX: 'T1', NIXFORGE_STREAM_DUPLICATE_WINDOW: '10m', NIXFORGE_STREAM_MAX_AGE: '7d' });
      expect(await ensureStreams(jsm, settings)).toEqual(['T1_SCAN', 'T1_GENERATE', 'T1_GIT', 'T1_TOPOLOGY']);
      await Promise.all([ensureStreams(jsm, settings), ensureStreams(jsm, settings)]);
      const scan = await jsm.streams.info('T1_SCAN');
      expect(scan.config.subjects).toEqual(['nixforge.scan.>']);
      expect(scan.config.duplicate_window).toBe(10 * 60 * 1e9);
      expect(scan.config.max_age).toBe(7 * 24 * 3600 * 1e9);

      await ensureStreams(jsm, { ...settings, duplicateWindowMs: 60_000 });
      expect((await jsm.streams.info('T1_GIT')).config.duplicate_window).toBe(60 * 1e9);

      const changed = ensureStreams(jsm, { ...settings, retention: 'interest' });
      await expect(changed).rejects.toThrow(UsageError);
      await expect(ensureStreams(jsm, { ...settings, retention: 'interest' })).rejects.toThrow(/stream T1_SCAN exists with retention 'limits'/);
    } finally {
      await connection.close();
    }
  });

  it('rejects bad stream settings by variable name', () => {
    expect(() => streamSettingsFromEnv({ NIXFORGE_STREAM_DUPLICATE_WINDOW: 'soon' })).toThrow(`NIXFORGE_STREAM_DUPLICATE_WINDOW: 'soon' is not a duration`);
    expect(() => streamSettingsFromEnv({ NIXFORGE_STREAM_RETENTION: 'forever' })).toThrow('NIXFORGE_STREAM_RETENTION');
    expect(() => streamSettingsFromEnv({ NIXFORGE_STREAM_PREFIX: 'a.b' })).toThrow('NIXFORGE_STREAM_PREFIX');
    expect(streamSettingsFromEnv({ NIXFORGE_STREAM_MAX_AGE: '1h' }).duplicateWindowMs).toBe(3_600_000);
  });
});

describe('read models', () => {
  it('stores the latest run summary and the history cursor per repository', async () => {
    const models = await openReadModels(suite.server.url);
    try {
      expect(await models.getRunSummary('nixpkgs.lib')).toBeUndefined();
      expect(await models.getHistoryCursor('nixpkgs.lib')).toBeUndefined();
      await models.putRunSummary('nixpkgs.lib', { findings: 3 });
      await models.putRunSummary('nixpkgs.lib', { findings: 5 });
      await models.putHistoryCursor('nixpkgs.lib', 'a'.repeat(40));
      await models.putHistoryCursor('other', 'b'.repeat(40));
      expect(await models.getRunSummary('nixpkgs.lib')).toEqual({ findings: 5 });
      expect(await models.getHistoryCursor('nixpkgs.lib')).toBe('a'.repeat(40));
      expect(await models.getHistoryCursor('other')).toBe('b'.repeat(40));
    } finally {
      await models.close();
    }
    const reopened = await openReadModels(suite.server.url);
    try {
      expect(await reopened.getRunSummary('nixpkgs.lib')).toEqual({ findings: 5 });
    } finally {
      await reopened.close();
    }
  });
});
