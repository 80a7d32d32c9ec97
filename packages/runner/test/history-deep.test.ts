import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './helpers/cli.js';
import { hasGit } from './history-fixture.js';

describe.skipIf(!hasGit)('nixforge history on deep trees', () => {
  it('diffs a file 20,000 directories deep without overflowing the stack', async () => {
    const repository = mkdtempSync(join(tmpdir(), 'nixforge-deep-'));
    try {
      execFileSync('git', ['init', '-q', '--bare', repository]);
      const path = `${'d/'.repeat(20_000)}x.nix`;
      const data = (text: string) => `data ${Buffer.byteLength(text)}\n${text}\n`;
      const commit = (time: number, message: string, content: string) =>
        `commit refs/heads/main\ncommitter A <a@example.org> ${time} +0000\n${data(message)}M 100644 inline ${path}\n${data(content)}`;
      execFileSync('git', ['fast-import', '--quiet'], { cwd: repository, input: commit(1_700_000_000, 'deep', '1\n') + commit(1_700_003_600, 'deeper', '2\n') });
      execFileSync('git', ['symbolic-ref', 'HEAD', 'refs/heads/main'], { cwd: repository });

      const run = await runCli(['history', repository, '--no-state', '--format', 'ndjson'], repository, { env: { ...process.env, NIXFORGE_EVENTS: 'off' } });
      expect(run.stderr).toBe('');
      const files = run.stdout
        .trim()
        .split('\n')
        .map((line) => (JSON.parse(line) as { data: { files: unknown[] } }).data.files);
      expect(files).toEqual([[{ path, change: 'added' }], [{ path, change: 'modified' }]]);
    } finally {
      rmSync(repository, { recursive: true, force: true });
    }
  });
});
