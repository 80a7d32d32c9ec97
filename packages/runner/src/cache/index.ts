// The result cache of `scan --cache`: reports of unchanged files, keyed by content and configuration.
export { hashContent, DEFAULT_CACHE_LOCATION, ResultCache, fingerprintKey, type ResultCacheKey, type ResultCacheLimits } from './result-cache.js';
export { stableStringify } from './stable-json.js';
