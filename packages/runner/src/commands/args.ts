import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError, errorMessage } from '../errors.js';
import type { CliIO } from '../io.js';

/** A subcommand: parses its own arguments and returns an exit code. */
export type Command = (args: string[], io: CliIO) => Promise<number>;

type ParseArgsOptionsConfig = NonNullable<ParseArgsConfig['options']>;

export type ParsedCommandArgs<O extends ParseArgsOptionsConfig> = ReturnType<
  typeof parseArgs<{ args: string[]; options: O; allowPositionals: true; strict: true }>
>;

/** `util.parseArgs` in strict mode, with its errors turned into UsageErrors that name the flag. */
export function parseCommandArgs<const O extends ParseArgsOptionsConfig>(args: string[], options: O): ParsedCommandArgs<O> {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(errorMessage(error).replace(/\. To specify a positional argument.*$/s, ''));
  }
}
