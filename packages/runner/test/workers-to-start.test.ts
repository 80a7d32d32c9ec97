import { describe, expect, it } from 'vitest';
import { workersToStart } from '../src/scan/run-scan.js';
import { makeTree } from './helpers/cli.js';

describe('workersToStart: the workers a scan starts before discovery', () => {
  const root = makeTree({ 'a.nix': '1\n', 'b.nix': '2\n', 'dir/c.nix': '3\n' });

  it('one per file argument when there are fewer files than threads (pre-commit passes files)', async () => {
    expect(await workersToStart({ targets: ['a.nix'] }, 4, root)).toBe(1);
    expect(await workersToStart({ targets: ['a.nix', 'b.nix'] }, 4, root)).toBe(2);
  });

  it('the thread count for a directory, a missing path, no target, or as many targets as threads', async () => {
    expect(await workersToStart({ targets: ['dir'] }, 4, root)).toBe(4);
    expect(await workersToStart({ targets: ['a.nix', 'missing.nix'] }, 4, root)).toBe(4);
    expect(await workersToStart({ targets: [] }, 4, root)).toBe(4);
    expect(await workersToStart({ targets: ['a.nix', 'b.nix'] }, 2, root)).toBe(2);
  });

  it('one per given input (--stdin), at least one', async () => {
    expect(await workersToStart({ targets: [], inputs: [{ absolutePath: '/x.nix', displayPath: 'x.nix', text: '1' }] }, 4, root)).toBe(1);
    expect(await workersToStart({ targets: [], inputs: [] }, 4, root)).toBe(1);
  });
});
