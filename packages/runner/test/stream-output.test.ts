import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { streamOutput } from '../src/output.js';

/** A stream whose reader goes away at the `failAt`-th write: that write and every later one fail with EPIPE. */
function closingReader(failAt: number): { stream: Writable; received: string[] } {
  const received: string[] = [];
  let writes = 0;
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      writes += 1;
      if (writes >= failAt) {
        setImmediate(() => callback(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' })));
        return;
      }
      received.push(chunk.toString());
      callback();
    },
  });
  return { stream, received };
}

describe('a report on stdout', () => {
  it('commits when every write reached the reader', async () => {
    const { stream, received } = closingReader(Infinity);
    const output = streamOutput(stream);
    await output.write('a');
    await output.write('b');
    await expect(output.commit()).resolves.toBeUndefined();
    expect(received.join('')).toBe('ab');
  });

  it('fails the commit with EPIPE when the reader went away during the last write', async () => {
    const { stream } = closingReader(2);
    stream.on('error', () => {});
    const output = streamOutput(stream);
    await output.write('a');
    await output.write('b'); // accepted into the buffer; its failure is reported after this returns
    await expect(output.commit()).rejects.toMatchObject({ code: 'EPIPE' });
  });
});
