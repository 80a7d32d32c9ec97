import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import writeFileAtomic from 'write-file-atomic';

/**
 * Writes `content` to `path` so readers see the old file or the new one, never half of either: a temporary file in
 * the same directory, fsynced, then renamed over the target (write-file-atomic; it keeps an existing file's mode
 * and owner and removes the temporary file when anything fails). Missing parent directories are created.
 */
export async function writeFileAtomically(path: string, content: string | Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFileAtomic(path, typeof content === 'string' ? content : Buffer.from(content));
}
