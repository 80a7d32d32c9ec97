export { createEvent, validateEvent, readCloudEvent, isJsonMediaType, EVENT_TYPES, EVENT_SOURCE, type NixforgeEvent, type NewEvent, type CloudEvent } from './envelope.js';
export { formatPublishSummary, type EventSink, type EventSinkOptions, type PublishSummary } from './event-sink.js';
export { openEventSink, DEFAULT_EVENT_LOG } from './sink.js';
export { natsSubjectOf, subjectToken, subjectScope } from './subjects.js';
export { connectNats, natsUrlFrom } from './connection.js';
export { ensureStreams, streamSettingsFromEnv, streamName, DEFAULT_STREAM_SETTINGS, STREAM_AREAS, type StreamSettings } from './streams.js';
export { openReadModels, readModelsOn, READ_MODEL_BUCKET, type ReadModels } from './kv.js';
export { openScanEvents, ScanEventObserver } from './scan-events.js';
export { publishGeneratedConfigs, generateConfigEvents, publishGenerated, type GeneratedConfig, type GenerateEventContext, type GenerateConfigData } from './generate-events.js';
