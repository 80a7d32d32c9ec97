import { afterAll, beforeAll } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { openSync, closeSync } from 'node:fs';
import { mkdtemp, readFile, rm, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The nats-server binary; NATS_SERVER overrides it. */
export const NATS_SERVER_BINARY = process.env.NATS_SERVER ?? 'nats-server';

/**
 * A real nats-server with JetStream on a random loopback port, in its own temp directory. `kill` + `restart` (or
 * `stop` + `restart`) brings it back on the same port with the same store, as a crashed server would come back.
 */
export interface NatsServerHandle {
  /** `nats://127.0.0.1:<port>`. */
  readonly url: string;
  readonly port: number;
  /** Temp directory holding the JetStream store, ports files and the server log. */
  readonly dir: string;
  /** Pid of the running process (undefined while stopped). */
  readonly pid: number | undefined;
  /** SIGTERM, wait for the exit. */
  stop(): Promise<void>;
  /** SIGKILL, wait for the exit: a crash. */
  kill(): Promise<void>;
  /** Starts again on the same port and store directory. */
  restart(): Promise<void>;
  /** Stops the server (if running) and deletes its directory. */
  dispose(): Promise<void>;
}

const STARTUP_TIMEOUT_MS = 15_000;

interface Running {
  child: ChildProcess;
  exited: Promise<void>;
  port: number;
}

async function launch(dir: string, port: number | undefined): Promise<Running> {
  const log = openSync(join(dir, 'server.log'), 'a');
  const args = ['-a', '127.0.0.1', '-p', String(port ?? -1), '-js', '-sd', join(dir, 'store'), '--ports_file_dir', dir];
  const child = spawn(NATS_SERVER_BINARY, args, { stdio: ['ignore', log, log] });
  closeSync(log);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const failed = new Promise<never>((_, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => reject(new Error(`nats-server exited during startup (code ${code}, signal ${signal}); see ${dir}/server.log`)));
  });
  failed.catch(() => undefined);
  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  const portsFile = join(dir, `nats-server_${child.pid}.ports`);
  while (true) {
    const ready = readFile(portsFile, 'utf8').then(
      (text) => JSON.parse(text) as { nats: string[] },
      () => undefined,
    );
    const ports = await Promise.race([ready, failed]);
    if (ports && ports.nats.length > 0) {
      const listening = Number(new URL(ports.nats[0]!).port);
      return { child, exited, port: listening };
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`nats-server did not write ${portsFile} within ${STARTUP_TIMEOUT_MS} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Starts a nats-server (JetStream on, random port unless `port` is given) in a fresh temp directory. */
export async function startNatsServer(options: { port?: number } = {}): Promise<NatsServerHandle> {
  const dir = await mkdtemp(join(tmpdir(), 'nixforge-nats-'));
  await mkdir(join(dir, 'store'));
  let running: Running | undefined = await launch(dir, options.port);
  const port = running.port;

  async function halt(signal: NodeJS.Signals): Promise<void> {
    if (running === undefined) return;
    const { child, exited } = running;
    running = undefined;
    if (child.exitCode === null && child.signalCode === null) {
      process.kill(child.pid!, signal);
      await exited;
    }
  }

  return {
    url: `nats://127.0.0.1:${port}`,
    port,
    dir,
    get pid() {
      return running?.child.pid;
    },
    stop: () => halt('SIGTERM'),
    kill: () => halt('SIGKILL'),
    async restart() {
      await halt('SIGTERM');
      // The old port can linger briefly after a kill; retry for a moment.
      for (let attempt = 0; ; attempt++) {
        try {
          running = await launch(dir, port);
          return;
        } catch (error) {
          if (attempt >= 20) throw error;
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      }
    },
    async dispose() {
      await halt('SIGTERM');
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** One message read back from a stream: its NATS subject, headers and parsed JSON body. */
export interface StoredMessage {
  subject: string;
  seq: number;
  headers: Record<string, string>;
  body: unknown;
}

/** Reads every message of a stream, in order, through an ordered consumer (for assertions). */
export async function readStream(url: string, stream: string): Promise<StoredMessage[]> {
  const { connect } = await import('@nats-io/transport-node');
  const { jetstream, jetstreamManager } = await import('@nats-io/jetstream');
  const connection = await connect({ servers: url });
  try {
    const total = (await (await jetstreamManager(connection)).streams.info(stream)).state.messages;
    const messages: StoredMessage[] = [];
    if (total === 0) return messages;
    const consumer = await jetstream(connection).consumers.get(stream);
    const iterator = await consumer.consume();
    for await (const message of iterator) {
      const headers: Record<string, string> = {};
      for (const [key, values] of message.headers ?? []) headers[key] = values[0] ?? '';
      messages.push({ subject: message.subject, seq: message.seq, headers, body: message.json() });
      if (messages.length >= total) break;
    }
    await iterator.close();
    return messages;
  } finally {
    await connection.close();
  }
}

/**
 * Starts one server and one scratch directory for the calling suite (beforeAll) and removes both (afterAll).
 * Read `server` and `work` inside tests, not at module level.
 */
export function useNatsServer(): { readonly server: NatsServerHandle; readonly work: string } {
  let server: NatsServerHandle | undefined;
  let work: string | undefined;
  beforeAll(async () => {
    server = await startNatsServer();
    work = await mkdtemp(join(tmpdir(), 'nixforge-nats-work-'));
  });
  afterAll(async () => {
    await server?.dispose();
    if (work) await rm(work, { recursive: true, force: true });
  });
  return {
    get server() {
      if (!server) throw new Error('useNatsServer: the server is only available inside tests');
      return server;
    },
    get work() {
      if (!work) throw new Error('useNatsServer: the work directory is only available inside tests');
      return work;
    },
  };
}
