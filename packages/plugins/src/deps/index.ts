import { definePlugin } from '@nixforge/core';
import { missingInputLock, duplicateNixpkgs, staleInput } from './lock-rules.js';
import { missingImport } from './missing-import.js';
import { importCycle } from './import-cycle.js';

/** Flake inputs and locks, and the import graph between files. */
export default definePlugin({
  name: 'deps',
  rules: {
    'missing-input-lock': missingInputLock,
    'duplicate-nixpkgs': duplicateNixpkgs,
    'stale-input': staleInput,
    'missing-import': missingImport,
    'import-cycle': importCycle,
  },
});
