import { definePlugin } from '@nixforge/core';
import { unpinnedFetcher } from './unpinned-fetcher.js';
import { insecureUrl } from './insecure-url.js';
import { weakHash } from './weak-hash.js';
import { impureBuiltin } from './impure-builtin.js';
import { lookupPath } from './lookup-path.js';
import { builtinsExec } from './builtins-exec.js';
import {
  allowUnfree,
  firewallDisabled,
  insecurePackages,
  literalPassword,
  passwordAuthentication,
  permitRootLogin,
  sandboxDisabled,
  sudoWithoutPassword,
} from './settings.js';
import { secretInStore } from './secret-in-store.js';

/** Supply-chain, purity and system-hardening checks. */
export default definePlugin({
  name: 'security',
  rules: {
    'unpinned-fetcher': unpinnedFetcher,
    'insecure-url': insecureUrl,
    'weak-hash': weakHash,
    'impure-builtin': impureBuiltin,
    'lookup-path': lookupPath,
    'builtins-exec': builtinsExec,
    'sandbox-disabled': sandboxDisabled,
    'allow-unfree': allowUnfree,
    'insecure-packages': insecurePackages,
    'literal-password': literalPassword,
    'permit-root-login': permitRootLogin,
    'password-authentication': passwordAuthentication,
    'firewall-disabled': firewallDisabled,
    'sudo-without-password': sudoWithoutPassword,
    'secret-in-store': secretInStore,
  },
});
