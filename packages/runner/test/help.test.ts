import { describe, expect, it } from 'vitest';
import { DEPS_FLAGS, DEPS_HELP } from '../src/commands/deps.js';
import { EVENTS_HELP } from '../src/commands/events.js';
import { EXPLAIN_HELP } from '../src/commands/explain.js';
import { HISTORY_FLAGS, HISTORY_HELP } from '../src/commands/history.js';
import { LSP_FLAGS, LSP_HELP } from '../src/commands/lsp.js';
import { LISTING_FLAGS, RULES_HELP } from '../src/commands/rules.js';
import { SCAN_FLAGS, scanHelp } from '../src/commands/scan.js';
import { SERVE_FLAGS, SERVE_HELP } from '../src/commands/serve.js';
import { WORKER_FLAGS, WORKER_HELP } from '../src/commands/worker.js';
import { commandHelp, type FlagTable } from '../src/help.js';

const COMMANDS: Array<[string, string, FlagTable]> = [
  ['deps', DEPS_HELP, DEPS_FLAGS],
  ['history', HISTORY_HELP, HISTORY_FLAGS],
  ['lsp', LSP_HELP, LSP_FLAGS],
  ['rules', RULES_HELP, LISTING_FLAGS],
  ['explain', EXPLAIN_HELP, LISTING_FLAGS],
  ['scan', scanHelp(), SCAN_FLAGS],
  ['serve', SERVE_HELP, SERVE_FLAGS],
  ['worker', WORKER_HELP, WORKER_FLAGS],
];

describe('help generated from the flag tables', () => {
  it.each(COMMANDS)('%s: every flag the parser takes is listed once, with its short form and value name', (_name, help, flags) => {
    for (const [flag, spec] of Object.entries(flags)) {
      const listed = help.split('\n').filter((line) => line.includes(`--${flag} `) || line.endsWith(`--${flag}`) || line.includes(`--${flag}${spec.arg ? ` ${spec.arg}` : ' '}`));
      const own = listed.filter((line) => new RegExp(`^  (-\\w, |    )--${flag}\\b`).test(line));
      if (spec.hidden) expect(own).toEqual([]);
      else {
        expect(own, `--${flag}`).toHaveLength(1);
        expect(own[0]).toContain(`${spec.short ? `-${spec.short}, ` : '    '}--${flag}${spec.arg ? ` ${spec.arg}` : ''}`);
        expect(own[0]).toContain(spec.help.split('\n')[0]);
      }
    }
  });

  it('events lists the flags of both actions', () => {
    for (const flag of ['--nats URL', '--subject SUBJECT', '--format FORMAT', '-h, --help']) expect(EVENTS_HELP).toContain(flag);
  });

  it('aligns the text column after the longest flag and continues long help under it', () => {
    const help = commandHelp({
      usage: 'Usage: x',
      flags: { out: { type: 'string', arg: 'DIR', help: 'where\nand more' }, help: { type: 'boolean', short: 'h', help: 'show this help' } },
    });
    expect(help).toBe('Usage: x\n\nOptions:\n      --out DIR   where\n                  and more\n  -h, --help      show this help\n');
  });
});
