import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SourceFile, analyzeSource, resolveRules, type FileReport } from '@nixforge/core';
import { builtinPlugins } from '@nixforge/plugins';
import { CACHE_FILE_NAME, ResultCache, fingerprintKey, hashContent, type ResultCacheKey } from '../src/cache/result-cache.js';
import { stableStringify } from '../src/cache/stable-json.js';

const rules = resolveRules(builtinPlugins);
const key: ResultCacheKey = {
  version: '1.0.0',
  rules: rules.map((r) => ({ id: r.id, severity: r.severity, options: r.options })),
};

function analyse(path: string, text: string): FileReport {
  const source = new SourceFile(path, text);
  try {
    const { fileType, findings } = analyzeSource(source, rules);
    return { path, fileType, findings };
  } finally {
    source.dispose();
  }
}

const GOOD = '{ lib, stdenv, }:\nstdenv.mkDerivation { pname = "x"; version = "1"; }\n';
const BROKEN = '{ lib }: { a = ; }\n';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'nixforge-cache-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function warm(files: Record<string, string>, cacheKey: ResultCacheKey = key): Promise<void> {
  const cache = await ResultCache.open(dir, cacheKey);
  for (const [path, text] of Object.entries(files)) {
    cache.store(path, hashContent(Buffer.from(text)), analyse(path, text));
  }
  await cache.save();
}

describe('hashContent', () => {
  it('is stable and sensitive to every byte', () => {
    expect(hashContent(Buffer.from(GOOD))).toBe(hashContent(new TextEncoder().encode(GOOD)));
    expect(hashContent(Buffer.from(GOOD))).not.toBe(hashContent(Buffer.from(GOOD.replace('"1"', '"2"'))));
  });
});

describe('ResultCache', () => {
  it('returns the stored report for unchanged content after a save and reopen', async () => {
    const broken = analyse('pkgs/b.nix', BROKEN);
    expect(broken.findings.some((f) => f.ruleId === 'nix/syntax-error')).toBe(true);
    await warm({ 'pkgs/a.nix': GOOD, 'pkgs/b.nix': BROKEN });

    const cache = await ResultCache.open(dir, key);
    expect(cache.discardedBecause).toBeUndefined();
    expect(cache.lookup('pkgs/b.nix', hashContent(Buffer.from(BROKEN)))).toEqual(broken);
    expect(cache.lookup('pkgs/a.nix', hashContent(Buffer.from(GOOD)))).toEqual(analyse('pkgs/a.nix', GOOD));
    expect(cache.hits).toBe(2);
  });

  it('misses when the content changed', async () => {
    await warm({ 'a.nix': GOOD });
    const cache = await ResultCache.open(dir, key);
    expect(cache.lookup('a.nix', hashContent(Buffer.from(BROKEN)))).toBeUndefined();
    expect(cache.lookup('other.nix', hashContent(Buffer.from(GOOD)))).toBeUndefined();
    expect(cache.misses).toBe(2);
  });

  it('is invalidated by a change of version, rule set, severity, options or plugins', async () => {
    await warm({ 'a.nix': GOOD });
    const hash = hashContent(Buffer.from(GOOD));
    const variants: ResultCacheKey[] = [
      { ...key, version: '1.0.1' },
      { ...key, rules: key.rules.slice(1) },
      { ...key, rules: [...key.rules, { id: 'extra/rule', severity: 'warning', options: {} }] },
      { ...key, rules: key.rules.map((r, i) => (i === 0 ? { ...r, severity: r.severity === 'error' ? 'info' : 'error' } : r)) },
      { ...key, rules: key.rules.map((r, i) => (i === 0 ? { ...r, options: { ...(r.options as object), limit: 3 } } : r)) },
      { ...key, pluginFingerprints: ['my-plugin@2'] },
    ];
    for (const variant of variants) {
      const cache = await ResultCache.open(dir, variant);
      expect(cache.discardedBecause).toBe('version, rules, options or plugins changed');
      expect(cache.lookup('a.nix', hash)).toBeUndefined();
    }
    const same = await ResultCache.open(dir, { ...key, rules: [...key.rules].reverse() });
    expect(same.lookup('a.nix', hash)).toBeDefined();
  });

  it('fingerprints options independently of key order', () => {
    const a = fingerprintKey({ version: '1', rules: [{ id: 'x/y', severity: 'warning', options: { a: 1, b: [1, { c: 2, d: 3 }] } }] });
    const b = fingerprintKey({ version: '1', rules: [{ id: 'x/y', severity: 'warning', options: { b: [1, { d: 3, c: 2 }], a: 1 } }] });
    const c = fingerprintKey({ version: '1', rules: [{ id: 'x/y', severity: 'warning', options: { b: [{ d: 3, c: 2 }, 1], a: 1 } }] });
    expect(a).toBe(b);
    expect(a).not.toBe(c);
  });

  it('drops entries of files not seen in the run and does not cache file errors', async () => {
    await warm({ 'keep.nix': GOOD, 'gone.nix': BROKEN });
    const cache = await ResultCache.open(dir, key);
    expect(cache.lookup('keep.nix', hashContent(Buffer.from(GOOD)))).toBeDefined();
    cache.store('timeout.nix', 'h', { path: 'timeout.nix', fileType: 'unknown', findings: [], error: { code: 'timeout', message: 'took too long' } });
    await cache.save();

    const next = await ResultCache.open(dir, key);
    expect(next.lookup('gone.nix', hashContent(Buffer.from(BROKEN)))).toBeUndefined();
    expect(next.lookup('timeout.nix', 'h')).toBeUndefined();
    expect(next.lookup('keep.nix', hashContent(Buffer.from(GOOD)))).toBeDefined();
  });

  it('writes atomically, leaving no temporary files, and respects its size limits', async () => {
    const cache = await ResultCache.open(dir, key, { maxEntries: 3 });
    for (let i = 0; i < 10; i += 1) cache.store(`f${i}.nix`, `h${i}`, { path: `f${i}.nix`, fileType: 'unknown', findings: [] });
    await cache.save();
    expect(await readdir(dir)).toEqual([CACHE_FILE_NAME]);
    const lines = (await readFile(join(dir, CACHE_FILE_NAME), 'utf8')).trim().split('\n');
    expect(lines).toHaveLength(4);

    const bySize = await ResultCache.open(dir, key, { maxBytes: 400 });
    for (let i = 0; i < 10; i += 1) bySize.store(`f${i}.nix`, `h${i}`, { path: `f${i}.nix`, fileType: 'unknown', findings: [] });
    await bySize.save();
    expect((await readFile(join(dir, CACHE_FILE_NAME))).length).toBeLessThanOrEqual(400);
  });

  it('starts empty, saying why, when the cache file is corrupt or foreign', async () => {
    await warm({ 'a.nix': GOOD });
    const file = join(dir, CACHE_FILE_NAME);
    await writeFile(file, (await readFile(file, 'utf8')) + '{not json\n');
    const corrupt = await ResultCache.open(dir, key);
    expect(corrupt.discardedBecause).toMatch(/corrupt at line 3/);
    expect(corrupt.lookup('a.nix', hashContent(Buffer.from(GOOD)))).toBeUndefined();

    await writeFile(file, 'hello\n');
    expect((await ResultCache.open(dir, key)).discardedBecause).toMatch(/not a nixforge cache/);
    expect((await ResultCache.open(join(dir, 'absent'), key)).discardedBecause).toBe('no cache yet');
  });
});

describe('stableStringify', () => {
  it('sorts keys at every depth and survives very deep nesting', () => {
    expect(stableStringify({ b: 1, a: { d: [true, null], c: 'x' } })).toBe('{"a":{"c":"x","d":[true,null]},"b":1}');
    let deep: unknown = 0;
    for (let i = 0; i < 20_000; i += 1) deep = { v: deep };
    expect(stableStringify(deep).length).toBe(20_000 * 6 + 1);
  });
});
