import { relative, resolve, sep } from 'node:path';
import { listNixFilesAtRev, readBlobText } from '../../git/index.js';
import type { CliIO } from '../../io.js';
import type { ScanInput } from '../scan-files.js';
import type { ScanStage, StageContext } from './stage.js';

function toPosix(path: string): string {
  return sep === '/' ? path : path.split(sep).join('/');
}

/** `--rev REV`: the files are the tree of a Git revision instead of the work tree; blobs are read just before analysis. */
export function revisionStage(rev: string, context: StageContext): ScanStage {
  return { selectInputs: () => revisionInputs(context.io, context.targets[0] ?? '.', rev) };
}

async function revisionInputs(io: CliIO, repoDir: string, rev: string): Promise<ScanInput[]> {
  const root = resolve(io.cwd, repoDir);
  const files = await listNixFilesAtRev(root, rev);
  return files.map(({ path, oid }) => {
    const absolutePath = resolve(root, path);
    const displayPath = toPosix(relative(io.cwd, absolutePath)) || path;
    return { absolutePath, displayPath, loadText: () => readBlobText(root, oid) };
  });
}
