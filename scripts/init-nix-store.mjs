// Runs before `npm test`: the first `nix-instantiate` on a fresh machine creates Nix's store database, and
// several starting at once (parallel test files and packages) race on it ("'/nix/var/nix/db/schema' is
// corrupt"). One call made alone creates it; the tests' later parallel calls only read it.
import { spawnSync } from 'node:child_process';

const result = spawnSync('nix-instantiate', ['--parse', '-E', 'null'], { encoding: 'utf8' });
if (result.error) {
  console.warn(`init-nix-store: nix-instantiate not found (${result.error.message}); tests that use Nix will fail`);
} else if (result.status !== 0) {
  console.warn(`init-nix-store: nix-instantiate --parse failed: ${result.stderr.trim()}`);
}
