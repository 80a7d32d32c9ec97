import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../bin/nixforge.js', import.meta.url));
const DIST_CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const MODULE_LOG_HOOK = fileURLToPath(new URL('./helpers/module-log/register.mjs', import.meta.url));

/** Runs the built CLI with a module-load hook and returns every module URL it loaded. */
function loadedModules(args: string[]): { status: number | null; modules: string[] } {
  const work = mkdtempSync(join(tmpdir(), 'nixforge-lazy-nats-'));
  try {
    const log = join(work, 'modules.txt');
    writeFileSync(join(work, 'default.nix'), '{ a = 1; }\n');
    const env: NodeJS.ProcessEnv = { ...process.env, NIXFORGE_TEST_MODULE_LOG: log };
    delete env.NIXFORGE_NATS_URL;
    delete env.NIXFORGE_EVENTS;
    const run = spawnSync(process.execPath, ['--import', MODULE_LOG_HOOK, BIN, ...args, '--threads', '1', '--no-progress', 'default.nix'], {
      cwd: work,
      env,
      encoding: 'utf8',
    });
    return { status: run.status, modules: existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : [] };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

const natsModules = (modules: string[]) => modules.filter((url) => url.includes('/@nats-io/'));

describe.skipIf(!existsSync(DIST_CLI))('nixforge scan loads the NATS client only when it talks to NATS (needs the built dist/)', () => {
  it('a scan without events loads no @nats-io module', () => {
    const { status, modules } = loadedModules(['scan', '-f', 'json']);
    expect(status).toBe(0);
    expect(modules.some((url) => url.endsWith('/dist/commands/scan.js'))).toBe(true);
    expect(natsModules(modules)).toEqual([]);
  });

  it('a scan writing events to a file loads no @nats-io module', () => {
    const { status, modules } = loadedModules(['scan', '-f', 'json', '--events', 'events.ndjson']);
    expect(status).toBe(0);
    expect(modules.some((url) => url.endsWith('/dist/events/ndjson-sink.js'))).toBe(true);
    expect(natsModules(modules)).toEqual([]);
  });

  it('a scan given a NATS URL does load the client (the hook sees it)', () => {
    // Port 1 refuses at once; the fallback file keeps the scan going.
    const { modules } = loadedModules(['scan', '-f', 'json', '--nats', 'nats://127.0.0.1:1', '--events-fallback', 'events.ndjson']);
    expect(natsModules(modules).some((url) => url.includes('/@nats-io/transport-node/'))).toBe(true);
  });
});
