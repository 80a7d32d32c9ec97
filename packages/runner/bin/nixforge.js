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

process.exitCode = await main(process.argv.slice(2), processIO(controller.signal));
