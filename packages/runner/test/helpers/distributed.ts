import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The built CLI (tests of real processes run dist/, like a user's install). */
export const NIXFORGE_BIN = fileURLToPath(new URL('../../bin/nixforge.js', import.meta.url));
export const DISTRIBUTED_PLUGIN = fileURLToPath(new URL('../plugins/distributed.mjs', import.meta.url));

export interface CliProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  /** Resolves with the exit code (or the signal's name) once the process ended. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stdout(): string;
  stderr(): string;
}

/** Starts `nixforge ARGS` as a real process. */
export function startCli(args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): CliProcess {
  const child = spawn(process.execPath, [NIXFORGE_BIN, ...args], {
    cwd: options.cwd,
    env: { ...process.env, NIXFORGE_EVENTS: 'off', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout!.on('data', (chunk: Buffer) => out.push(chunk));
  child.stderr!.on('data', (chunk: Buffer) => err.push(chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('close', (code, signal) => resolve({ code, signal })),
  );
  return {
    child,
    pid: child.pid!,
    exited,
    stdout: () => Buffer.concat(out).toString('utf8'),
    stderr: () => Buffer.concat(err).toString('utf8'),
  };
}

/** Runs `nixforge ARGS` to the end. */
export async function runCliProcess(args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const process = startCli(args, options);
  const { code } = await process.exited;
  return { code, stdout: process.stdout(), stderr: process.stderr() };
}

/** A set of `nixforge worker` processes; `respawn` replaces any that die (as systemd's Restart=always would). */
export class WorkerFleet {
  readonly workers: CliProcess[] = [];
  private stopped = false;
  deaths = 0;

  constructor(
    private readonly url: string,
    private readonly options: { cwd: string; env?: NodeJS.ProcessEnv; args?: string[]; respawn?: boolean },
  ) {}

  start(name: string): CliProcess {
    const worker = startCli(['worker', '--nats', this.url, '--threads', '1', '--name', name, ...(this.options.args ?? [])], this.options);
    this.workers.push(worker);
    void worker.exited.then(() => {
      if (this.stopped) return;
      this.deaths += 1;
      if (this.options.respawn && this.deaths < 20) this.start(`${name}r`);
    });
    return worker;
  }

  /** Waits until every started worker has said it is pulling work. */
  async ready(): Promise<void> {
    const deadline = Date.now() + 15_000;
    while (!this.workers.every((w) => w.stderr().includes('pulling from'))) {
      if (Date.now() > deadline) throw new Error(`workers did not start: ${this.workers.map((w) => w.stderr()).join('\n')}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const worker of this.workers) if (worker.child.exitCode === null && worker.child.signalCode === null) worker.child.kill('SIGKILL');
    await Promise.all(this.workers.map((w) => w.exited));
  }
}

/** A tree of small Nix files with findings of several plugins; `marked` files get the given marker comments. */
export function sampleTree(count: number, marked: Record<number, string> = {}): Record<string, string> {
  const files: Record<string, string> = {};
  for (let i = 0; i < count; i += 1) {
    const marker = marked[i] !== undefined ? `# ${marked[i]}\n` : '';
    files[`pkgs/p${String(i).padStart(3, '0')}/default.nix`] =
      `${marker}{ lib, stdenv, fetchurl }:\nlet unused${i} = ${i}; in\nstdenv.mkDerivation {\n  pname = "p${i}";\n  version = (${i});\n  src = fetchurl { url = "http://example.org/p${i}.tar.gz"; sha256 = "0000"; };\n}\n`;
  }
  return files;
}
