// Scanning: discovery, the worker pool, the optional stages, the scan run itself and --fix.
export { discoverFiles, displayPathOf, type DiscoveredFile, type DiscoveryOptions } from './discovery.js';
export { prepareScan, runScan, type PreparedScan, type ScanOptions, type ScanResult, isInternalFailure } from './run-scan.js';
export { type ScanInput, defaultThreads, type ScanExecutor, type ScanFilesOptions, createScanPool, scanFiles, type ScanPool, DEFAULT_MAX_FILE_SIZE, workerMemoryLimitMb } from './scan-files.js';
export { installNativeGuard, reachSafePoint, useNativeStateCell } from './native-guard.js';
export type { StageOptions } from './stages/index.js';
export { runFixPass } from './fix-pass.js';
export { analyzeFileTask } from './analyze-file.js';
export type { WorkerFileReport, RuleSetup } from './task.js';
