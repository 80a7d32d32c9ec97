import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { DEFAULT_CACHE_LOCATION, ResultCache, hashContent } from '../../cache/index.js';
import { VERSION } from '../../version.js';
import type { WorkerFileReport } from '../task.js';
import type { ScanStage, StageContext } from './stage.js';

/** `--cache [--cache-location DIR]`: reuses the reports of unchanged files and stores fresh ones. */
export async function cacheStage(cacheLocation: string | undefined, context: StageContext): Promise<ScanStage> {
  const location = resolve(context.io.cwd, cacheLocation ?? DEFAULT_CACHE_LOCATION);
  const cache = await ResultCache.open(location, {
    version: VERSION,
    rules: context.rules.map((r) => ({ id: r.id, severity: r.severity, options: r.options })),
    pluginFingerprints: await Promise.all(
      context.pluginUrls.map(async (url) => hashContent(await readFile(new URL(url)).catch(() => Buffer.from(url)))),
    ),
  });
  return {
    async lookup(input) {
      if (input.loadText) return undefined;
      let bytes: Buffer;
      try {
        // Synchronous: a warm rescan is little more than reading and hashing every file, and for small files
        // fs/promises costs several times the read itself (about 10 s instead of 2 s on 40,000 files).
        bytes = readFileSync(input.absolutePath);
      } catch {
        return undefined;
      }
      const hit = cache.lookup(input.displayPath, hashContent(bytes));
      return hit as WorkerFileReport | undefined;
    },
    record(input, report) {
      if (report.contentHash !== undefined && !input.loadText && !report.factsOnly) cache.store(input.displayPath, report.contentHash, report);
    },
    async finish() {
      await cache.save();
      return [`cache: ${cache.hits} of ${cache.hits + cache.misses} files reused${cache.discardedBecause ? ` (previous cache not used: ${cache.discardedBecause})` : ''}`];
    },
  };
}
