import { availableParallelism, loadavg } from 'node:os';
import { resolve } from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import type { CliIO } from '../io.js';
import { EXIT } from '../io.js';
import { parseCommandArgs } from './args.js';
import { UsageError } from '../errors.js';
import { commandHelp, HELP_FLAG, type FlagTable } from '../help.js';
import { createEvent, EVENT_TYPES, type NixforgeEvent, natsUrlFrom, formatPublishSummary, openEventSink } from '../events/index.js';
import { flakeLockUpdatedData, nixFilesChangedData, runHistory, FileCursorStore, openKvCursorStore, STATE_FILE, type HistoryCursorStore, formatEntry, formatReport } from '../history/index.js';
import { locateRepository } from '../git/index.js';

export const HISTORY_FLAGS = {
  branch: { type: 'string', arg: 'BRANCH', help: 'branch to walk (default: the branch HEAD points at)' },
  since: { type: 'string', arg: 'REV|DATE', help: 'only commits after REV, or committed on or after DATE (YYYY-MM-DD)' },
  until: { type: 'string', arg: 'REV|DATE', help: 'start at REV, or skip commits committed after DATE' },
  'all-parents': { type: 'boolean', help: 'include the commits of merged branches (default: first-parent history)' },
  format: { type: 'string', arg: 'FORMAT', help: 'ndjson (event envelopes), json (summary report) or text (timeline); default text' },
  events: { type: 'string', arg: 'FILE', help: 'write events to this NDJSON file' },
  nats: { type: 'string', arg: 'URL', help: 'publish events to NATS JetStream; the incremental cursor is kept in NATS KV' },
  'events-fallback': { type: 'string', arg: 'FILE', help: 'where events go when NATS cannot be reached' },
  'stale-after': { type: 'string', arg: 'DAYS', help: 'flake inputs pinned longer ago than this are stale (default 90)' },
  top: { type: 'string', arg: 'N', help: 'how many files and directories the report lists (default 10)' },
  threads: { type: 'string', arg: 'N', help: 'threads for diffing long histories (default: the idle CPUs, at least 1)' },
  full: { type: 'boolean', help: 'ignore the remembered last commit and walk the whole history' },
  'no-state': { type: 'boolean', help: 'neither read nor write the incremental state' },
  ...HELP_FLAG,
} as const satisfies FlagTable;

export const HISTORY_HELP = commandHelp({
  usage: 'Usage: nixforge history [REPO] [options]',
  about: `Emits events for how the Nix files and flake.lock of a Git repository evolved, commit by commit
(read from the Git objects; no git binary needed). REPO is a work tree or a bare repository (default: .).`,
  flags: HISTORY_FLAGS,
  notes: `Incremental: the last processed commit is remembered (NATS KV with --nats, else ${STATE_FILE} in the
repository), so a rerun walks only new commits; after a history rewrite it resumes from the merge base.`,
});

const FORMATS = ['ndjson', 'json', 'text'] as const;
type Format = (typeof FORMATS)[number];

export async function run(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, HISTORY_FLAGS);
  if (values.help) {
    io.stdout.write(HISTORY_HELP);
    return EXIT.clean;
  }
  if (positionals.length > 1) throw new UsageError(`expected at most one repository, got ${positionals.length}: ${positionals.join(' ')}`);
  const format = (values.format ?? 'text') as Format;
  if (!FORMATS.includes(format)) throw new UsageError(`--format: '${values.format}' is not one of ${FORMATS.join(', ')}`);
  const staleAfterDays = positiveNumber(values['stale-after'], '--stale-after', 90);
  const top = positiveNumber(values.top, '--top', 10);
  const threads = Math.floor(positiveNumber(values.threads, '--threads', idleCpus()));
  const repository = resolve(io.cwd, positionals[0] ?? '.');
  const warn = (line: string): void => void io.stderr.write(`${line}\n`);

  const natsUrl = natsUrlFrom(values.nats, io.env);
  let cursors: HistoryCursorStore | undefined;
  if (!values['no-state']) {
    const location = locateRepository(repository);
    cursors = natsUrl !== undefined ? await openKvCursorStore(natsUrl, io.env) : new FileCursorStore(resolve(location.dir ?? location.gitdir, STATE_FILE), warn);
  }
  let problems = 0;
  try {
    const result = await runHistory({
      repository,
      firstParent: !values['all-parents'],
      staleAfterDays,
      top,
      threads,
      ...(values.branch !== undefined ? { branch: values.branch } : {}),
      ...(values.since !== undefined ? { since: values.since } : {}),
      ...(values.until !== undefined ? { until: values.until } : {}),
      ...(cursors ? { cursors } : {}),
      ...(values.full ? { full: true } : {}),
      onProblem: (problem) => {
        problems++;
        warn(`history: commit ${problem.commit.slice(0, 12)}: ${problem.path}: ${problem.message}`);
      },
      onNotice: warn,
    });

    const sink = await openEventSink({
      ...(values.nats !== undefined ? { nats: values.nats } : {}),
      ...(values.events !== undefined ? { events: values.events } : {}),
      ...(values['events-fallback'] !== undefined ? { eventsFallback: values['events-fallback'] } : {}),
      env: io.env,
      cwd: io.cwd,
      notice: warn,
    });
    const correlationId = uuidv7();
    const subject = result.location.name;
    // Output is written in blocks: one write per line cost more than building the lines.
    let pending = '';
    const print = (text: string): void => {
      pending += text;
      if (pending.length >= 64 * 1024) {
        io.stdout.write(pending);
        pending = '';
      }
    };
    const emit = async (event: NixforgeEvent): Promise<void> => {
      if (format === 'ndjson') print(`${JSON.stringify(event)}\n`);
      await sink.publish(event);
    };
    for (const entry of result.entries) {
      if (format === 'text') print(formatEntry(entry));
      if (entry.files.length > 0) {
        await emit(createEvent({ type: EVENT_TYPES.gitNixFilesChanged, subject, data: nixFilesChangedData(entry), correlationId }));
      }
      if (entry.flakeLock) {
        await emit(createEvent({ type: EVENT_TYPES.gitFlakeLockUpdated, subject, data: flakeLockUpdatedData(entry), correlationId }));
      }
    }
    if (pending !== '') io.stdout.write(pending);
    const summary = await sink.close();
    if (sink.kind !== 'none') warn(formatPublishSummary(summary));
    if (format === 'json') io.stdout.write(`${JSON.stringify(result.report, null, 2)}\n`);
    if (format === 'text') io.stdout.write(formatReport(result.report));
    if (summary.failed > 0) {
      warn(`history: ${summary.failed} events could not be published; the incremental state was not advanced`);
      return EXIT.error;
    }
    await result.saveCursor();
    if (problems > 0) warn(`history: ${problems} problem${problems === 1 ? '' : 's'} reported above; those parts were skipped`);
    return EXIT.clean;
  } finally {
    await cursors?.close();
  }
}

/**
 * CPUs not already busy (count minus the 1-minute load average), at least 1. Diff workers pay for their own
 * startup and cold caches; measured on a 2-core machine under load, a second thread made the run slower.
 */
function idleCpus(): number {
  const cpus = availableParallelism();
  return Math.min(cpus, Math.max(1, Math.round(cpus - (loadavg()[0] ?? 0))));
}

function positiveNumber(text: string | undefined, flag: string, fallback: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) throw new UsageError(`${flag}: '${text}' is not a positive number`);
  return value;
}
