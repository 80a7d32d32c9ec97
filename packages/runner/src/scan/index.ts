// Scanning: discovery, the worker pool, the optional stages, the scan run itself and --fix.
export { discoverFiles, displayPathOf, type DiscoveredFile, type DiscoveryOptions } from './discovery.js';
export { prepareScan, runScan, type ScanOptions, type ScanResult, isInternalFailure } from './run-scan.js';
export { type ScanInput, defaultThreads, type ScanExecutor, type ScanFilesOptions, createScanPool, scanFiles, type ScanPool } from './scan-files.js';
export type { StageOptions } from './stages/index.js';
export { runFixPass } from './fix-pass.js';
export { analyzeFileTask } from './analyze-file.js';
export type { WorkerFileReport, RuleSetup } from './task.js';
