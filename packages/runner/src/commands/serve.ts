import { resolve } from 'node:path';
import { parseCommandArgs } from './args.js';
import { UsageError } from '../errors.js';
import { commandHelp, HELP_FLAG, type FlagTable } from '../help.js';
import { EXIT, type CliIO } from '../io.js';
import { commandSignal, natsUrlFrom, streamSettingsFromEnv } from '../events/index.js';
import { DEFAULT_DURABLE, SERVE_STATE_FILE, STATUS_SUBJECT, TopologyService } from '../events/serve/index.js';

export const SERVE_FLAGS = {
  nats: { type: 'string', arg: 'URL', help: 'NATS server (default: $NIXFORGE_NATS_URL)' },
  out: { type: 'string', arg: 'DIR', help: 'output directory (required)' },
  durable: { type: 'string', default: DEFAULT_DURABLE, arg: 'NAME', help: `durable consumer name, one per output directory (default: ${DEFAULT_DURABLE})` },
  ...HELP_FLAG,
} as const satisfies FlagTable;

export const SERVE_HELP = commandHelp({
  usage: 'Usage: nixforge serve --nats URL --out DIR [options]',
  about: `Run the topology service: consume topology events (nixforge.topology.<Type>, e.g. nixforge.topology.NodeAdded)
from a durable JetStream consumer, regenerate the affected hosts under DIR, acknowledge each event once its
output is written, and publish one nixforge.generate.config event per written file. Events may be plain
CloudEvents 1.0 from any producer, in any causal order: a host an event leaves inconsistent is pending (stderr and
a nixforge.generate.pending event; its files stay as they were) until the event that completes it. The state is kept in
DIR/${SERVE_STATE_FILE}; a restart resumes after the last applied event. Stops cleanly on SIGINT/SIGTERM.
It registers as the NATS micro service 'nixforge-serve' (ping, info, stats; status on ${STATUS_SUBJECT}).`,
  flags: SERVE_FLAGS,
});

export async function run(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, SERVE_FLAGS);
  if (values.help) {
    io.stdout.write(SERVE_HELP);
    return EXIT.clean;
  }
  if (positionals.length > 0) throw new UsageError(`serve takes no positional arguments, got '${positionals[0]}'`);
  const url = natsUrlFrom(values.nats, io.env);
  if (url === undefined) throw new UsageError('--nats URL is required (or set NIXFORGE_NATS_URL)');
  if (values.out === undefined || values.out.trim() === '') throw new UsageError('--out DIR is required');
  if (!/^[A-Za-z0-9_-]+$/.test(values.durable)) throw new UsageError(`--durable: '${values.durable}' may only contain letters, digits, '_' and '-'`);

  const log = (line: string) => io.stderr.write(`${line}\n`);
  const { signal, dispose } = commandSignal(io);
  try {
    const service = await TopologyService.start({
      url,
      outDir: resolve(io.cwd, values.out),
      durable: values.durable,
      streams: streamSettingsFromEnv(io.env),
      log,
    });
    log(`serve: consuming nixforge.topology.> at ${url} into ${resolve(io.cwd, values.out)}`);
    await service.run(signal);
    const status = service.snapshot();
    log(`serve: stopped after ${status.applied} applied and ${status.rejected} rejected event(s); last stream message #${status.appliedSequence}`);
  } finally {
    dispose();
  }
  return EXIT.clean;
}
