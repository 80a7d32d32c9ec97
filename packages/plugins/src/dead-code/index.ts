import { definePlugin } from '@nixforge/core';
import { unusedFormal, unusedLambdaArg, unusedLet, unusedPatternName } from './rules.js';

export { computeLiveness, livenessOf, type Liveness } from './liveness.js';
export type { DeadCodeOptions } from './options.js';

/** Unused bindings with deadnix's semantics, and fixes like `deadnix --edit`. */
export default definePlugin({
  name: 'dead-code',
  rules: {
    'unused-let': unusedLet,
    'unused-lambda-arg': unusedLambdaArg,
    'unused-formal': unusedFormal,
    'unused-pattern-name': unusedPatternName,
  },
});
