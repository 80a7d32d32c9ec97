import { basename } from 'node:path';
import type { NatsConnection } from '@nats-io/transport-node';
import { AckPolicy, DeliverPolicy, jetstream, jetstreamManager, type JetStreamManager, type JsMsg } from '@nats-io/jetstream';
import { Svcm, type Service } from '@nats-io/services';
import { emptyTopology, hostModulePath, renderTopology, stageTopologyEvent, writeGeneratedFiles, type StagedTransition, type TopologyState } from '@nixforge/templates';
import { errorMessage } from '../../errors.js';
import { VERSION } from '../../version.js';
import { connectNats } from '../connection.js';
import type { GeneratePendingData } from '../catalog.js';
import { JetStreamSink } from '../jetstream-sink.js';
import { generateConfigEvents } from '../generate-events.js';
import { createEvent, EVENT_TYPES, type NixforgeEvent } from '../envelope.js';
import { subjectScope } from '../subjects.js';
import { ensureStreams, streamName, type StreamSettings } from '../streams.js';
import { parseTopologyMessage } from './topology-message.js';
import { readServeState, writeServeState, type ServeState } from './state-file.js';

export const DEFAULT_DURABLE = 'nixforge-serve';
export const SERVICE_NAME = 'nixforge-serve';
/** Subject of the service's `status` endpoint (answers with ServiceStatus as JSON). */
export const STATUS_SUBJECT = 'nixforge.serve.status';
const TOPOLOGY_FILTER = 'nixforge.topology.>';

export interface TopologyServiceOptions {
  url: string;
  /** Absolute output directory; also holds the service state (SERVE_STATE_FILE). */
  outDir: string;
  /** Name of the durable consumer; one per output directory. */
  durable: string;
  streams: StreamSettings;
  /** Progress and problems, one line each (stderr). */
  log: (line: string) => void;
  /** How long the server waits for our ack before redelivering. Default 60 s. */
  ackWaitMs?: number;
}

/** Counters answered by the `status` endpoint and included in the service `stats`. */
export interface ServiceStatus {
  outDir: string;
  stream: string;
  consumer: string;
  appliedSequence: number;
  hosts: number;
  applied: number;
  rejected: number;
  filesWritten: number;
  filesRemoved: number;
  /** Hosts held back by a consistency problem (their files are as last rendered), sorted. */
  pendingHosts: string[];
  lastError?: string;
}


/**
 * The topology service: consumes `nixforge.topology.>` with a durable consumer (one message in flight), applies each
 * event with the generation library, regenerates only the affected hosts, persists its state, publishes one
 * `nixforge.generate.config` per written file (caused by the consumed event) and then acks. An event that leaves a
 * host inconsistent (a part it refers to has not arrived yet) makes it pending: reported on stderr and in a
 * `nixforge.generate.pending` event, its files left as they were, rendered when the completing event arrives.
 * Events invalid in themselves are reported and terminated (not redelivered); the service goes on.
 */
export class TopologyService {
  private stopping = false;
  /** Total generate.config events the sink has given up on, to report each message's share. */
  private failedConfigEvents = 0;
  private readonly status: ServiceStatus;

  private constructor(
    private readonly options: TopologyServiceOptions,
    private readonly connection: NatsConnection,
    private readonly sink: JetStreamSink,
    private readonly service: Service,
    private state: ServeState,
  ) {
    this.status = {
      outDir: options.outDir,
      stream: state.stream,
      consumer: state.consumer,
      appliedSequence: state.applied.sequence,
      hosts: state.applied.topology.nodes.size,
      applied: 0,
      rejected: 0,
      filesWritten: 0,
      filesRemoved: 0,
      pendingHosts: Object.keys(state.pendingHosts ?? {}).sort(),
    };
  }

  /** Connects, makes sure streams and consumer exist, restores the state and registers the micro service. */
  static async start(options: TopologyServiceOptions): Promise<TopologyService> {
    const connection = await connectNats(options.url, { name: 'nixforge-serve' });
    const cleanup: Array<() => Promise<unknown>> = [() => connection.close()];
    try {
      const jsm = await jetstreamManager(connection);
      await ensureStreams(jsm, options.streams);
      const stream = streamName(options.streams, 'TOPOLOGY');
      const state = await TopologyService.restoreState(options, jsm, stream);
      const sink = await JetStreamSink.open({ url: options.url, streams: options.streams, onNotice: options.log });
      cleanup.unshift(() => sink.close());
      if (state.pending && state.pending.sequence === state.applied.sequence && state.pending.events.length > 0) {
        // Crashed after applying but maybe before publishing: publish again; repeated ids are dropped by JetStream.
        for (const event of state.pending.events) await sink.publish(event);
        await sink.flush();
      }
      // The service object exists only after registration; the handlers read it through this holder.
      const holder: { service?: TopologyService } = {};
      const micro = await new Svcm(connection as never).add({
        name: SERVICE_NAME,
        version: VERSION,
        description: 'nixforge topology service: applies topology events and regenerates the affected hosts',
        metadata: { outDir: options.outDir, stream, consumer: options.durable },
        statsHandler: async () => holder.service?.snapshot() ?? null,
      });
      micro.addEndpoint('status', {
        subject: STATUS_SUBJECT,
        handler: (error, message) => {
          if (error) return;
          message.respond(JSON.stringify(holder.service?.snapshot() ?? null));
        },
      });
      holder.service = new TopologyService(options, connection, sink, micro, state);
      return holder.service;
    } catch (error) {
      for (const step of cleanup) await step().catch(() => undefined);
      throw error;
    }
  }

  /**
   * The state of a previous run, or a fresh one. The state file is the source of truth for the position: the durable
   * consumer is created anew to start right after the last applied message, so a message a crashed run held
   * unacknowledged is delivered at once instead of after the ack wait, and a missing state rebuilds from the start.
   */
  private static async restoreState(options: TopologyServiceOptions, jsm: JetStreamManager, stream: string): Promise<ServeState> {
    const saved = await readServeState(options.outDir);
    const existing = await jsm.consumers.info(stream, options.durable).catch(() => undefined);
    if (existing !== undefined) {
      if (saved === undefined) options.log(`serve: no state in ${options.outDir}; rebuilding from the start of ${stream}`);
      await jsm.consumers.delete(stream, options.durable);
    }
    const start = saved === undefined ? 0 : saved.applied.sequence + 1;
    await jsm.consumers.add(stream, {
      durable_name: options.durable,
      ack_policy: AckPolicy.Explicit,
      filter_subject: TOPOLOGY_FILTER,
      max_ack_pending: 1,
      ack_wait: (options.ackWaitMs ?? 60_000) * 1_000_000,
      ...(start > 0 ? { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: start } : { deliver_policy: DeliverPolicy.All }),
    });
    return saved ?? { version: 1, stream, consumer: options.durable, applied: { sequence: 0, topology: emptyTopology() } };
  }

  /** Consumes until `signal` aborts, then stops the service and closes the connections. */
  async run(signal: AbortSignal): Promise<void> {
    const consumer = await jetstream(this.connection).consumers.get(this.state.stream, this.options.durable);
    const messages = await consumer.consume({ max_messages: 16 });
    const stop = () => {
      this.stopping = true;
      void messages.close();
    };
    signal.addEventListener('abort', stop, { once: true });
    if (signal.aborted) stop();
    try {
      for await (const message of messages) {
        if (this.stopping) {
          // Not processed: the server redelivers it to the next run.
          message.nak();
          break;
        }
        await this.handle(message);
      }
    } finally {
      signal.removeEventListener('abort', stop);
      await this.shutdown();
    }
  }

  snapshot(): ServiceStatus {
    return { ...this.status };
  }

  private async shutdown(): Promise<void> {
    await this.service.stop().catch(() => undefined);
    await this.sink.close();
    if (!this.connection.isClosed()) await this.connection.drain().catch(() => this.connection.close());
  }

  private async handle(message: JsMsg): Promise<void> {
    const sequence = message.seq;
    if (sequence <= this.state.applied.sequence) {
      await message.ackAck();
      return;
    }
    let parsed;
    let next: StagedTransition;
    let files;
    try {
      parsed = parseTopologyMessage(message.string(), message.subject);
      const applied = this.state.applied.topology;
      next = stageTopologyEvent({ state: applied, rendered: this.state.rendered ?? applied }, parsed.event);
      files = headerReady(next.rendered) ? renderTopology(next.rendered, { only: next.affectedHosts }) : [];
    } catch (error) {
      await this.reject(message, errorMessage(error));
      return;
    }
    try {
      const removeStale = next.affectedHosts.filter((host) => !next.rendered.nodes.has(host)).map(hostModulePath);
      const plan = await writeGeneratedFiles(this.options.outDir, files, { check: true, removeStale });
      const changed = new Set(plan.wouldChange);
      const reuse = this.state.pending?.sequence === sequence ? this.state.pending.events : undefined;
      // Before TopologyCreated names it, the topology is the one the consumed event is about.
      const project = next.state.name ?? (parsed.envelope?.subject ? subjectScope(parsed.envelope.subject) : basename(this.options.outDir));
      const pendingHosts = problemsByHost(next);
      const newlyPending = Object.entries(pendingHosts).filter(([host, problems]) => JSON.stringify(this.state.pendingHosts?.[host]) !== JSON.stringify(problems));
      let events = reuse;
      if (events === undefined) {
        const configs = generateConfigEvents(
          files.filter((file) => changed.has(file.path)).map((file) => ({ ...file, ...hostOf(file.path) })),
          { outDir: this.options.outDir, project, cause: parsed.envelope },
        );
        const cause = parsed.envelope ?? configs[0];
        const pendingEvents = newlyPending.map(([host, problems]) => pendingEvent(project, this.options.outDir, host, problems, cause));
        events = [...configs, ...pendingEvents];
      }
      if (events.length > 0 && reuse === undefined) await writeServeState(this.options.outDir, { ...this.state, pending: { sequence, events } });
      const written = await writeGeneratedFiles(this.options.outDir, files, { removeStale });
      const anyPending = next.pending.size > 0;
      this.state = {
        ...this.state,
        applied: { sequence, topology: next.state },
        pending: { sequence, events },
        rendered: anyPending ? next.rendered : undefined,
        pendingHosts: anyPending ? pendingHosts : undefined,
      };
      await writeServeState(this.options.outDir, this.state);
      const failedBefore = this.failedConfigEvents;
      for (const event of events) await this.sink.publish(event);
      this.failedConfigEvents = (await this.sink.flush()).failed;
      if (this.failedConfigEvents > failedBefore) {
        this.options.log(`serve: ${this.failedConfigEvents - failedBefore} generate event(s) of #${sequence} could not be published`);
      }
      for (const [host, problems] of newlyPending) {
        this.options.log(`serve: host ${host} pending after ${parsed.event.type} #${sequence} (its files are left as they were): ${problems.join('; ')}`);
      }
      for (const host of this.status.pendingHosts) {
        if (!(host in pendingHosts)) this.options.log(`serve: host ${host} is complete again after ${parsed.event.type} #${sequence}`);
      }
      this.status.pendingHosts = Object.keys(pendingHosts).sort();
      await message.ackAck();
      this.status.applied++;
      this.status.appliedSequence = sequence;
      this.status.hosts = next.state.nodes.size;
      this.status.filesWritten += written.written.length;
      this.status.filesRemoved += written.removed.length;
      const detail = next.affectedHosts.length > 0 ? ` (hosts: ${next.affectedHosts.join(', ')})` : '';
      this.options.log(`serve: applied ${parsed.event.type} #${sequence}: ${written.written.length} written, ${written.removed.length} removed${detail}`);
    } catch (error) {
      // Output could not be written (disk full, permissions): not acked, so it is retried after a pause.
      this.status.lastError = `#${sequence}: ${errorMessage(error)}`;
      this.options.log(`serve: cannot apply stream message #${sequence}, retrying in 5 s: ${errorMessage(error)}`);
      message.nak(5000);
    }
  }

  /** An event that cannot be applied: reported, recorded as handled and terminated, so it is never redelivered. */
  private async reject(message: JsMsg, problem: string): Promise<void> {
    const sequence = message.seq;
    const id = message.headers?.get('Nats-Msg-Id');
    const where = `stream message #${sequence} on ${message.subject}${id ? ` (event ${id})` : ''}`;
    this.status.rejected++;
    this.status.lastError = `${where}: ${problem}`;
    this.options.log(`serve: rejected ${where}: ${problem.replace(/\n/g, '; ')}`);
    this.state = { ...this.state, applied: { ...this.state.applied, sequence }, pending: undefined };
    await writeServeState(this.options.outDir, this.state);
    // No reason text: nats-server 2.9 does not understand "+TERM <reason>" and would leave the message pending.
    message.term();
  }
}

/** Problems of each pending host as `path: message` lines. */
function problemsByHost(transition: StagedTransition): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const host of [...transition.pending.keys()].sort()) {
    out[host] = transition.pending.get(host)!.map((issue) => (issue.path ? `${issue.path}: ${issue.message}` : issue.message));
  }
  return out;
}

/** One `nixforge.generate.pending` for a host held back, caused by the consumed event (or the run's first event). */
function pendingEvent(project: string, outDir: string, host: string, problems: string[], cause: Pick<NixforgeEvent, 'id' | 'correlationid'> | undefined): NixforgeEvent<GeneratePendingData> {
  const path = hostModulePath(host);
  return createEvent({
    type: EVENT_TYPES.generatePending,
    subject: `${project}/${path}`,
    data: { project, host, path, outDir, problems },
    correlationId: cause?.correlationid,
    causationId: cause?.id,
  });
}

function headerReady(state: TopologyState): boolean {
  return state.name !== undefined && state.domain !== undefined && state.defaults !== undefined;
}

/** `hosts/<name>/default.nix` belongs to host `<name>`. */
function hostOf(path: string): { host?: string } {
  const match = /^hosts\/([^/]+)\//.exec(path);
  return match ? { host: match[1]! } : {};
}
