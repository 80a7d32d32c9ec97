import { readFileSync } from 'node:fs';

const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };

/** The nixforge version, from the runner's package.json. */
export const VERSION: string = manifest.version;
