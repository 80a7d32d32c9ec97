import { existsSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { sampleThreadCpu } from '../src/thread-cpu.js';

const BUSY_WORKER = `const end = Date.now() + 300; let x = 0; while (Date.now() < end) x += Math.sqrt(x + 1);`;

describe.runIf(existsSync('/proc/self/task'))('sampleThreadCpu', () => {
  it('counts a worker started after sampling began as a started thread, and this thread as main', async () => {
    const sampler = sampleThreadCpu(10)!;
    const end = Date.now() + 150;
    let x = 0;
    while (Date.now() < end) x += Math.sqrt(x + 1);
    const worker = new Worker(BUSY_WORKER, { eval: true });
    // Keep sampling while the worker runs: a thread that has exited is no longer listed.
    await new Promise((resolve) => setTimeout(resolve, 250));
    const totals = sampler.stop();
    await new Promise((resolve) => worker.on('exit', resolve));
    expect(x).toBeGreaterThan(0);
    expect(totals.started).toBeGreaterThan(0);
    expect(totals.main).toBeGreaterThan(0);
  });
});
