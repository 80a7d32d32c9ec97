import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './helpers/cli.js';
import { FixtureRepo, flakeLock, hasGit } from './history-fixture.js';
import { validateEvent, type NixforgeEvent } from '../src/events/envelope.js';
import type { NixFilesChangedData, FlakeLockUpdatedData } from '../src/history/history-events.js';
import type { HistoryReport } from '../src/history/report.js';

const DAY = 86_400;
const noEvents = { env: { ...process.env, NIXFORGE_EVENTS: 'off' } };

async function history(args: string[], cwd: string) {
  return runCli(['history', ...args], cwd, noEvents);
}

function events(stdout: string): NixforgeEvent[] {
  return stdout
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => validateEvent(JSON.parse(line)));
}

function nixData(list: NixforgeEvent[]): NixFilesChangedData[] {
  return list.filter((event) => event.type === 'nixforge.git.nixfiles.changed').map((event) => event.data as NixFilesChangedData);
}

function lockData(list: NixforgeEvent[]): FlakeLockUpdatedData[] {
  return list.filter((event) => event.type === 'nixforge.git.flakelock.updated').map((event) => event.data as FlakeLockUpdatedData);
}

/** `git log --first-parent --no-renames --name-only -- '*.nix'` as commit -> sorted paths. */
function gitLogFiles(dir: string, extra: string[] = ['--first-parent']): Map<string, string[]> {
  const text = execFileSync('git', ['log', ...extra, '--no-renames', '--name-only', '--format=#%H', '--', '*.nix'], { cwd: dir, encoding: 'utf8' });
  const files = new Map<string, string[]>();
  let current: string[] = [];
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) files.set(line.slice(1), (current = []));
    else if (line !== '') current.push(line);
  }
  for (const [commit, paths] of files) files.set(commit, [...new Set(paths)].sort());
  return files;
}

/** Our events as commit -> sorted paths (a rename names both its old and new path, as `--no-renames` does). */
function eventFiles(list: NixforgeEvent[]): Map<string, string[]> {
  const files = new Map<string, string[]>();
  for (const data of nixData(list)) {
    const paths = new Set<string>();
    for (const file of data.files) {
      paths.add(file.path);
      if (file.oldPath) paths.add(file.oldPath);
    }
    files.set(data.commit, [...paths].sort());
  }
  return files;
}

const T0 = Date.UTC(2023, 5, 1) / 1000;
const NIXPKGS_1 = { rev: 'a'.repeat(40), lastModified: T0 };
const NIXPKGS_2 = { rev: 'b'.repeat(40), lastModified: T0 + 10 * DAY };
const HM = { rev: 'c'.repeat(40), lastModified: T0 + 5 * DAY, inputs: { nixpkgs: { rev: 'd'.repeat(40), lastModified: T0 + 4 * DAY } } };
const locked = (input: { rev: string; lastModified: number }) => ({ rev: input.rev, narHash: `sha256-${input.rev.slice(0, 8)}`, lastModified: input.lastModified });

describe.skipIf(!hasGit)('nixforge history', () => {
  const repo = hasGit ? new FixtureRepo() : (undefined as unknown as FixtureRepo);
  const c: Record<string, string> = {};

  beforeAll(() => {
    repo.write({ 'default.nix': '{ }: { }\n', 'lib/a.nix': '{ a = 1; }\n', 'README.md': 'hello\n', 'flake.lock': flakeLock({ nixpkgs: NIXPKGS_1 }) });
    c.init = repo.commit('init\n\nThe first commit.', 'Alice');
    repo.write({ 'lib/a.nix': '{ a = 2; }\n', 'lib/b.nix': '{ b = "moved later"; }\n', 'flake.lock': flakeLock({ nixpkgs: NIXPKGS_2, 'home-manager': HM }) });
    c.update = repo.commit('update inputs', 'Bob');
    repo.git('mv', 'lib/b.nix', 'lib/c.nix');
    repo.remove('default.nix');
    c.move = repo.commit('move b to c, drop default');
    repo.write({ 'README.md': 'hello again\n' });
    c.docs = repo.commit('docs only');
    repo.git('checkout', '-q', '-b', 'feature');
    repo.write({ 'modules/feature.nix': '{ feature = true; }\n' });
    c.feature = repo.commit('add a feature', 'Carol');
    repo.git('checkout', '-q', 'main');
    repo.write({ 'lib/a.nix': '{ a = 3; }\n' });
    c.tweak = repo.commit('tweak a');
    c.merge = repo.merge('feature', 'merge feature');
    repo.write({ 'flake.lock': flakeLock({ nixpkgs: NIXPKGS_2 }) });
    c.drop = repo.commit('drop home-manager');
  });

  afterAll(() => repo?.dispose());

  it('emits the exact nixfiles.changed events, first-parent, oldest first', async () => {
    const run = await history(['--format', 'ndjson', '--no-state'], repo.dir);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const list = events(run.stdout);
    expect(new Set(list.map((event) => event.correlationid)).size).toBe(1);
    expect(list.every((event) => event.subject === repo.dir.split('/').pop())).toBe(true);
    const changed = nixData(list);
    expect(changed.map((data) => data.commit)).toEqual([c.init, c.update, c.move, c.tweak, c.merge]);
    expect(changed[0]).toEqual({
      commit: c.init,
      parents: [],
      author: { name: 'Alice', email: 'alice@example.org' },
      time: new Date((Date.UTC(2024, 0, 1) / 1000 + DAY) * 1000).toISOString(),
      message: 'init\n\nThe first commit.\n',
      files: [
        { path: 'default.nix', change: 'added' },
        { path: 'lib/a.nix', change: 'added' },
      ],
    });
    expect(changed[1]!.parents).toEqual([c.init]);
    expect(changed[1]!.author).toEqual({ name: 'Bob', email: 'bob@example.org' });
    expect(changed[1]!.files).toEqual([
      { path: 'lib/a.nix', change: 'modified' },
      { path: 'lib/b.nix', change: 'added' },
    ]);
    expect(changed[2]!.files).toEqual([
      { path: 'default.nix', change: 'deleted' },
      { path: 'lib/c.nix', change: 'renamed', oldPath: 'lib/b.nix' },
    ]);
    expect(changed[3]!.files).toEqual([{ path: 'lib/a.nix', change: 'modified' }]);
    // A merge is compared with its first parent: the merged branch's file arrives with it.
    expect(changed[4]!.parents).toEqual([c.tweak, c.feature]);
    expect(changed[4]!.files).toEqual([{ path: 'modules/feature.nix', change: 'added' }]);
  });

  it('emits the exact flakelock.updated events: input added, updated, removed', async () => {
    const run = await history(['--format', 'ndjson', '--no-state'], repo.dir);
    const updates = lockData(events(run.stdout));
    expect(updates.map((data) => data.commit)).toEqual([c.init, c.update, c.drop]);
    expect(updates[0]!.inputs).toEqual([{ name: 'nixpkgs', change: 'added', to: locked(NIXPKGS_1) }]);
    expect(updates[1]).toEqual({
      commit: c.update,
      time: expect.any(String),
      inputs: [
        { name: 'home-manager', change: 'added', to: locked(HM) },
        { name: 'home-manager/nixpkgs', change: 'added', to: locked(HM.inputs.nixpkgs) },
        { name: 'nixpkgs', change: 'updated', from: locked(NIXPKGS_1), to: locked(NIXPKGS_2) },
      ],
    });
    expect(updates[2]!.inputs).toEqual([
      { name: 'home-manager', change: 'removed', from: locked(HM) },
      { name: 'home-manager/nixpkgs', change: 'removed', from: locked(HM.inputs.nixpkgs) },
    ]);
  });

  it('lists the same files per commit as git log --first-parent --no-renames --name-only', async () => {
    const run = await history(['--format', 'ndjson', '--no-state'], repo.dir);
    expect(eventFiles(events(run.stdout))).toEqual(gitLogFiles(repo.dir));
  });

  it('--all-parents includes merged commits and reports for a merge only what differs from every parent', async () => {
    const run = await history(['--format', 'ndjson', '--no-state', '--all-parents'], repo.dir);
    const changed = nixData(events(run.stdout));
    expect(changed.map((data) => data.commit)).toEqual([c.init, c.update, c.move, c.feature, c.tweak]);
    expect(changed[3]!.files).toEqual([{ path: 'modules/feature.nix', change: 'added' }]);
    // Without merges, the files per commit match git log over all commits.
    const all = gitLogFiles(repo.dir, []);
    all.delete(c.merge!);
    expect(eventFiles(events(run.stdout))).toEqual(all);
  });

  it('--since and --until take revisions and dates', async () => {
    const since = nixData(events((await history(['--format', 'ndjson', '--no-state', '--since', c.move!.slice(0, 8)], repo.dir)).stdout));
    expect(since.map((data) => data.commit)).toEqual([c.tweak, c.merge]);
    const until = nixData(events((await history(['--format', 'ndjson', '--no-state', '--until', 'main~3'], repo.dir)).stdout));
    expect(until.map((data) => data.commit)).toEqual([c.init, c.update, c.move]);
    // Commit n is dated 2024-01-01 + n days.
    const dated = nixData(events((await history(['--format', 'ndjson', '--no-state', '--since', '2024-01-03', '--until', '2024-01-07'], repo.dir)).stdout));
    expect(dated.map((data) => data.commit)).toEqual([c.update, c.move, c.tweak]);
    const branch = nixData(events((await history(['--format', 'ndjson', '--no-state', '--branch', 'feature'], repo.dir)).stdout));
    expect(branch.map((data) => data.commit)).toEqual([c.init, c.update, c.move, c.feature]);
  });

  it('--format json prints the report: input statistics, stale inputs, most changed files and directories', async () => {
    const now = Date.now();
    const run = await history(['--format', 'json', '--no-state', '--stale-after', '30', '--top', '2'], repo.dir);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as HistoryReport;
    expect(report.branch).toBe('refs/heads/main');
    expect(report.head).toBe(c.drop);
    expect(report.commits).toEqual({ walked: 7, nixChanges: 5, flakeLockUpdates: 3 });
    const nixpkgs = report.inputs.find((input) => input.name === 'nixpkgs')!;
    expect(nixpkgs).toMatchObject({ updates: 2, removed: false, stale: true, lockedAt: new Date(NIXPKGS_2.lastModified * 1000).toISOString() });
    expect(nixpkgs.meanIntervalDays).toBe(1);
    expect(nixpkgs.ageDays).toBeCloseTo((now / 1000 - NIXPKGS_2.lastModified) / DAY, 0);
    expect(report.inputs.find((input) => input.name === 'home-manager')).toMatchObject({ updates: 1, removed: true, stale: false });
    expect(report.staleInputs).toEqual(['nixpkgs']);
    expect(report.mostChangedFiles).toEqual([
      { path: 'lib/a.nix', changes: 3 },
      { path: 'default.nix', changes: 2 },
    ]);
    expect(report.mostChangedDirectories).toEqual([
      { path: 'lib', changes: 5 },
      { path: '.', changes: 2 },
    ]);
  });

  it('--format text prints a timeline and the report', async () => {
    const run = await history(['--format', 'text', '--no-state'], repo.dir);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`${c.move!.slice(0, 10)} Alice <alice@example.org>  move b to c, drop default`);
    expect(run.stdout).toContain('    R lib/b.nix -> lib/c.nix');
    expect(run.stdout).toContain('    D default.nix');
    expect(run.stdout).toContain(`    flake.lock: nixpkgs updated ${'a'.repeat(10)} -> ${'b'.repeat(10)}`);
    expect(run.stdout).toContain('most changed files:');
    expect(run.stdout).not.toContain('docs only');
  });

  it('reads bare repositories with packed refs and packfiles the same way', async () => {
    const bare = mkdtempSync(join(tmpdir(), 'nixforge-bare-'));
    try {
      execFileSync('git', ['clone', '-q', '--bare', repo.dir, join(bare, 'fixture.git')]);
      execFileSync('git', ['gc', '-q', '--aggressive'], { cwd: join(bare, 'fixture.git') });
      expect(existsSync(join(bare, 'fixture.git', 'packed-refs'))).toBe(true);
      const loose = await history(['--format', 'ndjson', '--no-state'], repo.dir);
      const packed = await history(['--format', 'ndjson', '--no-state'], join(bare, 'fixture.git'));
      expect(packed.code).toBe(0);
      const strip = (list: NixforgeEvent[]) => list.map((event) => ({ type: event.type, data: event.data }));
      expect(strip(events(packed.stdout))).toEqual(strip(events(loose.stdout)));
      expect(events(packed.stdout)[0]!.subject).toBe('fixture');
    } finally {
      rmSync(bare, { recursive: true, force: true });
    }
  });

  it('treats the oldest commits of a shallow clone as roots, as git log does', async () => {
    const shallow = mkdtempSync(join(tmpdir(), 'nixforge-shallow-'));
    try {
      execFileSync('git', ['clone', '-q', '--depth', '3', `file://${repo.dir}`, join(shallow, 'clone')]);
      const run = await history(['--format', 'ndjson', '--no-state'], join(shallow, 'clone'));
      expect(run.code).toBe(0);
      const list = events(run.stdout);
      expect(eventFiles(list)).toEqual(gitLogFiles(join(shallow, 'clone')));
      // The boundary commit has no parents here: all its Nix files count as added.
      const boundary = nixData(list)[0]!;
      expect(boundary.parents).toEqual([]);
      expect(boundary.files.every((file) => file.change === 'added')).toBe(true);
    } finally {
      rmSync(shallow, { recursive: true, force: true });
    }
  });

  it('reports errors clearly: unknown revision, not a repository, bad options', async () => {
    const unknown = await history(['--since', 'no-such-rev', '--no-state'], repo.dir);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("--since: unknown revision 'no-such-rev'");
    const notRepo = mkdtempSync(join(tmpdir(), 'nixforge-norepo-'));
    try {
      const run = await history([notRepo], notRepo);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('not a Git repository');
    } finally {
      rmSync(notRepo, { recursive: true, force: true });
    }
    const format = await history(['--format', 'xml'], repo.dir);
    expect(format.code).toBe(2);
    expect(format.stderr).toContain("--format: 'xml' is not one of ndjson, json, text");
    const branch = await history(['--branch', 'nope', '--no-state'], repo.dir);
    expect(branch.stderr).toContain("--branch: unknown branch 'nope'");
  });
});

describe.skipIf(!hasGit)('nixforge history, incremental', () => {
  it('remembers the last commit in .nixforge/history-state.json, walks only new commits, survives a rewrite', async () => {
    const repo = new FixtureRepo();
    try {
      repo.write({ 'a.nix': '1\n' });
      const first = repo.commit('one');
      repo.write({ 'a.nix': '2\n' });
      const second = repo.commit('two');

      const initial = await history(['--format', 'ndjson'], repo.dir);
      expect(nixData(events(initial.stdout)).map((data) => data.commit)).toEqual([first, second]);
      const state = JSON.parse(readFileSync(join(repo.dir, '.nixforge', 'history-state.json'), 'utf8'));
      // The state is local: it ignores itself so `git add -A` does not commit it.
      expect(repo.git('status', '--porcelain')).toBe('');
      expect(Object.values(state.cursors).map((cursor) => (cursor as { commit: string }).commit)).toEqual([second]);

      const again = await history(['--format', 'ndjson'], repo.dir);
      expect(events(again.stdout)).toEqual([]);
      expect(again.stderr).toContain(`resuming after ${second.slice(0, 12)}`);

      repo.write({ 'b.nix': '3\n' });
      const third = repo.commit('three');
      const next = await history(['--format', 'ndjson'], repo.dir);
      expect(nixData(events(next.stdout)).map((data) => data.commit)).toEqual([third]);

      // Rewrite: drop "three", commit something else on top of "two".
      repo.git('reset', '-q', '--hard', second);
      repo.write({ 'c.nix': '4\n' });
      const replacement = repo.commit('replacement');
      const rewritten = await history(['--format', 'json'], repo.dir);
      const report = JSON.parse(rewritten.stdout) as HistoryReport;
      expect(report.rewritten).toContain(`history was rewritten: ${third.slice(0, 12)} is no longer on refs/heads/main; resuming from the merge base ${second.slice(0, 12)}`);
      expect(rewritten.stderr).toContain('history was rewritten');
      expect(report.commits.walked).toBe(1);

      const full = await history(['--format', 'ndjson', '--full'], repo.dir);
      expect(nixData(events(full.stdout)).map((data) => data.commit)).toEqual([first, second, replacement]);
    } finally {
      repo.dispose();
    }
  });

  it('a broken state file or flake.lock is reported with its name and the run goes on', async () => {
    const repo = new FixtureRepo();
    try {
      repo.write({ 'a.nix': '1\n', 'flake.lock': '{ "nodes": ' });
      const first = repo.commit('broken lock');
      repo.write({ 'a.nix': '2\n', 'flake.lock': flakeLock({ nixpkgs: NIXPKGS_1 }) });
      const second = repo.commit('fixed lock');
      writeFileSync(join(repo.dir, '.nixforge-placeholder'), '');
      execFileSync('mkdir', ['-p', join(repo.dir, '.nixforge')]);
      writeFileSync(join(repo.dir, '.nixforge', 'history-state.json'), 'not json');
      const run = await history(['--format', 'ndjson'], repo.dir);
      expect(run.code).toBe(0);
      expect(run.stderr).toContain('history-state.json: ignoring the history state');
      expect(run.stderr).toContain(`commit ${first.slice(0, 12)}: flake.lock: not valid JSON`);
      const list = events(run.stdout);
      expect(nixData(list).map((data) => data.commit)).toEqual([first, second]);
      // The lock of "fixed lock" cannot be compared with the broken one, so no update event is made up.
      expect(lockData(list)).toEqual([]);
    } finally {
      repo.dispose();
    }
  });

  it('a missing tree object is reported for its commit and the other commits still get their events', async () => {
    const repo = new FixtureRepo();
    try {
      repo.write({ 'top.nix': '1\n' });
      const first = repo.commit('one');
      repo.write({ 'lib/x.nix': 'only in two\n' });
      const second = repo.commit('two');
      repo.write({ 'top.nix': '3\n' });
      repo.remove('lib/x.nix');
      const third = repo.commit('three');
      const libTree = repo.git('rev-parse', `${second}:lib`).trim();
      rmSync(join(repo.dir, '.git', 'objects', libTree.slice(0, 2), libTree.slice(2)));
      const run = await history(['--format', 'ndjson', '--no-state'], repo.dir);
      expect(run.code).toBe(0);
      expect(run.stderr).toContain(`commit ${second.slice(0, 12)}: (tree): cannot diff this commit`);
      expect(run.stderr).toContain(`commit ${third.slice(0, 12)}: (tree): cannot diff this commit`);
      expect(nixData(events(run.stdout)).map((data) => data.commit)).toEqual([first]);
    } finally {
      repo.dispose();
    }
  });
});
