// Distributed scans: the coordinator, the worker service and their NATS work queues.
export { distributedScanExecutor } from './scan-flags.js';
export { pluginIdentities } from './plugin-identity.js';
export { WORKER_SERVICE_NAME, WorkerService } from './worker-service.js';
export { WORK_STREAM, workQueueSettingsFromEnv } from './work-stream.js';
