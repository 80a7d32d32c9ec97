import type { Analysis } from '../plugin-api.js';
import type { ScopeAnalysisResult } from './model.js';
import { analyzeScopes } from './build.js';

export * from './model.js';
export { isBuiltinName } from './builtins.js';
export { staticKeyName } from './static-key.js';
export { analyzeScopes } from './build.js';

/**
 * The shared scope analysis: `context.getAnalysis(scopeAnalysis)` computes it once per file, on first
 * use, for every rule that asks.
 */
export const scopeAnalysis: Analysis<ScopeAnalysisResult> = {
  name: 'core/scope',
  compute: analyzeScopes,
};
