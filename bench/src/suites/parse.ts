import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseNix } from '@nixforge/core';
import type { Suite, SuiteResult } from '../suite.js';
import { SIZE_CLASSES, benchCorpus, sizeClassOf, spreadSample, writeFileList, type CorpusFile } from '../corpus.js';
import { buildFloor, runFloor } from '../c-floor.js';
import { measureTimings, mibPerSecond, round } from '../measure.js';
import { walkAll } from '../workers/parse-worker.js';

/**
 * Parse only, by file size class, on the main thread: the Node binding parsing (and, separately, parsing and
 * walking every node) against the C floor parsing and walking the same files in the same run.
 */
const parseSuite: Suite = {
  name: 'parse',
  description: 'parse only by file size class (Node binding vs C floor, one thread)',
  async run({ quick, workDir }): Promise<SuiteResult> {
    const corpus = benchCorpus(workDir, quick);
    const floor = await buildFloor(workDir);
    const rows: SuiteResult['rows'] = [];
    const ratios: Record<string, number> = {};
    const notes: string[] = [];
    if ('unavailable' in floor) notes.push(`C floor skipped: ${floor.unavailable}`);
    const perClassBytes = quick ? 512 * 1024 : 24 * 1024 * 1024;

    for (const sizeClass of SIZE_CLASSES) {
      const files = spreadSample(corpus.files.filter((f) => sizeClassOf(f.size) === sizeClass.name), perClassBytes);
      if (files.length === 0) continue;
      const bytes = files.reduce((sum, f) => sum + f.size, 0);
      const texts = files.map((f) => readFileSync(f.path, 'utf8'));
      const means = await measureTimings(
        [
          ['parse', () => texts.forEach((t) => parseNix(t))],
          ['parse+walk', () => texts.reduce((n, t) => n + walkAll(parseNix(t)), 0)],
        ],
        { quick, samples: 2 },
      );
      const row: Record<string, string | number> = {
        class: sizeClass.name,
        files: files.length,
        MiB: round(bytes / 1048576),
        'parse MiB/s': round(mibPerSecond(bytes, means.get('parse')!.wallMs)),
        'parse+walk MiB/s': round(mibPerSecond(bytes, means.get('parse+walk')!.wallMs)),
        'parse+walk MiB/cpu-s': round(mibPerSecond(bytes, means.get('parse+walk')!.cpuMs)),
      };
      if ('binary' in floor) {
        const result = await runFloor(floor.binary, writeFileList(join(workDir, 'parse-class.list'), files as CorpusFile[]), 1);
        row['C parse+walk MiB/s'] = round(mibPerSecond(result.bytes, result.seconds * 1000));
        row['C parse+walk MiB/cpu-s'] = round(mibPerSecond(result.bytes, result.cpuSeconds * 1000));
        ratios[`parse+walk/C floor ${sizeClass.name} (CPU time)`] = round(means.get('parse+walk')!.cpuMs / (result.cpuSeconds * 1000));
      }
      rows.push(row);
    }
    return { name: 'parse', rows, ratios, notes };
  },
};

export default parseSuite;
