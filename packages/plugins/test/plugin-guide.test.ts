// The README's "Writing a plugin" code runs as written: its plugin modules are written out verbatim, loaded, and
// its RuleTester block registers its tests here, so a guide that drifts from the API fails this file.
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeSource, resolveRules, SourceFile, type Plugin } from '@nixforge/core';

const README = new URL('../../../README.md', import.meta.url).pathname;
const NODE_MODULES = new URL('../../../node_modules', import.meta.url).pathname;

/** The fenced `js` blocks of the README's "Writing a plugin" section, in order. */
function guideBlocks(): string[] {
  const text = readFileSync(README, 'utf8');
  const start = text.indexOf('\n## Writing a plugin\n');
  const end = text.indexOf('\n## ', start + 1);
  const section = text.slice(start, end);
  return [...section.matchAll(/```js\n([\s\S]*?)```/g)].map((match) => match[1]!);
}

function blockNamed(blocks: string[], firstLine: string): string {
  const block = blocks.find((b) => b.startsWith(`${firstLine}\n`));
  if (!block) throw new Error(`the guide has no block starting with ${firstLine}`);
  return block;
}

// A directory outside the repository whose node_modules is the workspace's, so `@nixforge/core` resolves as it
// does for a user's plugin.
const work = mkdtempSync(join(tmpdir(), 'nixforge-guide-'));
symlinkSync(NODE_MODULES, join(work, 'node_modules'), 'dir');
afterAll(() => rmSync(work, { recursive: true, force: true }));
const blocks = guideBlocks();
writeFileSync(join(work, 'my-rules.mjs'), blockNamed(blocks, '// my-rules.mjs'));
writeFileSync(join(work, 'house.mjs'), blockNamed(blocks, '// house.mjs'));
const testerBlock = blocks.find((b) => b.includes('new RuleTester()'));
if (!testerBlock) throw new Error('the guide has no RuleTester block');
writeFileSync(join(work, 'house.test.mjs'), testerBlock);

function findingsOf(plugin: Plugin, text: string): Array<{ ruleId: string; message: string; messageId?: string }> {
  const source = new SourceFile('guide.nix', text);
  try {
    return analyzeSource(source, resolveRules([plugin])).findings.map(({ ruleId, message, messageId }) => ({ ruleId, message, ...(messageId ? { messageId } : {}) }));
  } finally {
    source.dispose();
  }
}

describe("the README's plugin guide runs as written", () => {
  it('my-rules.mjs: a visitor rule reports its finding', async () => {
    const plugin = (await import(pathToFileURL(join(work, 'my-rules.mjs')).href)).default as Plugin;
    expect(findingsOf(plugin, 'fetchTarball "TODO"')).toEqual([{ ruleId: 'house/no-todo-fetch', message: 'fetchTarball of a placeholder URL' }]);
    expect(findingsOf(plugin, 'fetchTarball { url = "https://example.org/a.tar.gz"; }')).toEqual([]);
  });

  it('house.mjs: a query rule with options and messageIds reports with its message filled in', async () => {
    const plugin = (await import(pathToFileURL(join(work, 'house.mjs')).href)).default as Plugin;
    expect(findingsOf(plugin, '{ a.port = 8080; port = 60000; }')).toEqual([{ ruleId: 'house/big-port', message: 'port 60000 is above 49151', messageId: 'tooHigh' }]);
  });
});

// The guide's RuleTester block, imported at collection time so the tests it registers run as this file's.
await import(pathToFileURL(join(work, 'house.test.mjs')).href);
