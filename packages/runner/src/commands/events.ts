import { resolve } from 'node:path';
import { parseCommandArgs } from './args.js';
import { UsageError } from '../errors.js';
import { commandHelp, HELP_FLAG, type FlagTable } from '../help.js';
import { EXIT, type CliIO } from '../io.js';
import { connectNats, natsUrlFrom, formatPublishSummary, openEventSink, replayLog, tailEvents, type TailFormat, commandSignal } from '../events/index.js';

const REPLAY_FLAGS = {
  nats: { type: 'string', arg: 'URL', help: 'NATS server (default: $NIXFORGE_NATS_URL)' },
  ...HELP_FLAG,
} as const satisfies FlagTable;

const TAIL_FLAGS = {
  ...REPLAY_FLAGS,
  subject: { type: 'string', default: 'nixforge.>', arg: 'SUBJECT', help: 'tail: the subjects to print (default nixforge.>)' },
  format: { type: 'string', default: 'ndjson', arg: 'FORMAT', help: 'tail: ndjson (default) or text' },
} as const satisfies FlagTable;

export const EVENTS_HELP = commandHelp({
  usage: `Usage: nixforge events <replay|tail> [options]

  nixforge events replay FILE [--nats URL]
      Publish every event of an NDJSON event log to JetStream with its original id. Replaying the same log again
      adds nothing (JetStream drops repeated ids inside the streams' duplicate window, 24h by default).
      Invalid lines are reported as FILE:LINE and skipped; the exit code is then 2.

  nixforge events tail [--nats URL] [--subject SUBJECT] [--format ndjson|text]
      Print events as they arrive until interrupted (SIGINT/SIGTERM). SUBJECT may use NATS wildcards
      (default: nixforge.>), e.g. nixforge.scan.finding.home-manager or 'nixforge.git.>'.`,
  flags: { nats: TAIL_FLAGS.nats, subject: TAIL_FLAGS.subject, format: TAIL_FLAGS.format, help: TAIL_FLAGS.help },
});

export async function run(args: string[], io: CliIO): Promise<number> {
  const [action, ...rest] = args;
  if (action === undefined || action === '--help' || action === '-h') {
    io.stdout.write(EVENTS_HELP);
    return action === undefined ? EXIT.error : EXIT.clean;
  }
  if (action === 'replay') return replay(rest, io);
  if (action === 'tail') return tail(rest, io);
  throw new UsageError(`unknown action '${action}' (expected replay or tail)`);
}

function requireNats(flag: string | undefined, io: CliIO): string {
  const url = natsUrlFrom(flag, io.env);
  if (url === undefined) throw new UsageError('--nats URL is required (or set NIXFORGE_NATS_URL)');
  return url;
}

async function replay(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, REPLAY_FLAGS);
  if (values.help) {
    io.stdout.write(EVENTS_HELP);
    return EXIT.clean;
  }
  if (positionals.length !== 1) throw new UsageError(`replay takes exactly one FILE, got ${positionals.length}`);
  const file = resolve(io.cwd, positionals[0]!);
  const sink = await openEventSink({ nats: requireNats(values.nats, io), env: io.env, cwd: io.cwd, notice: (line) => io.stderr.write(`${line}\n`) });
  let invalid = 0;
  try {
    invalid = (await replayLog(file, sink, ({ line, problem }) => io.stderr.write(`${positionals[0]}:${line}: ${problem}\n`))).invalid;
  } finally {
    const summary = await sink.close();
    io.stderr.write(`${formatPublishSummary(summary)}\n`);
    for (const reason of sink.failureReasons ?? []) io.stderr.write(`events: failed: ${reason}\n`);
    if (summary.failed > 0) invalid++;
  }
  if (invalid > 0) io.stderr.write(`nixforge events replay: ${invalid} line(s) of ${positionals[0]} were not published\n`);
  return invalid > 0 ? EXIT.error : EXIT.clean;
}

async function tail(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, TAIL_FLAGS);
  if (values.help) {
    io.stdout.write(EVENTS_HELP);
    return EXIT.clean;
  }
  if (positionals.length > 0) throw new UsageError(`tail takes no positional arguments, got '${positionals[0]}'`);
  const subject = values.subject.trim();
  if (subject === '' || /\s/.test(subject) || subject.split('.').some((token) => token === '')) {
    throw new UsageError(`--subject: '${values.subject}' is not a NATS subject (dot-separated tokens, wildcards * and >)`);
  }
  if (values.format !== 'ndjson' && values.format !== 'text') throw new UsageError(`--format: expected ndjson or text, got '${values.format}'`);
  const url = requireNats(values.nats, io);
  const connection = await connectNats(url, { name: 'nixforge-tail' });
  const { signal, dispose } = commandSignal(io);
  try {
    await tailEvents(connection, subject, (line) => io.stdout.write(`${line}\n`), {
      format: values.format as TailFormat,
      signal,
      onReady: () => io.stderr.write(`events: listening on ${subject} at ${url}\n`),
    });
  } finally {
    dispose();
    if (!connection.isClosed()) await connection.close();
  }
  return EXIT.clean;
}
