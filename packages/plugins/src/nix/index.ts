import { definePlugin } from '@nixforge/core';
import { syntaxError } from './syntax-error.js';

/** Errors that Nix itself reports when parsing a file. */
export default definePlugin({
  name: 'nix',
  rules: {
    'syntax-error': syntaxError,
  },
});
