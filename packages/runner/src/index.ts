export { main, usage, parseCommandArgs, type Command } from './cli.js';
export { EXIT, type CliIO } from './io.js';
export { UsageError } from './errors.js';
export { VERSION } from './version.js';
export type { ScanObserver, ScanStart, ScanSummary } from './scan-observer.js';
