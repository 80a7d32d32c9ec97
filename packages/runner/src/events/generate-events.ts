import { createHash } from 'node:crypto';
import { basename } from 'node:path';
import type { CliIO } from '../io.js';
import { createEvent, EVENT_TYPES, type NixforgeEvent } from './envelope.js';
import { formatPublishSummary, type EventSink, type EventSinkOptions } from './event-sink.js';
import { openEventSink } from './sink.js';
import type { GenerateConfigData } from './catalog.js';

export type { GenerateConfigData } from './catalog.js';

/** One file the generator wrote. */
export interface GeneratedConfig {
  /** Path relative to the output directory, with `/` separators. */
  path: string;
  content: string | Uint8Array;
  /** The host the file belongs to, when it belongs to one. */
  host?: string;
}

export interface GenerateEventContext {
  /** Absolute output directory. */
  outDir: string;
  /** Name used as the subject's first segment; defaults to the output directory's name. */
  project?: string;
  /** The event that caused the generation (serve: the consumed topology event). */
  cause?: Pick<NixforgeEvent, 'id' | 'correlationid'>;
}

/**
 * One `nixforge.generate.config` event per file, not yet published. Without a cause, the first event is its own
 * cause and the rest are caused by it; with a cause, every event is caused by it and shares its correlation.
 */
export function generateConfigEvents(files: readonly GeneratedConfig[], context: GenerateEventContext): NixforgeEvent<GenerateConfigData>[] {
  const project = context.project ?? basename(context.outDir);
  const events: NixforgeEvent<GenerateConfigData>[] = [];
  let cause = context.cause;
  for (const file of files) {
    const data: GenerateConfigData = {
      project,
      path: file.path,
      outDir: context.outDir,
      bytes: typeof file.content === 'string' ? Buffer.byteLength(file.content) : file.content.byteLength,
      sha256: createHash('sha256').update(file.content).digest('hex'),
    };
    if (file.host !== undefined) data.host = file.host;
    const event = createEvent({
      type: EVENT_TYPES.generateConfig,
      subject: `${project}/${file.path}`,
      data,
      correlationId: cause?.correlationid,
      causationId: cause?.id,
    });
    cause ??= event;
    events.push(event);
  }
  return events;
}

/** Publishes one `nixforge.generate.config` per written file to an open sink (see generateConfigEvents). */
export async function publishGeneratedConfigs(sink: EventSink, files: readonly GeneratedConfig[], context: GenerateEventContext): Promise<NixforgeEvent<GenerateConfigData>[]> {
  const events = generateConfigEvents(files, context);
  for (const event of events) await sink.publish(event);
  return events;
}

/**
 * For the generate command: opens the sink its flags ask for (`--events`, `--nats`, `--events-fallback`), publishes
 * the written files and returns the summary lines for stderr.
 */
export async function publishGenerated(
  options: Omit<EventSinkOptions, 'env' | 'cwd'> & Partial<EventSinkOptions>,
  io: CliIO,
  files: GeneratedConfig[],
  context: GenerateEventContext,
): Promise<string[]> {
  const sink = await openEventSink({ env: io.env, cwd: io.cwd, notice: (line) => io.stderr.write(`${line}\n`), ...options });
  if (sink.kind === 'none') {
    await sink.close();
    return [];
  }
  let summary;
  try {
    await publishGeneratedConfigs(sink, files, context);
  } finally {
    summary = await sink.close();
  }
  const lines = [formatPublishSummary(summary)];
  if (summary.failed > 0) for (const reason of sink.failureReasons ?? []) lines.push(`events: failed: ${reason}`);
  return lines;
}
