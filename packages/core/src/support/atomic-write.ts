import { chmod, chown, mkdir, open, readdir, realpath, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { threadId } from 'node:worker_threads';

let invocations = 0;

/**
 * `<name>.nixforge-<pid>-<thread>-<n>.tmp` (before: `<pid>-<n>`): the pid says whether the writer that left it is
 * still alive.
 */
const TEMP_NAME = /\.nixforge-(\d+)(?:-\d+){1,2}\.tmp$/;

function tempPathFor(path: string): string {
  invocations += 1;
  return `${path}.nixforge-${process.pid}-${threadId}-${invocations}.tmp`;
}

async function existingStats(path: string): Promise<{ mode: number; uid: number; gid: number } | undefined> {
  try {
    return await stat(path);
  } catch {
    return undefined;
  }
}

/**
 * Where a write to `path` should land. A symbolic link is followed, so the link stays and its target is replaced.
 * Anything that exists and is not a regular file (`/dev/null`, `/dev/stdout`, a FIFO) is written in place
 * (`inPlace`): renaming a temporary file over it would replace the device or pipe with a plain file.
 */
export async function resolveWriteTarget(path: string): Promise<{ path: string; inPlace: boolean }> {
  let real: string;
  try {
    real = await realpath(path);
  } catch {
    return { path, inPlace: false };
  }
  const stats = await stat(real);
  return { path: real, inPlace: !stats.isFile() };
}

/**
 * Writes `content` to `path` so readers see the old file or the new one, never half of either: a temporary file in
 * the same directory, fsynced, then renamed over the target. An existing file's mode and owner are kept; the
 * temporary file is removed when anything fails. Missing parent directories are created.
 *
 * Temporary files are named after the writing process (`.nixforge-<pid>-…tmp`), unlike write-file-atomic's hashed
 * names, so that what a killed writer left behind can be told from a running writer's file and removed
 * (`removeAbandonedTemps`).
 */
export async function writeFileAtomically(requested: string, content: string | Uint8Array): Promise<void> {
  await mkdir(dirname(requested), { recursive: true });
  const { path, inPlace } = await resolveWriteTarget(requested);
  if (inPlace) {
    await writeFile(path, content);
    return;
  }
  const previous = await existingStats(path);
  const temp = tempPathFor(path);
  try {
    const handle = await open(temp, 'wx', previous?.mode ?? 0o666);
    try {
      await handle.writeFile(content);
      await handle.sync();
    } finally {
      await handle.close();
    }
    if (previous) {
      await chmod(temp, previous.mode);
      // Only root may give a file away; for anyone else the new file is simply theirs.
      if (process.getuid?.() === 0) await chown(temp, previous.uid, previous.gid).catch(() => {});
    }
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes the temporary files of `writeFileAtomically` that a writer killed between write and rename (SIGKILL, power
 * loss) left in `dir`: only those whose process is gone, so a concurrent writer's are left alone. A missing `dir`
 * is fine.
 */
export async function removeAbandonedTemps(dir: string): Promise<void> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const pid = TEMP_NAME.exec(basename(name))?.[1];
    if (pid !== undefined && Number(pid) !== process.pid && !processIsAlive(Number(pid))) await rm(join(dir, name), { force: true });
  }
}
