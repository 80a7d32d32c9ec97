import { readFile } from 'node:fs/promises';
import { hashContent } from '../cache/index.js';
import type { PluginIdentity } from './protocol.js';

/** Names and content hashes of configured plugins (by module URL), in configuration order. */
export async function pluginIdentities(urls: readonly string[], specifiers: readonly string[]): Promise<PluginIdentity[]> {
  return Promise.all(
    urls.map(async (url, index) => ({
      specifier: specifiers[index] ?? url,
      fingerprint: hashContent(await readFile(new URL(url)).catch(() => Buffer.from(url))),
    })),
  );
}
