import { buildDepsGraph, DEPS_FORMATS, renderDepsGraph, type DepsFormat } from '@nixforge/plugins';
import { parseCommandArgs } from './args.js';
import { UsageError } from '../errors.js';
import { commandHelp, HELP_FLAG, type FlagTable } from '../help.js';
import { EXIT, type CliIO } from '../io.js';
import { discoverFiles, displayPathOf } from '../scan/index.js';

export const DEPS_FLAGS = {
  format: { type: 'string', short: 'f', arg: 'FORMAT', help: 'json (default), mermaid or dot' },
  'no-follow': { type: 'boolean', help: 'do not add imported files that lie outside the given paths' },
  hidden: { type: 'boolean', help: 'also walk hidden directories' },
  ...HELP_FLAG,
} as const satisfies FlagTable;

export const DEPS_HELP = commandHelp({
  usage: 'Usage: nixforge deps [PATH...] [options]',
  about: `Print the dependency graph of the *.nix files under each PATH (default: .): import edges
(import ./x.nix, callPackage ./dir { }, imports = [ ./a.nix ]), missing targets, and the inputs of
every flake.nix with what flake.lock locks (url, type, follows, flake = false, rev, lastModified).
The graph is built from the same per-file facts, resolved the same way, as the deps project checks
of \`nixforge scan\` (deps/import-cycle, deps/missing-import, the flake.lock rules).`,
  flags: DEPS_FLAGS,
  notes: 'Exit codes: 0 printed, 2 usage error or some file could not be read (the graph is still printed).',
});

export async function run(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, DEPS_FLAGS);
  if (values.help) {
    io.stdout.write(DEPS_HELP);
    return EXIT.clean;
  }
  const format = (values.format ?? 'json') as DepsFormat;
  if (!DEPS_FORMATS.includes(format)) {
    throw new UsageError(`--format: unknown format '${format}' (one of ${DEPS_FORMATS.join(', ')})`);
  }
  const targets = positionals.length > 0 ? positionals : ['.'];
  const discovered = await discoverFiles(targets, { cwd: io.cwd, excludes: [], hidden: values.hidden === true });
  const problems = discovered.filter((f) => f.problem);
  const files = discovered.filter((f) => !f.problem).map((f) => f.absolutePath);
  const graph = buildDepsGraph(files, {
    displayPath: (path) => displayPathOf(io.cwd, path),
    follow: values['no-follow'] !== true,
  });
  for (const problem of problems) graph.errors.push({ file: problem.displayPath, message: problem.problem!.message });
  io.stdout.write(renderDepsGraph(graph, format));
  for (const error of graph.errors) io.stderr.write(`nixforge deps: ${error.file}: ${error.message}\n`);
  for (const flake of graph.flakes) {
    if (flake.lockError) io.stderr.write(`nixforge deps: ${flake.lockError}\n`);
  }
  return graph.errors.length > 0 ? EXIT.error : EXIT.clean;
}
