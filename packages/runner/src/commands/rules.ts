import type { CliIO } from '../io.js';
import { UsageError } from '../errors.js';

// Placeholder until the command lands; replaced by its implementation.
export async function run(_args: string[], _io: CliIO): Promise<number> {
  throw new UsageError('the rules command is not available yet');
}
