// `node --import ./register.mjs ...`: appends the URL of every module the process (and its worker threads) loads
// to the file named by NIXFORGE_TEST_MODULE_LOG, one per line.
import { register } from 'node:module';

register(new URL('./hooks.mjs', import.meta.url), { data: process.env.NIXFORGE_TEST_MODULE_LOG });
