import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './helpers/cli.js';
import { hasGit } from './history-fixture.js';
import { MIN_COMMITS_PER_THREAD, WORKER_FILE } from '../src/history/parallel-diff.js';

/** `commits` first-parent commits: the first adds 60 modules, the others change or rename one; built with git fast-import. */
function buildLongHistory(repository: string, commits: number): void {
  execFileSync('git', ['init', '-q', '--bare', repository]);
  const data = (text: string) => `data ${Buffer.byteLength(text)}\n${text}\n`;
  const paths = Array.from({ length: 60 }, (_, i) => `modules/g${i % 6}/m${i}.nix`);
  const chunks: string[] = [];
  for (let i = 0; i < commits; i++) {
    chunks.push(`commit refs/heads/main\ncommitter A <a@example.org> ${1_700_000_000 + i * 60} +0000\n${data(`change ${i}`)}`);
    const slot = (i * 7) % paths.length;
    if (i === 0) {
      for (const path of paths) chunks.push(`M 100644 inline ${path}\n${data(`{ path = "${path}"; }\n`)}`);
    } else if (i % 97 === 5) {
      const renamed = paths[slot]!.replace(/\.nix$/, `-${i}.nix`);
      chunks.push(`R ${paths[slot]} ${renamed}\n`);
      paths[slot] = renamed;
    } else {
      chunks.push(`M 100644 inline ${paths[slot]}\n${data(`{ version = ${i}; }\n`)}`);
    }
    if (i % 13 === 0) chunks.push(`M 100644 inline docs/n.md\n${data(`${i}\n`)}`);
  }
  execFileSync('git', ['fast-import', '--quiet'], { cwd: repository, input: chunks.join('') });
  execFileSync('git', ['symbolic-ref', 'HEAD', 'refs/heads/main'], { cwd: repository });
  execFileSync('git', ['repack', '-adq'], { cwd: repository });
}

describe.skipIf(!hasGit)('nixforge history with diff workers', () => {
  it('gives the same events with --threads 2 (worker threads) as with --threads 1, matching git log', async () => {
    expect(existsSync(WORKER_FILE), `${WORKER_FILE} is built by tsc -p tsconfig.build.json`).toBe(true);
    const repository = mkdtempSync(join(tmpdir(), 'nixforge-long-'));
    try {
      const commits = 2 * MIN_COMMITS_PER_THREAD + 100;
      buildLongHistory(repository, commits);
      const env = { ...process.env, NIXFORGE_EVENTS: 'off' };
      const dataOf = (stdout: string) =>
        stdout
          .trim()
          .split('\n')
          .map((line) => {
            const event = JSON.parse(line) as { type: string; data: { commit: string; files: Array<{ path: string; oldPath?: string }> } };
            return { type: event.type, data: event.data };
          });
      const single = await runCli(['history', repository, '--no-state', '--format', 'ndjson', '--threads', '1'], repository, { env });
      const parallel = await runCli(['history', repository, '--no-state', '--format', 'ndjson', '--threads', '2'], repository, { env });
      expect(parallel.code).toBe(0);
      const events = dataOf(parallel.stdout);
      expect(events).toEqual(dataOf(single.stdout));
      expect(events.length).toBe(commits);
      expect(events.filter((event) => event.data.files.some((file) => file.oldPath !== undefined)).length).toBeGreaterThan(20);

      const log = execFileSync('git', ['--git-dir', repository, 'log', '--first-parent', '--no-renames', '--name-only', '--format=#%H', '--', '*.nix'], { encoding: 'utf8' });
      const expected = new Map<string, string[]>();
      let current: string[] = [];
      for (const line of log.split('\n')) {
        if (line.startsWith('#')) expected.set(line.slice(1), (current = []));
        else if (line !== '') current.push(line);
      }
      const actual = new Map(events.map((event) => [event.data.commit, event.data.files.flatMap((file) => (file.oldPath ? [file.path, file.oldPath] : [file.path]))]));
      for (const [commit, paths] of expected) expect(actual.get(commit)?.sort()).toEqual(paths.sort());
      expect(actual.size).toBe(expected.size);
    } finally {
      rmSync(repository, { recursive: true, force: true });
    }
  });
});
