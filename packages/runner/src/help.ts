/**
 * A command-line flag: what `util.parseArgs` needs (`type`, `short`, `multiple`; the table is passed to it as it is),
 * plus what the command's help says about it. Help texts are generated from these tables, so a flag the parser
 * accepts is always documented and a documented flag always exists.
 */
export interface FlagSpec {
  type: 'string' | 'boolean';
  short?: string;
  multiple?: boolean;
  default?: string | boolean;
  /** Name of the value in the help (`FILE`, `N`...). */
  arg?: string;
  /** One line; a `\n` continues it under the text column. */
  help: string;
  /** Accepted but not listed (e.g. arguments some clients add on their own). */
  hidden?: boolean;
}

export type FlagTable = Readonly<Record<string, FlagSpec>>;

/** `  -f, --format FORMAT` padded to `width`, then the help text (continuation lines aligned under it). */
export function formatFlagLine(name: string, spec: FlagSpec, width: number): string {
  const short = spec.short ? `-${spec.short}, ` : '    ';
  const long = `--${name}${spec.arg ? ` ${spec.arg}` : ''}`;
  const [first, ...more] = spec.help.split('\n');
  const lead = `  ${short}${long.padEnd(width)} `;
  return [lead + first, ...more.map((line) => ' '.repeat(lead.length) + line)].join('\n');
}

/** The lines of an `Options:` block for a flag table, the text column just after the longest flag. */
export function formatFlagLines(flags: FlagTable): string[] {
  const shown = Object.entries(flags).filter(([, spec]) => !spec.hidden);
  const width = Math.max(...shown.map(([name, spec]) => `--${name}${spec.arg ? ` ${spec.arg}` : ''}`.length)) + 2;
  return shown.map(([name, spec]) => formatFlagLine(name, spec, width));
}

/** A command's help: usage line(s), what it does, the options from its flag table, then any closing notes. */
export function commandHelp(parts: { usage: string; about?: string; flags: FlagTable; notes?: string }): string {
  const sections = [parts.usage];
  if (parts.about) sections.push(parts.about);
  sections.push(['Options:', ...formatFlagLines(parts.flags)].join('\n'));
  if (parts.notes) sections.push(parts.notes);
  return sections.join('\n\n') + '\n';
}

/** `-h, --help`, in every command's table. */
export const HELP_FLAG = { help: { type: 'boolean', short: 'h', help: 'show this help' } } as const satisfies FlagTable;
