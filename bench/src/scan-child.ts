/**
 * Runs `nixforge scan` in this process and prints one JSON line with its exit code, wall time, CPU time (whole
 * process, including start-up) and the peak
 * resident set size of the whole process (main thread plus workers), which the parent cannot see otherwise, and
 * (on Linux) the CPU time split by thread (see thread-cpu.ts).
 *
 *   node dist/scan-child.js SCAN_ARGS...
 */
import { Writable } from 'node:stream';
import { main } from '@nixforge/runner';
import { sampleThreadCpu } from './thread-cpu.js';

const threads = sampleThreadCpu();
const sink = new Writable({ write: (_chunk, _encoding, done) => done() });
const started = performance.now();
const exitCode = await main(['scan', ...process.argv.slice(2)], { stdout: sink, stderr: process.stderr, cwd: process.cwd(), env: process.env });
const ms = performance.now() - started;
const usage = process.resourceUsage();
const cpuMs = (usage.userCPUTime + usage.systemCPUTime) / 1000;
const threadCpuMs = threads?.stop();
process.stdout.write(JSON.stringify({ exitCode, ms, cpuMs, maxRssKiB: usage.maxRSS, ...(threadCpuMs ? { threadCpuMs } : {}) }) + '\n');
