import { createServer, type Socket } from 'node:net';
import { format } from 'node:util';
import { createConnection } from 'vscode-languageserver/node';
import { parseCommandArgs } from './args.js';
import { UsageError } from '../errors.js';
import { commandHelp, HELP_FLAG, type FlagTable } from '../help.js';
import type { CliIO } from '../io.js';
import { NixforgeLanguageServer } from '../lsp/index.js';

export const LSP_FLAGS = {
  stdio: { type: 'boolean', help: 'talk LSP over stdin/stdout (what editors start)' },
  socket: {
    type: 'string',
    arg: 'PORT',
    help: 'listen on 127.0.0.1:PORT and serve the first editor that connects (0: any free\nport; the port is printed on stderr); the server ends when that editor exits',
  },
  // Added by some clients (vscode-languageclient); the server library watches that process itself.
  clientProcessId: { type: 'string', help: 'the process id of the editor', hidden: true },
  ...HELP_FLAG,
} as const satisfies FlagTable;

export const LSP_HELP = commandHelp({
  usage: 'Usage: nixforge lsp (--stdio | --socket PORT)',
  about: `Run the nixforge language server: the diagnostics of \`nixforge scan\` as you type, with quick fixes,
fix-all (source.fixAll.nixforge), suppression comments and rule explanations on hover.`,
  flags: LSP_FLAGS,
  notes: `Configuration: the nixforge.config.json nearest each file (as \`scan\` finds it), plus the editor's
\`nixforge\` settings: configFile, plugins, rules, debounceMs, fileTimeoutMs.`,
});

/** stdout carries the protocol: anything printed with console.* goes to stderr instead. */
function keepStdoutForProtocol(): void {
  const toStderr = (...args: unknown[]): void => {
    process.stderr.write(`${format(...args)}\n`);
  };
  console.log = toStderr;
  console.info = toStderr;
  console.debug = toStderr;
  console.warn = toStderr;
}

function parsePort(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) > 65535) throw new UsageError(`--socket: expected a port number (0-65535), got '${value}'`);
  return Number(value);
}

/** Waits for the first connection on loopback; later connections are refused by closing the listener. */
function acceptOne(port: number, io: CliIO): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const server = createServer((socket) => {
      server.close();
      resolve(socket);
    });
    server.once('error', (error) => reject(new UsageError(`--socket ${port}: ${error.message}`)));
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      const actual = typeof address === 'object' && address ? address.port : port;
      io.stderr.write(`nixforge lsp: listening on 127.0.0.1:${actual}\n`);
    });
  });
}

export async function run(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, LSP_FLAGS);
  if (values.help) {
    io.stdout.write(LSP_HELP);
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}'`);
  if (values.stdio === (values.socket !== undefined)) throw new UsageError('give exactly one of --stdio or --socket PORT');

  keepStdoutForProtocol();
  let connection;
  if (values.stdio) {
    connection = createConnection(process.stdin, process.stdout);
  } else {
    const socket = await acceptOne(parsePort(values.socket!), io);
    connection = createConnection(socket, socket);
  }
  new NixforgeLanguageServer(connection).listen();
  // The connection ends the process on `exit` (or when the editor goes away); a signal ends it too.
  return new Promise<number>((resolve) => {
    io.signal?.addEventListener('abort', () => resolve(2), { once: true });
  }).then((code) => process.exit(code));
}
