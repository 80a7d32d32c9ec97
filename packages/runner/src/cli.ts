import { EXIT, isBrokenPipe, processIO, type CliIO } from './io.js';
import { UsageError, errorMessage } from './errors.js';
import { VERSION } from './version.js';
import type { Command } from './commands/args.js';

const COMMANDS: Record<string, { summary: string; load: () => Promise<Command> }> = {
  scan: { summary: 'analyse Nix files and report findings', load: async () => (await import('./commands/scan.js')).run },
  rules: { summary: 'list every rule', load: async () => (await import('./commands/rules.js')).run },
  explain: { summary: 'explain one rule with examples', load: async () => (await import('./commands/explain.js')).run },
  deps: { summary: 'print the import and flake-input graph', load: async () => (await import('./commands/deps.js')).run },
  generate: { summary: 'generate Nix from topologies, templates and profiles', load: async () => (await import('./commands/generate.js')).run },
  templates: { summary: 'list flake templates and their variables', load: async () => (await import('./commands/templates.js')).run },
  history: { summary: 'emit events for the Nix history of a Git repository', load: async () => (await import('./commands/history.js')).run },
  events: { summary: 'replay or tail nixforge events', load: async () => (await import('./commands/events.js')).run },
  serve: { summary: 'run the topology service on NATS', load: async () => (await import('./commands/serve.js')).run },
  lsp: { summary: 'run the language server (diagnostics, quick fixes, hovers) for editors', load: async () => (await import('./commands/lsp.js')).run },
  worker: { summary: 'analyse work items of distributed scans from NATS', load: async () => (await import('./commands/worker.js')).run },
};

export function usage(): string {
  const lines = ['Usage: nixforge <command> [options]', '', 'Commands:'];
  for (const [name, { summary }] of Object.entries(COMMANDS)) lines.push(`  ${name.padEnd(10)} ${summary}`);
  lines.push('', 'Run `nixforge <command> --help` for the options of a command.');
  return lines.join('\n') + '\n';
}

/** Runs the CLI; returns the exit code instead of exiting so it can be tested in-process. */
export async function main(argv: string[], io: CliIO = processIO()): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(usage());
    return name === undefined ? EXIT.error : EXIT.clean;
  }
  if (name === '--version' || name === '-v') {
    io.stdout.write(`nixforge ${VERSION}\n`);
    return EXIT.clean;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.stderr.write(`nixforge: unknown command '${name}'\n\n${usage()}`);
    return EXIT.error;
  }
  try {
    return await (await command.load())(rest, io);
  } catch (error) {
    if (isBrokenPipe(error)) return EXIT.brokenPipe;
    if (error instanceof UsageError) {
      io.stderr.write(`nixforge ${name}: ${error.message}\n`);
    } else {
      io.stderr.write(`nixforge ${name}: internal error: ${errorMessage(error)}\n`);
      if (io.env.NIXFORGE_DEBUG && error instanceof Error && error.stack) io.stderr.write(`${error.stack}\n`);
    }
    return EXIT.error;
  }
}
