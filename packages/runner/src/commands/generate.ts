import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import YAML from 'yaml';
import {
  convertDotfiles,
  GeneratedSyntaxError,
  HomeProfileError,
  parseHomeProfile,
  renderHome,
  hostModulePath,
  loadFlakeTemplates,
  parseAssignments,
  renderFlakeTemplate,
  TemplateDefinitionError,
  TemplateVariableError,
  readTopologyInput,
  renderTopology,
  TopologyInputError,
  writeGeneratedFiles,
  type GeneratedFile,
  type WriteResult,
} from '@nixforge/templates';
import { parseCommandArgs } from './args.js';
import { UsageError, errorMessage } from '../errors.js';
import { commandHelp, HELP_FLAG, type FlagTable } from '../help.js';
import { EXIT, type CliIO } from '../io.js';
import { publishGenerated as publishGeneratedConfigs } from '../events/index.js';

/** Flags shared by every generate subcommand. */
const COMMON_OPTIONS = {
  out: { type: 'string', arg: 'DIR', help: 'write the generated files under DIR (required)' },
  check: { type: 'boolean', help: 'write nothing; exit 1 when the files in DIR differ from what would be generated' },
  events: { type: 'string', arg: 'FILE', help: 'append one nixforge.generate.config event per written file to FILE (NDJSON)' },
  nats: { type: 'string', arg: 'URL', help: 'publish those events to NATS JetStream' },
  'events-fallback': { type: 'string', arg: 'FILE', help: 'write the events to FILE when the NATS server cannot be reached' },
  ...HELP_FLAG,
} as const satisfies FlagTable;

const FLAKE_OPTIONS = {
  template: { type: 'string', arg: 'NAME', help: 'flake: the template to render (see `nixforge templates`)' },
  set: { type: 'string', multiple: true, arg: 'KEY=VALUE', help: "flake: a template variable (repeatable)" },
  'template-dir': { type: 'string', multiple: true, arg: 'DIR', help: 'flake: also read templates from DIR (repeatable)' },
} as const satisfies FlagTable;

const HOME_OPTIONS = {
  profile: { type: 'string', arg: 'PROFILE', help: 'home: the Home Manager profile (YAML or JSON)' },
  dotfiles: { type: 'string', arg: 'DIR', help: 'home: dotfiles to convert into Home Manager options' },
} as const satisfies FlagTable;

const USAGE = commandHelp({
  usage: `Usage:
  nixforge generate topology INPUT --out DIR [--check]
  nixforge generate flake --template NAME --out DIR [--set key=value ...] [--template-dir DIR ...] [--check]
  nixforge generate home --profile PROFILE [--dotfiles DIR] --out DIR [--check]`,
  flags: { ...FLAKE_OPTIONS, ...HOME_OPTIONS, ...COMMON_OPTIONS },
});

interface PublishFlags {
  events?: string | undefined;
  nats?: string | undefined;
  'events-fallback'?: string | undefined;
}

export async function run(args: string[], io: CliIO): Promise<number> {
  const [subcommand, ...rest] = args;
  switch (subcommand) {
    case 'topology':
      return generateTopology(rest, io);
    case 'flake':
      return generateFlake(rest, io);
    case 'home':
      return generateHome(rest, io);
    case '--help':
    case '-h':
    case undefined:
      io.stdout.write(USAGE);
      return subcommand === undefined ? EXIT.error : EXIT.clean;
    default:
      throw new UsageError(`unknown generator '${subcommand}'; expected topology, flake or home\n\n${USAGE}`);
  }
}

/** Resolves `--out` against the working directory; it is required. */
export function outputDir(out: string | undefined, io: CliIO): string {
  if (out === undefined || out.trim() === '') throw new UsageError('--out DIR is required');
  return path.resolve(io.cwd, out);
}

/** Reads a user's input file, turning a missing or unreadable file into a usage error naming it. */
export async function readInputFile(file: string, io: CliIO, what: string): Promise<string> {
  try {
    return await readFile(path.resolve(io.cwd, file), 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${what} ${file}: ${errorMessage(error)}`);
  }
}

/**
 * Publishes the written files when the user asked for events (a flag, or NIXFORGE_NATS_URL / NIXFORGE_EVENTS in the
 * environment); otherwise does nothing. Returns the lines to print on stderr.
 */
async function publishGenerated(flags: PublishFlags, io: CliIO, outDir: string, written: GeneratedFile[]): Promise<string[]> {
  const requested = flags.events ?? flags.nats ?? flags['events-fallback'] ?? io.env.NIXFORGE_NATS_URL ?? io.env.NIXFORGE_EVENTS;
  if (requested === undefined || written.length === 0) return [];
  const options: { events?: string; nats?: string; eventsFallback?: string } = {};
  if (flags.events !== undefined) options.events = flags.events;
  if (flags.nats !== undefined) options.nats = flags.nats;
  if (flags['events-fallback'] !== undefined) options.eventsFallback = flags['events-fallback'];
  const files = written.map((file) => {
    const host = /^hosts\/([^/]+)\/default\.nix$/.exec(file.path)?.[1];
    return host === undefined ? { path: file.path, content: file.content } : { path: file.path, content: file.content, host };
  });
  return publishGeneratedConfigs(options, io, files, { outDir });
}

/**
 * The one place every generator ends: writes (or, with `--check`, compares) the files, publishes what was
 * written, reports counts on stderr and returns the exit code.
 */
export async function writeAndReport(
  label: string,
  outDir: string,
  files: GeneratedFile[],
  flags: PublishFlags & { check?: boolean | undefined },
  io: CliIO,
  removeStale: string[] = [],
): Promise<number> {
  let result: WriteResult;
  try {
    result = await writeGeneratedFiles(outDir, files, { check: flags.check === true, removeStale });
  } catch (error) {
    throw new UsageError(`cannot write to ${outDir}: ${errorMessage(error)}`);
  }
  if (flags.check) {
    for (const file of result.wouldChange) io.stderr.write(`would change: ${file}\n`);
    io.stderr.write(`generate ${label}: ${result.wouldChange.length} would change, ${result.unchanged.length} unchanged\n`);
    return result.wouldChange.length > 0 ? EXIT.findings : EXIT.clean;
  }
  const writtenSet = new Set(result.written);
  const written = files.filter((file) => writtenSet.has(file.path));
  for (const line of await publishGenerated(flags, io, outDir, written)) io.stderr.write(`${line}\n`);
  const removed = result.removed.length > 0 ? `, ${result.removed.length} removed` : '';
  io.stderr.write(`generate ${label}: ${result.written.length} written, ${result.unchanged.length} unchanged${removed} -> ${outDir}\n`);
  return EXIT.clean;
}

/** Host modules left from nodes that no longer exist; only files nixforge generated are listed. */
async function staleHostModules(outDir: string, keep: ReadonlySet<string>): Promise<string[]> {
  let entries: string[];
  try {
    entries = await readdir(path.join(outDir, 'hosts'));
  } catch {
    return [];
  }
  const stale: string[] = [];
  for (const entry of entries.sort()) {
    const relative = hostModulePath(entry);
    if (keep.has(relative)) continue;
    try {
      const text = await readFile(path.join(outDir, relative), 'utf8');
      if (text.startsWith('# NixOS module for ') && text.includes('generated by nixforge')) stale.push(relative);
    } catch {
      // not a generated host module
    }
  }
  return stale;
}

async function generateTopology(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, COMMON_OPTIONS);
  if (values.help) {
    io.stdout.write(USAGE);
    return EXIT.clean;
  }
  if (positionals.length !== 1) throw new UsageError(`expected one INPUT (a JSON/YAML snapshot or an NDJSON event log), got ${positionals.length}`);
  const input = positionals[0]!;
  const outDir = outputDir(values.out, io);
  const text = await readInputFile(input, io, 'topology');
  let files: GeneratedFile[];
  try {
    files = renderTopology(readTopologyInput(input, text).state);
  } catch (error) {
    if (error instanceof TopologyInputError) throw new UsageError(`refused, nothing written:\n${error.message}`);
    throw error;
  }
  const stale = await staleHostModules(outDir, new Set(files.map((file) => file.path)));
  return writeAndReport('topology', outDir, files, values, io, stale);
}

/** Loads built-in and user templates; a broken user template directory is a usage error. */
export function loadTemplatesOrFail(dirs: readonly string[], io: CliIO): ReturnType<typeof loadFlakeTemplates> {
  try {
    return loadFlakeTemplates(dirs.map((dir) => path.resolve(io.cwd, dir)));
  } catch (error) {
    if (error instanceof TemplateDefinitionError) throw new UsageError(error.message);
    throw error;
  }
}

async function generateFlake(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, { ...COMMON_OPTIONS, ...FLAKE_OPTIONS });
  if (values.help) {
    io.stdout.write(USAGE);
    return EXIT.clean;
  }
  if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}'`);
  if (!values.template) throw new UsageError('--template NAME is required (see `nixforge templates`)');
  const outDir = outputDir(values.out, io);
  const templates = loadTemplatesOrFail(values['template-dir'] ?? [], io);
  const template = templates.get(values.template);
  if (!template) throw new UsageError(`unknown template '${values.template}'; available: ${[...templates.keys()].join(', ')}`);
  let files: GeneratedFile[];
  try {
    files = renderFlakeTemplate(template, parseAssignments(values.set ?? [])).files;
  } catch (error) {
    if (error instanceof TemplateVariableError) throw new UsageError(`refused, nothing written:\n${error.problems.map((p) => `--set ${p}`).join('\n')}`);
    if (error instanceof TemplateDefinitionError) throw new UsageError(error.message);
    if (error instanceof GeneratedSyntaxError && template.origin !== 'builtin') throw new UsageError(`template ${template.name} (${template.origin}): ${error.message}`);
    throw error;
  }
  return writeAndReport(`flake ${template.name}`, outDir, files, values, io);
}

async function generateHome(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, { ...COMMON_OPTIONS, ...HOME_OPTIONS });
  if (values.help) {
    io.stdout.write(USAGE);
    return EXIT.clean;
  }
  if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}'`);
  if (!values.profile) throw new UsageError('--profile PROFILE is required (a YAML or JSON file)');
  const outDir = outputDir(values.out, io);
  const text = await readInputFile(values.profile, io, 'profile');
  let raw: unknown;
  try {
    raw = values.profile.endsWith('.json') ? JSON.parse(text) : YAML.parse(text);
  } catch (error) {
    throw new UsageError(`${values.profile}: cannot parse: ${errorMessage(error).split('\n')[0]}`);
  }
  let profile;
  try {
    profile = parseHomeProfile(raw);
  } catch (error) {
    if (error instanceof HomeProfileError) throw new UsageError(`refused, nothing written:\n${error.problems.map((p) => `${values.profile}: ${p}`).join('\n')}`);
    throw error;
  }
  let dotfiles;
  if (values.dotfiles !== undefined) {
    const dir = path.resolve(io.cwd, values.dotfiles);
    try {
      dotfiles = convertDotfiles(dir);
    } catch (error) {
      throw new UsageError(`cannot read dotfiles ${values.dotfiles}: ${errorMessage(error)}`);
    }
  }
  const { files, notes } = renderHome(profile, dotfiles);
  for (const note of notes) io.stderr.write(`dotfiles: ${note}\n`);
  return writeAndReport('home', outDir, files, values, io);
}
