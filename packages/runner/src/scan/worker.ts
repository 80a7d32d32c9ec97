import { installNativeGuard, useNativeStateCell } from './native-guard.js';
import { analyzeFileTask } from './analyze-file.js';
import { rulesFor } from './rule-setup.js';
import type { BatchTask, WorkerFileReport } from './task.js';

installNativeGuard();

/** piscina entry point: analyses a batch of files and returns their reports (findings only, never trees). */
export default async function analyzeBatch(task: BatchTask): Promise<WorkerFileReport[]> {
  const progress = new Int32Array(task.progress);
  useNativeStateCell(progress);
  try {
    const rules = await rulesFor(task.setup);
    const reports: WorkerFileReport[] = [];
    for (let index = 0; index < task.files.length; index += 1) {
      Atomics.store(progress, 1, Date.now() - task.startedAt);
      Atomics.store(progress, 0, index);
      reports.push(await analyzeFileTask(task.files[index]!, rules, task.maxFileSize, task.withSourceLines));
    }
    Atomics.store(progress, 0, task.files.length);
    return reports;
  } finally {
    useNativeStateCell(undefined);
  }
}
