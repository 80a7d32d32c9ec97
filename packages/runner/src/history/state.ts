import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { errorMessage } from '../errors.js';
import { openReadModels } from '../events/index.js';
import { writeFileAtomically } from '@nixforge/core';

/** Remembers the last commit a history run processed, per repository, branch and mode. */
export interface HistoryCursorStore {
  /** Where the cursor lives, for messages: a file path or `NATS KV <url>`. */
  readonly location: string;
  get(key: string): Promise<string | undefined>;
  put(key: string, commit: string): Promise<void>;
  close(): Promise<void>;
}

/** `.nixforge/history-state.json` inside the repository (work tree, or the bare repository's folder). */
export const STATE_FILE = join('.nixforge', 'history-state.json');

interface StateFile {
  version: 1;
  cursors: Record<string, { commit: string; updatedAt: string }>;
}

/**
 * The cursor file. A file that cannot be read as a state file is reported through `warn` and treated as
 * empty (the run walks everything and rewrites it), rather than stopping the run.
 */
export class FileCursorStore implements HistoryCursorStore {
  private state: StateFile | undefined;

  constructor(
    readonly location: string,
    private readonly warn: (message: string) => void,
  ) {}

  async get(key: string): Promise<string | undefined> {
    return (await this.load()).cursors[key]?.commit;
  }

  async put(key: string, commit: string): Promise<void> {
    const state = await this.load();
    state.cursors[key] = { commit, updatedAt: new Date().toISOString() };
    await mkdir(dirname(this.location), { recursive: true });
    await ignoreInGit(this.location);
    await writeFileAtomically(this.location, `${JSON.stringify(state, null, 2)}\n`);
  }

  async close(): Promise<void> {}

  private async load(): Promise<StateFile> {
    if (this.state) return this.state;
    this.state = { version: 1, cursors: {} };
    let text: string;
    try {
      text = await readFile(this.location, 'utf8');
    } catch {
      return this.state;
    }
    try {
      const parsed = JSON.parse(text) as Partial<StateFile>;
      if (typeof parsed !== 'object' || parsed === null || typeof parsed.cursors !== 'object' || parsed.cursors === null) {
        throw new Error(`field 'cursors' is missing`);
      }
      for (const [key, cursor] of Object.entries(parsed.cursors)) {
        if (typeof cursor?.commit !== 'string' || !/^[0-9a-f]{40}$/.test(cursor.commit)) throw new Error(`cursor '${key}' has no commit oid`);
        this.state.cursors[key] = cursor;
      }
    } catch (error) {
      this.state = { version: 1, cursors: {} };
      this.warn(`${this.location}: ignoring the history state (${errorMessage(error)}); walking the whole history`);
    }
    return this.state;
  }
}

/**
 * The state is local to this clone: a `.gitignore` beside it (unless one exists) keeps `git add -A` from
 * committing it, and a `git reset` from deleting it.
 */
async function ignoreInGit(stateFile: string): Promise<void> {
  const gitignore = join(dirname(stateFile), '.gitignore');
  await writeFile(gitignore, `# local state of nixforge history (this file ignores itself too)\n${basename(stateFile)}\n.gitignore\n`, { flag: 'wx' }).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'EEXIST') throw error;
  });
}

/** The cursor in the NATS KV read-model bucket (`history-cursor.<key>`). */
export async function openKvCursorStore(natsUrl: string, env: NodeJS.ProcessEnv): Promise<HistoryCursorStore> {
  const models = await openReadModels(natsUrl, { env });
  return {
    location: `NATS KV at ${natsUrl}`,
    get: (key) => models.getHistoryCursor(key),
    put: (key, commit) => models.putHistoryCursor(key, commit),
    close: () => models.close(),
  };
}
