// Builds the Nix grammar addon with node-gyp unless an up-to-date one exists. Skipping a fresh build
// matters because `node-gyp rebuild` deletes build/ first, which breaks other processes using the addon.
import { existsSync, statSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const here = dirname(new URL(import.meta.url).pathname);
const root = join(here, '..');
const addon = join(root, 'build', 'Release', 'nixforge_nix_grammar.node');
const grammar = dirname(require.resolve('tree-sitter-nix/package.json'));
const runtime = join(dirname(require.resolve('tree-sitter/package.json')), 'vendor', 'tree-sitter', 'lib', 'src');
const inputs = [join(root, 'binding.gyp'), join(root, 'native', 'binding.cc'), join(grammar, 'src', 'parser.c'), join(grammar, 'src', 'scanner.c'), join(runtime, 'lib.c')];

const fresh = existsSync(addon) && inputs.every((f) => statSync(f).mtimeMs <= statSync(addon).mtimeMs);
if (fresh && !process.argv.includes('--force')) process.exit(0);

const nodeGyp = process.env.npm_config_node_gyp ?? 'node-gyp';
const args = ['rebuild'];
if (process.env.npm_config_nodedir) args.push(`--nodedir=${process.env.npm_config_nodedir}`);
const isJs = nodeGyp.endsWith('.js');
const result = spawnSync(isJs ? process.execPath : nodeGyp, isJs ? [nodeGyp, ...args] : args, { cwd: root, stdio: 'inherit' });
if (result.error) {
  console.error(`nixforge: could not run node-gyp (${result.error.message}); install a C compiler, python3 and make`);
  process.exit(2);
}
process.exit(result.status ?? 2);
