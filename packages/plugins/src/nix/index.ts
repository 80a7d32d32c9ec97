import { definePlugin } from '@nixforge/core';
import { syntaxError } from './syntax-error.js';
import { duplicateAttribute, duplicateFormal, dynamicInherit, invalidInteger, undefinedVariable } from './rules.js';

export { computeNixDiagnostics, firstNixError, nixDiagnosticsOf } from './analysis.js';
export type { NixDiagnostic, NixErrorKind } from './diagnostic.js';

/** Errors that Nix itself reports when parsing a file (`nix-instantiate --parse`), in parity with Nix 2.8. */
export default definePlugin({
  name: 'nix',
  rules: {
    'syntax-error': syntaxError,
    'undefined-variable': undefinedVariable,
    'duplicate-attribute': duplicateAttribute,
    'duplicate-formal': duplicateFormal,
    'dynamic-inherit': dynamicInherit,
    'invalid-integer': invalidInteger,
  },
});
