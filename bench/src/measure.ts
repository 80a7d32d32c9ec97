import { Bench } from 'tinybench';

/** Options for one measured task: quick runs take one sample, full runs a few. */
export interface MeasureOptions {
  quick: boolean;
  /** Minimum samples in a full run (default 3). Macro tasks that take seconds use 1. */
  samples?: number;
  /** Milliseconds tinybench keeps sampling in a full run (default 0: just `samples`). */
  timeMs?: number;
}

/** Runs named tasks with tinybench, in order, and returns each task's mean latency in milliseconds. */
export async function measure(tasks: Array<[name: string, fn: () => unknown]>, options: MeasureOptions): Promise<Map<string, number>> {
  const bench = new Bench({
    iterations: options.quick ? 1 : (options.samples ?? 3),
    time: options.quick ? 0 : (options.timeMs ?? 0),
    warmup: !options.quick,
    warmupIterations: 1,
    warmupTime: 0,
    throws: true,
  });
  for (const [name, fn] of tasks) bench.add(name, fn);
  await bench.run();
  const means = new Map<string, number>();
  for (const task of bench.tasks) {
    const mean = task.result?.latency.mean;
    if (mean === undefined || !Number.isFinite(mean)) throw new Error(`benchmark task ${task.name} produced no timing`);
    means.set(task.name, mean);
  }
  return means;
}

/** MiB per second for `bytes` processed in `ms` milliseconds. */
export function mibPerSecond(bytes: number, ms: number): number {
  return bytes / 1048576 / (ms / 1000);
}

export function round(value: number, digits = 2): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
