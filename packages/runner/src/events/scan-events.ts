import type { FileReport, Severity } from '@nixforge/core';
import type { ScanCompletedData, ScanFileData, ScanFindingData, ScanStartedData } from './catalog.js';
import { publicFinding } from '../reporters/index.js';
import type { CliIO } from '../io.js';
import type { ScanObserver, ScanStart, ScanSummary } from '../scan-observer.js';
import { createEvent, EVENT_TYPES, type NixforgeEvent } from './envelope.js';
import { formatPublishSummary, type EventSink, type EventSinkOptions } from './event-sink.js';
import { openEventSink } from './sink.js';
import { natsUrlFrom } from './connection.js';
import type { ReadModels } from './kv.js';

export type { ScanCompletedData, ScanFileData, ScanFindingData, ScanStartedData } from './catalog.js';

/**
 * The scan observer that turns a run into events: one `started` (its own cause; its id is the run's correlation id),
 * then per file one `finding` per finding and one `file`, then `completed` or `aborted`, all caused by `started`.
 * With NATS, the run summary is also stored in the read-model bucket. Returns undefined when events are off.
 */
export async function openScanEvents(options: Omit<EventSinkOptions, 'env' | 'cwd' | 'notice'> & Partial<EventSinkOptions>, io: CliIO): Promise<ScanObserver | undefined> {
  const sinkOptions: EventSinkOptions = { env: io.env, cwd: io.cwd, notice: (line) => io.stderr.write(`${line}\n`), ...options };
  const sink = await openEventSink(sinkOptions);
  if (sink.kind === 'none') {
    await sink.close();
    return undefined;
  }
  return new ScanEventObserver(sink, sink.kind === 'nats' ? natsUrlFrom(sinkOptions.nats, sinkOptions.env) : undefined, sinkOptions.env);
}

export class ScanEventObserver implements ScanObserver {
  private started_: NixforgeEvent<ScanStartedData> | undefined;
  private repository = '';
  private summaryToStore: ScanCompletedData | undefined;

  constructor(
    private readonly sink: EventSink,
    private readonly readModelsUrl?: string,
    private readonly env: NodeJS.ProcessEnv = {},
  ) {}

  async started(start: ScanStart): Promise<void> {
    this.repository = start.repository;
    this.started_ = createEvent<ScanStartedData>({
      type: EVENT_TYPES.scanStarted,
      subject: start.repository,
      data: {
        repository: start.repository,
        root: start.root,
        targets: start.targets,
        rules: start.rules,
        threads: start.threads,
        startedAt: start.startedAt.toISOString(),
      },
    });
    await this.sink.publish(this.started_);
  }

  async file(report: FileReport): Promise<void> {
    const bySeverity: Record<Severity, number> = { info: 0, warning: 0, error: 0 };
    const subject = `${this.repository}/${report.path}`;
    for (const finding of report.findings) {
      bySeverity[finding.severity]++;
      const { fix, ...shown } = publicFinding(finding);
      const data: ScanFindingData = { repository: this.repository, path: report.path, fileType: report.fileType, ...shown, hasFix: fix !== undefined };
      await this.sink.publish(this.caused(EVENT_TYPES.scanFinding, subject, data));
    }
    const data: ScanFileData = {
      repository: this.repository,
      path: report.path,
      fileType: report.fileType,
      findings: report.findings.length,
      bySeverity,
    };
    if (report.error) data.error = { code: report.error.code, message: report.error.message };
    await this.sink.publish(this.caused(EVENT_TYPES.scanFile, subject, data));
  }

  async completed(summary: ScanSummary): Promise<void> {
    this.summaryToStore = { repository: this.repository, ...summary };
    await this.sink.publish(this.caused(EVENT_TYPES.scanCompleted, this.repository, this.summaryToStore));
  }

  async aborted(reason: string, summary: ScanSummary): Promise<void> {
    this.summaryToStore = { repository: this.repository, ...summary, reason };
    await this.sink.publish(this.caused(EVENT_TYPES.scanAborted, this.repository, this.summaryToStore));
  }

  async close(): Promise<string[]> {
    const summary = await this.sink.close();
    const lines = [formatPublishSummary(summary)];
    if (summary.failed > 0) for (const reason of this.sink.failureReasons ?? []) lines.push(`events: failed: ${reason}`);
    if (this.readModelsUrl !== undefined && this.summaryToStore !== undefined) {
      lines.push(await this.storeRunSummary(this.readModelsUrl, this.summaryToStore));
    }
    return lines;
  }

  private async storeRunSummary(url: string, summary: ScanCompletedData): Promise<string> {
    let models: ReadModels | undefined;
    try {
      const { openReadModels } = await import('./kv.js');
      models = await openReadModels(url, { env: this.env });
      await models.putRunSummary(summary.repository, { ...summary, correlationId: this.started_?.correlationid, storedAt: new Date().toISOString() });
      return `events: run summary stored in the read models for '${summary.repository}'`;
    } catch (error) {
      return `events: could not store the run summary: ${error instanceof Error ? error.message : String(error)}`;
    } finally {
      await models?.close();
    }
  }

  private caused<T>(type: string, subject: string, data: T): NixforgeEvent<T> {
    const started = this.started_;
    if (started === undefined) throw new Error('scan events: file/completed before started');
    return createEvent({ type, subject, data, correlationId: started.correlationid, causationId: started.id });
  }
}
