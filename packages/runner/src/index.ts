export { main, usage, parseCommandArgs, type Command } from './cli.js';
export { EXIT, type CliIO } from './io.js';
export { UsageError } from './errors.js';
export { VERSION } from './version.js';
export type { ScanObserver, ScanStart, ScanSummary } from './scan-observer.js';
export { ResultCache, hashContent, fingerprintKey, DEFAULT_CACHE_LOCATION, type ResultCacheKey, type ResultCacheLimits } from './cache/result-cache.js';
export { Baseline, type BaselineEntry, type BaselineFile } from './baseline/baseline.js';
export * from './events/index.js';
export { scanFiles, defaultThreads, type ScanInput, type ScanFilesOptions } from './scan/scan-files.js';
