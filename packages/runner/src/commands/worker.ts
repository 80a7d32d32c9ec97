import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { parseCommandArgs } from './args.js';
import { UsageError } from '../errors.js';
import { commandHelp, HELP_FLAG, type FlagTable } from '../help.js';
import { EXIT, type CliIO } from '../io.js';
import { natsUrlFrom, parseDuration, commandSignal } from '../events/index.js';
import { loadConfiguredPlugins } from '../config/index.js';
import { defaultThreads } from '../scan/index.js';
import { pluginIdentities, WORKER_SERVICE_NAME, WorkerService, WORK_STREAM, workQueueSettingsFromEnv } from '../distributed/index.js';
import { parsePositiveInteger } from './scan.js';

export const WORKER_FLAGS = {
  nats: { type: 'string', arg: 'URL', help: 'NATS server (default: $NIXFORGE_NATS_URL)' },
  threads: { type: 'string', arg: 'N', help: 'worker threads (default: number of cores)' },
  name: { type: 'string', arg: 'NAME', help: 'name in stats and progress (default: <hostname>-<pid>)' },
  'in-flight': { type: 'string', arg: 'N', help: 'work items held at once (default: 2 x threads)' },
  'shared-root': { type: 'string', arg: 'DIR', help: "this machine's checkout for scans run with --shared-root (default: the coordinator's path)" },
  config: { type: 'string', arg: 'FILE', help: 'load plugins from FILE (as `nixforge scan --config`); rules come from each work item' },
  plugin: { type: 'string', multiple: true, arg: 'PATH', help: "load a plugin module (repeatable); the plugin set must equal the scan's" },
  ...HELP_FLAG,
} as const satisfies FlagTable;

export const WORKER_HELP = commandHelp({
  usage: 'Usage: nixforge worker --nats URL [options]',
  about: `Analyse work items of distributed scans (\`nixforge scan --distributed\`): pull them from the JetStream work queue
${WORK_STREAM} (subjects nixforge.work.>), analyse them with the same engine as a local scan, publish the reports
and acknowledge. Registers as the NATS micro service '${WORKER_SERVICE_NAME}' (ping, info, stats). On SIGTERM or
SIGINT it stops taking work, finishes what it holds (up to NIXFORGE_WORKER_GRACE, default 20s) and gives the rest back.`,
  flags: WORKER_FLAGS,
  notes: `Environment: NIXFORGE_WORK_ACK_WAIT (30s), NIXFORGE_WORK_MAX_DELIVER (3), NIXFORGE_WORK_MAX_AGE (6h), NIXFORGE_WORKER_GRACE (20s),
NIXFORGE_RESULT_CACHE_TTL (7d: lifetime of entries in the shared result cache, bucket nixforge_results).`,
});

export async function run(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, WORKER_FLAGS);
  if (values.help) {
    io.stdout.write(WORKER_HELP);
    return EXIT.clean;
  }
  if (positionals.length > 0) throw new UsageError(`worker takes no positional arguments, got '${positionals[0]}'`);
  const url = natsUrlFrom(values.nats, io.env);
  if (url === undefined) throw new UsageError('--nats URL is required (or set NIXFORGE_NATS_URL)');
  const threads = parsePositiveInteger('--threads', values.threads) ?? defaultThreads();
  const inFlight = parsePositiveInteger('--in-flight', values['in-flight']);
  const name = values.name ?? `${hostname()}-${process.pid}`;
  if (!/^[A-Za-z0-9_.-]+$/.test(name)) throw new UsageError(`--name: '${name}' may only contain letters, digits, '.', '_' and '-'`);
  const settings = workQueueSettingsFromEnv(io.env);
  const graceMs = io.env.NIXFORGE_WORKER_GRACE !== undefined ? parseDuration('NIXFORGE_WORKER_GRACE', io.env.NIXFORGE_WORKER_GRACE) : 20_000;
  const cacheTtlMs = io.env.NIXFORGE_RESULT_CACHE_TTL !== undefined ? parseDuration('NIXFORGE_RESULT_CACHE_TTL', io.env.NIXFORGE_RESULT_CACHE_TTL) : undefined;
  const { specs, urls } = await loadConfiguredPlugins(io.cwd, values.config, values.plugin ?? []);
  const plugins = await pluginIdentities(urls, specs.map((s) => s.specifier));

  const log = (line: string) => io.stderr.write(`${line}\n`);
  const { signal, dispose } = commandSignal(io);
  try {
    const worker = await WorkerService.start({
      url,
      name,
      threads,
      ...(inFlight !== undefined ? { inFlight } : {}),
      settings,
      ...(values['shared-root'] !== undefined ? { sharedRoot: resolve(io.cwd, values['shared-root']) } : {}),
      plugins,
      pluginUrls: urls,
      graceMs,
      ...(cacheTtlMs !== undefined ? { resultCacheTtlMs: cacheTtlMs } : {}),
      log,
    });
    log(`worker ${name}: pulling from ${WORK_STREAM} at ${url} with ${threads} thread(s)`);
    await worker.run(signal);
    const stats = worker.stats();
    log(`worker ${name}: stopped after ${stats.items} work item(s), ${stats.files} file(s), ${stats.errors} error(s), ${stats.refused} refused`);
  } finally {
    dispose();
  }
  return EXIT.clean;
}
