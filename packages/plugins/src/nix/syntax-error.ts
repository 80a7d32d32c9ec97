import { nixErrorRule } from './report.js';

/**
 * Syntax errors from the grammar, minus its known gaps (which Nix accepts); also `let ${x} = ...` and
 * keywords used as names. The pipe operators `|>`/`<|` are errors as in Nix 2.8 unless the option
 * `allowPipeOperators` is set (Nix 2.24+ with the pipe-operators experimental feature).
 */
export const syntaxError = nixErrorRule('syntax-error', 'The file is not valid Nix syntax.', {
  explanation:
    'Nix cannot parse the file. The position is where the parser first got stuck; a missing `;` is reported ' +
    'where Nix reports it, at the token after the gap. Computed names (`${...}`) are not allowed in `let`.',
  bad: 'let a = 1; in a +',
  good: 'let a = 1; in a + 1',
}, { allowPipeOperators: false });
