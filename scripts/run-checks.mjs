// `npm test`: builds, tests and lints every package through Nx, streaming Nx's output as it comes. When a task
// fails, the end of that task's output is printed again after Nx's summary: CI keeps only the tail of a long log,
// and with tasks running in parallel the failing task's report is otherwise buried under the tasks that ran on.
import { spawn } from 'node:child_process';

const TASK_HEADER = /^> nx run (\S+)\s*$/;
const FAILED_TASK = /^- (\S+:\S+)\s*$/;
const REPEATED_LINES = 100;
const ANSI = /\u001b\[[0-9;]*m/g;

const args = ['nx', 'run-many', '-t', 'build', 'test', 'lint', '--outputStyle=static', ...process.argv.slice(2)];
const child = spawn('npx', args, { stdio: ['inherit', 'pipe', 'pipe'] });

/** Each task's output lines (Nx prints a `> nx run project:target` header before a task's output). */
const outputByTask = new Map();
const failedTasks = [];
let currentTask;
const pendingByStream = { stdout: '', stderr: '' };

function record(line) {
  const plain = line.replace(ANSI, '');
  const header = TASK_HEADER.exec(plain);
  if (header) currentTask = header[1];
  const failed = FAILED_TASK.exec(plain);
  if (failed) failedTasks.push(failed[1]);
  if (currentTask === undefined) return;
  const lines = outputByTask.get(currentTask) ?? [];
  lines.push(line);
  if (lines.length > 4 * REPEATED_LINES) lines.splice(0, lines.length - REPEATED_LINES);
  outputByTask.set(currentTask, lines);
}

// Nx prints its summary (the failed tasks) on stderr and the tasks' output on stdout: read both.
for (const name of ['stdout', 'stderr']) {
  child[name].on('data', (chunk) => {
    process[name].write(chunk);
    const lines = (pendingByStream[name] + chunk.toString('utf8')).split('\n');
    pendingByStream[name] = lines.pop() ?? '';
    for (const line of lines) record(line);
  });
}

child.on('close', (code, signal) => {
  for (const rest of Object.values(pendingByStream)) if (rest) record(rest);
  for (const task of failedTasks) {
    const lines = (outputByTask.get(task) ?? []).slice(-REPEATED_LINES);
    process.stdout.write(`\n===== the end of failed task ${task}'s output, again =====\n${lines.join('\n')}\n`);
  }
  process.exit(code ?? (signal ? 2 : 1));
});
