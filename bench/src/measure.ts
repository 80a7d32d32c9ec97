import { Bench } from 'tinybench';

/** Options for one measured task: quick runs take one sample, full runs a few. */
export interface MeasureOptions {
  quick: boolean;
  /** Minimum samples in a full run (default 3). Macro tasks that take seconds use 1. */
  samples?: number;
  /** Milliseconds tinybench keeps sampling in a full run (default 0: just `samples`). */
  timeMs?: number;
}

/** Mean time of one task: wall clock and CPU time of the whole process (all threads). */
export interface Timing {
  wallMs: number;
  /**
   * CPU time (user + system) of this process, worker threads included. Other load on the machine stretches
   * wall time but hardly CPU time, so ratios of CPU times hold on a busy machine.
   */
  cpuMs: number;
}

/** Runs named tasks with tinybench, in order, and returns each task's mean wall-clock latency in milliseconds. */
export async function measure(tasks: Array<[name: string, fn: () => unknown]>, options: MeasureOptions): Promise<Map<string, number>> {
  const timings = await measureTimings(tasks, options);
  return new Map([...timings].map(([name, timing]) => [name, timing.wallMs]));
}

/** Runs named tasks with tinybench, in order, and returns each task's mean wall and CPU time. */
export async function measureTimings(tasks: Array<[name: string, fn: () => unknown]>, options: MeasureOptions): Promise<Map<string, Timing>> {
  const bench = new Bench({
    iterations: options.quick ? 1 : (options.samples ?? 3),
    time: options.quick ? 0 : (options.timeMs ?? 0),
    warmup: !options.quick,
    warmupIterations: 1,
    warmupTime: 0,
    throws: true,
  });
  const cpuSamples = new Map<string, number[]>();
  for (const [name, fn] of tasks) {
    const samples: number[] = [];
    cpuSamples.set(name, samples);
    bench.add(name, async () => {
      const before = process.cpuUsage();
      await fn();
      const used = process.cpuUsage(before);
      samples.push((used.user + used.system) / 1000);
    });
  }
  await bench.run();
  const timings = new Map<string, Timing>();
  for (const task of bench.tasks) {
    const latency = task.result?.latency;
    if (!latency || !Number.isFinite(latency.mean)) throw new Error(`benchmark task ${task.name} produced no timing`);
    // Warm-up calls come first; the measured ones are the last `samples.length` calls.
    const cpu = cpuSamples.get(task.name)!.slice(-latency.samples.length);
    timings.set(task.name, { wallMs: latency.mean, cpuMs: cpu.reduce((a, b) => a + b, 0) / cpu.length });
  }
  return timings;
}

/** MiB per second for `bytes` processed in `ms` milliseconds. */
export function mibPerSecond(bytes: number, ms: number): number {
  return bytes / 1048576 / (ms / 1000);
}

export function round(value: number, digits = 2): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
