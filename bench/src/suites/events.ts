import { spawn } from 'node:child_process';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { connect } from '@nats-io/transport-node';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { createEvent, ensureStreams, natsSubjectOf, openEventSink, streamSettingsFromEnv } from '@nixforge/runner';
import type { Suite, SuiteResult } from '../suite.js';

/** Unacknowledged publishes the raw loop keeps in flight: the same bound as the pipeline's default. */
const WINDOW = 256;

interface RunningServer {
  url: string;
  stop(): Promise<void>;
}

/** A throwaway nats-server with JetStream on a random loopback port under `dir`. */
async function startServer(dir: string): Promise<RunningServer> {
  await rm(dir, { recursive: true, force: true });
  await mkdir(join(dir, 'store'), { recursive: true });
  const child = spawn('nats-server', ['-a', '127.0.0.1', '-p', '-1', '-js', '-sd', join(dir, 'store'), '--ports_file_dir', dir], { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  for (let waited = 0; waited < 15_000; waited += 25) {
    const ports = await readFile(join(dir, `nats-server_${child.pid}.ports`), 'utf8').catch(() => undefined);
    if (ports) {
      return {
        url: (JSON.parse(ports) as { nats: string[] }).nats[0]!,
        stop: async () => {
          child.kill('SIGTERM');
          await exited;
        },
      };
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  child.kill('SIGKILL');
  throw new Error('nats-server did not start within 15 s');
}

function makeEvent(round: string, i: number) {
  return createEvent({
    type: 'nixforge.scan.finding',
    subject: `bench-${round}/modules/m${i % 500}.nix`,
    data: { repository: `bench-${round}`, path: `modules/m${i % 500}.nix`, ruleId: 'lint/bench', severity: 'warning', message: `finding ${i}`, line: i, column: 1 },
  });
}

/** Our pipeline: the JetStream sink nixforge commands use (stream check, bounded window, checked acks, headers). */
/** Events per wall-clock second and per second of this process's CPU time. */
interface Rates {
  wall: number;
  cpu: number;
}

function startMeasure(): (count: number) => Rates {
  const wall = performance.now();
  const cpu = process.cpuUsage();
  return (count) => {
    const used = process.cpuUsage(cpu);
    return { wall: count / ((performance.now() - wall) / 1000), cpu: count / ((used.user + used.system) / 1e6) };
  };
}

async function pipelineRun(url: string, count: number, round: string): Promise<Rates> {
  // Connecting and the stream check happen once per run whatever its size: timed separately from the events.
  const sink = await openEventSink({ nats: url, env: {}, cwd: process.cwd() });
  const measure = startMeasure();
  for (let i = 0; i < count; i++) await sink.publish(makeEvent(round, i));
  const summary = await sink.close();
  if (summary.published !== count) throw new Error(`pipeline stored ${summary.published} of ${count} events`);
  return measure(count);
}

/** Baseline: a plain client loop (client defaults) with the same events, ids and window, acks awaited but nothing else. */
async function rawRun(url: string, count: number, round: string): Promise<Rates> {
  const connection = await connect({ servers: url });
  const js = jetstream(connection);
  const measure = startMeasure();
  let inflight = 0;
  let stored = 0;
  let failure: unknown;
  let slotFreed: (() => void) | undefined;
  const settle = () => {
    inflight--;
    slotFreed?.();
  };
  for (let i = 0; i < count; i++) {
    const event = makeEvent(round, i);
    inflight++;
    js.publish(natsSubjectOf(event), JSON.stringify(event), { msgID: event.id }).then(
      (ack) => {
        if (!ack.duplicate) stored++;
        settle();
      },
      (error: unknown) => {
        failure = error;
        settle();
      },
    );
    while (inflight >= WINDOW) await new Promise<void>((resolve) => (slotFreed = resolve));
  }
  while (inflight > 0) await new Promise<void>((resolve) => (slotFreed = resolve));
  if (failure !== undefined) throw failure;
  await connection.drain();
  const rates = measure(count);
  if (stored !== count) throw new Error(`raw loop stored ${stored} of ${count} events`);
  return rates;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

export const eventsSuite: Suite = {
  name: 'events',
  description: 'events/s through the JetStream publisher vs a raw @nats-io/jetstream publish loop, same server and run',
  async run({ quick, workDir }): Promise<SuiteResult> {
    const count = quick ? 3_000 : 10_000;
    const rounds = quick ? 1 : 9;
    const server = await startServer(join(workDir, 'events-nats'));
    try {
      const setup = await connect({ servers: server.url });
      await ensureStreams(await jetstreamManager(setup), streamSettingsFromEnv({}));
      await setup.close();
      // One warm-up of each, not measured: JIT, stream files, connection set-up.
      await rawRun(server.url, Math.min(count, 2_000), 'warm-raw');
      await pipelineRun(server.url, Math.min(count, 2_000), 'warm-pipeline');
      const raw: Rates[] = [];
      const pipeline: Rates[] = [];
      for (let round = 0; round < rounds; round++) {
        // Alternate the order so drift on the machine does not favour one side.
        if (round % 2 === 0) {
          raw.push(await rawRun(server.url, count, `raw${round}`));
          pipeline.push(await pipelineRun(server.url, count, `pipe${round}`));
        } else {
          pipeline.push(await pipelineRun(server.url, count, `pipe${round}`));
          raw.push(await rawRun(server.url, count, `raw${round}`));
        }
      }
      // Each round's two runs are back to back, so their ratio shares the machine's state; the median of the
      // per-round ratios is steadier on a busy machine than the ratio of the medians.
      const ratioOf = (kind: keyof Rates) => median(pipeline.map((rates, round) => rates[kind] / raw[round]![kind]));
      const ratio = ratioOf('wall');
      const cpuRatio = ratioOf('cpu');
      return {
        name: 'events',
        rows: [
          {
            subject: 'raw @nats-io/jetstream loop (baseline)',
            events: count,
            rounds,
            'events/s (median)': Math.round(median(raw.map((r) => r.wall))),
            'events per CPU-s (median)': Math.round(median(raw.map((r) => r.cpu))),
          },
          {
            subject: 'nixforge JetStream sink',
            events: count,
            rounds,
            'events/s (median)': Math.round(median(pipeline.map((r) => r.wall))),
            'events per CPU-s (median)': Math.round(median(pipeline.map((r) => r.cpu))),
          },
        ],
        ratios: { 'events/pipeline-vs-raw': Number(ratio.toFixed(3)), 'events/pipeline-vs-raw-cpu': Number(cpuRatio.toFixed(3)) },
        targets: { 'events/pipeline-vs-raw': { min: 0.7 } },
        notes: [
          `pipeline delivers ${(ratio * 100).toFixed(0)}% of the raw loop's events/s (median of ${rounds} per-round ratios; ${(cpuRatio * 100).toFixed(0)}% per client CPU second; window ${WINDOW}, msgID on both; the pipeline adds correlation/causation headers and outage bookkeeping, and turns off the client's per-request async stack traces, which the raw loop keeps as the client's default)`,
        ],
      };
    } finally {
      await server.stop();
    }
  },
};
