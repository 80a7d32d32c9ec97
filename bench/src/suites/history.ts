import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import type { Suite, SuiteResult } from '../suite.js';

/** The nixforge CLI of the built runner package (its `dist/index.js` sits beside `bin/`). */
function nixforgeBin(): string {
  return join(dirname(createRequire(import.meta.url).resolve('@nixforge/runner')), '..', 'bin', 'nixforge.js');
}

const GIT_LOG_ARGS = ['log', '--first-parent', '--no-renames', '--name-only', '--format=#%H', '--', '*.nix'];

function gitInstalled(): boolean {
  return spawnSync('git', ['--version'], { stdio: 'ignore' }).status === 0;
}

/** A small deterministic PRNG (mulberry32), so the synthetic repository is the same in every run. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function flakeLockText(revision: number, time: number): string {
  const locked = (name: string, offset: number) => ({
    locked: { lastModified: time - offset, narHash: `sha256-${name}${revision}`, owner: 'o', repo: name, rev: (revision * 7919 + offset).toString(16).padStart(40, '0'), type: 'github' },
    original: { owner: 'o', repo: name, type: 'github' },
  });
  return `${JSON.stringify({ nodes: { nixpkgs: locked('nixpkgs', 0), utils: locked('utils', 3600), root: { inputs: { nixpkgs: 'nixpkgs', utils: 'utils' } } }, root: 'root', version: 7 }, null, 2)}\n`;
}

/**
 * Builds a repository shaped like a busy Nix project with `git fast-import`: `files` modules in 20 folders,
 * `commits` first-parent commits touching 1 to 4 of them (sometimes renaming or deleting, sometimes only docs),
 * a merged side branch every 50 commits, flake.lock updates every 20; then repacks with delta chains as a
 * real clone has them.
 */
function buildSyntheticRepository(dir: string, commits: number, files: number): void {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  execFileSync('git', ['init', '-q', '--bare', dir]);
  const next = random(42);
  // Laid out like home-manager or nixos/modules: a few folders holding a hundred or more modules each.
  const paths = Array.from({ length: files }, (_, i) => `modules/c${i % 20}/m${i}.nix`);
  const version = new Map<string, number>();
  const chunks: string[] = [];
  const data = (text: string) => `data ${Buffer.byteLength(text)}\n${text}\n`;
  const content = (path: string, v: number) => `{ lib, ... }:\n{\n  # ${path}\n  options.x${v % 13} = lib.mkOption { default = ${v}; };\n${'  config.filler = [ 1 2 3 ];\n'.repeat(8)}}\n`;
  let time = 1_600_000_000;
  const header = (ref: string, mark: number, message: string) => {
    time += 3600;
    return `commit ${ref}\nmark :${mark}\nauthor Dev <dev@example.org> ${time} +0000\ncommitter Dev <dev@example.org> ${time} +0000\n${data(message)}`;
  };
  let mark = 1;
  chunks.push(header('refs/heads/main', mark, 'initial import'));
  for (const path of paths) chunks.push(`M 100644 inline ${path}\n${data(content(path, 0))}`);
  chunks.push(`M 100644 inline flake.lock\n${data(flakeLockText(0, time))}`, `M 100644 inline README.md\n${data('readme\n')}`);
  let mainMark = mark;
  for (let i = 1; i < commits; i++) {
    let merge = '';
    if (i % 50 === 0) {
      mark++;
      chunks.push(header('refs/heads/side', mark, `side work ${i}`), `from :${mainMark}\n`);
      chunks.push(`M 100644 inline modules/side/s${i}.nix\n${data(`{ side = ${i}; }\n`)}`);
      merge = `merge :${mark}\n`;
    }
    mark++;
    chunks.push(header('refs/heads/main', mark, `change ${i}`), `from :${mainMark}\n${merge}`);
    const roll = next();
    if (roll < 0.1) {
      chunks.push(`M 100644 inline docs/notes.md\n${data(`notes ${i}\n`)}`);
    } else if (roll < 0.13) {
      const from = paths[Math.floor(next() * paths.length)]!;
      const to = from.replace(/\.nix$/, `-r${i}.nix`);
      chunks.push(`R ${from} ${to}\n`);
      paths[paths.indexOf(from)] = to;
      version.set(to, version.get(from) ?? 0);
    } else {
      const count = 1 + Math.floor(next() * 4);
      for (let k = 0; k < count; k++) {
        const path = paths[Math.floor(next() * paths.length)]!;
        const v = (version.get(path) ?? 0) + 1;
        version.set(path, v);
        chunks.push(`M 100644 inline ${path}\n${data(content(path, v))}`);
      }
    }
    if (i % 20 === 0) chunks.push(`M 100644 inline flake.lock\n${data(flakeLockText(i, time))}`);
    mainMark = mark;
  }
  execFileSync('git', ['fast-import', '--quiet'], { cwd: dir, input: chunks.join(''), maxBuffer: 1 << 30 });
  execFileSync('git', ['symbolic-ref', 'HEAD', 'refs/heads/main'], { cwd: dir });
  execFileSync('git', ['repack', '-adq', '--depth=50', '--window=10'], { cwd: dir });
}

/**
 * CPU time (user + system, ms) of this process's waited-for children, from /proc/self/stat; undefined where
 * there is no /proc. On a busy machine wall time mostly measures waiting, CPU time the work itself.
 */
function childrenCpuMs(): number | undefined {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // After the command name: field 3 is index 0, so cutime (16) and cstime (17) are indexes 13 and 14.
    return ((Number(fields[13]) + Number(fields[14])) * 1000) / 100;
  } catch {
    return undefined;
  }
}

/** Runs a child process to completion: its wall time and, where measurable, its CPU time. */
function measure(run: () => void): { wallMs: number; cpuMs: number | undefined } {
  const cpuBefore = childrenCpuMs();
  const started = performance.now();
  run();
  const wallMs = performance.now() - started;
  const cpuAfter = childrenCpuMs();
  return { wallMs, cpuMs: cpuBefore === undefined || cpuAfter === undefined ? undefined : cpuAfter - cpuBefore };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Commit -> sorted unique paths, from `git log --name-only` output or from our ndjson events. */
function filesFromGitLog(text: string): Map<string, string> {
  const files = new Map<string, Set<string>>();
  let current = new Set<string>();
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) files.set(line.slice(1), (current = new Set()));
    else if (line !== '') current.add(line);
  }
  return new Map([...files].map(([commit, paths]) => [commit, [...paths].sort().join('\n')]));
}

function filesFromEvents(ndjson: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const line of ndjson.split('\n')) {
    if (line === '') continue;
    const event = JSON.parse(line) as { type: string; data: { commit: string; files: Array<{ path: string; oldPath?: string }> } };
    if (event.type !== 'nixforge.git.nixfiles.changed') continue;
    const paths = new Set<string>();
    for (const file of event.data.files) {
      paths.add(file.path);
      if (file.oldPath) paths.add(file.oldPath);
    }
    files.set(event.data.commit, [...paths].sort().join('\n'));
  }
  return files;
}

export const historySuite: Suite = {
  name: 'history',
  description: "`nixforge history` (first-parent, all commits, no state) against `git log --first-parent --no-renames --name-only -- '*.nix'` on the same repository",
  async run({ quick, workDir }): Promise<SuiteResult> {
    if (!gitInstalled()) {
      return { name: 'history', rows: [], ratios: {}, notes: ['git is not installed: no baseline and no synthetic repository; suite skipped'] };
    }
    const notes: string[] = [];
    let repository = process.env.NIXFORGE_BENCH_REPO;
    if (repository === undefined || repository === '') {
      const commits = quick ? 300 : 6000;
      const files = quick ? 200 : 3000;
      repository = join(workDir, `history-synthetic-v2-${commits}x${files}.git`);
      if (!existsSync(join(repository, 'objects', 'pack'))) buildSyntheticRepository(repository, commits, files);
      notes.push(`synthetic repository: ${commits} first-parent commits, ${files} modules in 20 folders, merges every 50 commits, repacked with --depth=50`);
      if (quick) notes.push('quick run: the history is too short for the ratio to mean much (Node startup dominates)');
    } else {
      notes.push(`repository from NIXFORGE_BENCH_REPO: ${repository}`);
    }
    const gitArgs = ['--git-dir', existsSync(join(repository, '.git')) ? join(repository, '.git') : repository, ...GIT_LOG_ARGS];
    const env = { ...process.env, NIXFORGE_EVENTS: 'off' };
    const bin = nixforgeBin();
    const ours = () => execFileSync(process.execPath, [bin, 'history', repository, '--no-state', '--format', 'ndjson'], { env, maxBuffer: 1 << 30 }).toString();
    const theirs = () => execFileSync('git', gitArgs, { maxBuffer: 1 << 30 }).toString();

    // Same answer first: the files per commit must match before timing means anything.
    const expected = filesFromGitLog(theirs());
    const actual = filesFromEvents(ours());
    let mismatches = 0;
    for (const [commit, paths] of expected) if (actual.get(commit) !== paths) mismatches++;
    for (const commit of actual.keys()) if (!expected.has(commit)) mismatches++;
    notes.push(`files per commit: ${expected.size - Math.min(mismatches, expected.size)} of ${expected.size} commits identical to git log (${mismatches} differ)`);

    const rounds = quick ? 1 : 5;
    const history: Array<ReturnType<typeof measure>> = [];
    const git: Array<ReturnType<typeof measure>> = [];
    for (let round = 0; round < rounds; round++) {
      git.push(measure(theirs));
      history.push(measure(ours));
    }
    const wall = (runs: typeof history) => median(runs.map((run) => run.wallMs));
    const cpu = (runs: typeof history) => (runs.some((run) => run.cpuMs === undefined) ? undefined : median(runs.map((run) => run.cpuMs!)));
    const row = (subject: string, runs: typeof history) => {
      const cpuMs = cpu(runs);
      return { subject, 'median wall ms': Math.round(wall(runs)), 'median cpu ms': cpuMs === undefined ? 'n/a' : Math.round(cpuMs), rounds };
    };
    const ratios: Record<string, number> = { 'history/git-log': Number((wall(history) / wall(git)).toFixed(2)) };
    const historyCpu = cpu(history);
    const gitCpu = cpu(git);
    if (historyCpu !== undefined && gitCpu !== undefined && gitCpu > 0) ratios['history/git-log (cpu)'] = Number((historyCpu / gitCpu).toFixed(2));
    notes.push(`nixforge history runs with its default --threads (the idle CPUs of ${availableParallelism()}, load average ${loadavg()[0]?.toFixed(1)} at the end); CPU time is summed over its threads`);
    return {
      name: 'history',
      rows: [
        row('nixforge history --format ndjson (process, incl. Node startup)', history),
        row("git log --first-parent --no-renames --name-only -- '*.nix'", git),
      ],
      ratios,
      targets: { 'history/git-log': { max: 5 } },
      notes,
    };
  },
};
