import { definePlugin } from '@nixforge/core';
import { withLargeScope } from './with-large-scope.js';
import { nestedWith } from './nested-with.js';
import { unneededRec } from './unneeded-rec.js';
import { nixpkgsReimport } from './nixpkgs-reimport.js';
import { importFromDerivation } from './import-from-derivation.js';
import { quadraticAccumulation } from './quadratic-accumulation.js';
import { flattenMap } from './flatten-map.js';
import { lengthZero } from './length-zero.js';
import { libOverBuiltin } from './lib-over-builtin.js';
import { deepNesting } from './deep-nesting.js';

/** Evaluation-cost and scalability checks. */
export default definePlugin({
  name: 'performance',
  rules: {
    'with-large-scope': withLargeScope,
    'nested-with': nestedWith,
    'unneeded-rec': unneededRec,
    'nixpkgs-reimport': nixpkgsReimport,
    'import-from-derivation': importFromDerivation,
    'quadratic-accumulation': quadraticAccumulation,
    'flatten-map': flattenMap,
    'length-zero': lengthZero,
    'lib-over-builtin': libOverBuiltin,
    'deep-nesting': deepNesting,
  },
});
