import { describe, expect, it } from 'vitest';
import { planBatches, workerMemoryLimitMb, type ScanInput } from '../src/scan/scan-files.js';

const file = (name: string, size?: number): ScanInput => ({ absolutePath: `/r/${name}`, displayPath: name, ...(size === undefined ? {} : { size }) });

describe('planBatches', () => {
  it('gives large files batches of their own, queued largest first, and keeps the rest in order', () => {
    const files = [file('a', 10), file('b', 2 << 20), file('c', 10), file('d'), file('e', 5 << 20), file('f', 10), file('g', 10)];
    const { batches, large, normal, isLarge } = planBatches(files, 2);
    expect(batches.map((batch) => batch.map((f) => f.displayPath))).toEqual([['a'], ['b'], ['c', 'd'], ['e'], ['f', 'g']]);
    expect(isLarge).toEqual([false, true, false, true, false]);
    expect(large).toEqual([3, 1]);
    expect(normal).toEqual([0, 2, 4]);
    // Emission order is the batches' order: every file exactly once, in input order.
    expect(batches.flat()).toEqual(files);
  });

  it('keeps plain batches when no size is known', () => {
    const files = ['a', 'b', 'c'].map((name) => file(name));
    const { batches, large, normal } = planBatches(files, 2);
    expect(batches.map((batch) => batch.length)).toEqual([2, 1]);
    expect(large).toEqual([]);
    expect(normal).toEqual([0, 1]);
  });
});

describe('workerMemoryLimitMb', () => {
  it('stays under the 2 GB limit from which V8 lets a heap grow to four times its live data', () => {
    const limit = workerMemoryLimitMb(1, {});
    expect(limit).toBeGreaterThanOrEqual(512);
    expect(limit).toBeLessThan(2048);
  });

  it('takes NIXFORGE_WORKER_MEMORY_MB when it is a whole number of at least 64', () => {
    expect(workerMemoryLimitMb(2, { NIXFORGE_WORKER_MEMORY_MB: '3000' })).toBe(3000);
    expect(workerMemoryLimitMb(2, { NIXFORGE_WORKER_MEMORY_MB: '12' })).toBeLessThan(2048);
  });
});
