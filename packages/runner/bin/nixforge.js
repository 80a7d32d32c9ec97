#!/usr/bin/env node
import { main } from '../dist/cli.js';
import { processIO } from '../dist/io.js';

// The first SIGINT/SIGTERM asks the running command to stop cleanly (workers stopped, no partial report,
// event log flushed); a second one exits at once.
const controller = new AbortController();
const onSignal = (signal) => {
  if (controller.signal.aborted) process.exit(2);
  controller.abort(new Error(`received ${signal}`));
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

// A reader that closes stdout early (`nixforge scan | head -1`) is not an error: stop quietly with the
// status of a process killed by SIGPIPE, as other command-line tools do.
let stdoutClosed = false;
process.stdout.on('error', (error) => {
  if (error.code !== 'EPIPE') throw error;
  stdoutClosed = true;
});

const code = await main(process.argv.slice(2), processIO(controller.signal));
process.exitCode = stdoutClosed ? 141 : code;
