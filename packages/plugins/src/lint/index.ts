import { definePlugin } from '@nixforge/core';
import { boolComparison } from './rules/bool-comparison.js';
import { emptyLetIn } from './rules/empty-let-in.js';
import { manualInherit } from './rules/manual-inherit.js';
import { manualInheritFrom } from './rules/manual-inherit-from.js';
import { legacyLetSyntax } from './rules/legacy-let-syntax.js';
import { collapsibleLetIn } from './rules/collapsible-let-in.js';
import { etaReduction } from './rules/eta-reduction.js';
import { uselessParens } from './rules/useless-parens.js';
import { emptyPattern } from './rules/empty-pattern.js';
import { redundantPatternBind } from './rules/redundant-pattern-bind.js';
import { unquotedUri } from './rules/unquoted-uri.js';
import { emptyInherit } from './rules/empty-inherit.js';
import { deprecatedToPath } from './rules/deprecated-to-path.js';
import { boolSimplification } from './rules/bool-simplification.js';
import { uselessHasAttr } from './rules/useless-has-attr.js';
import { repeatedKeys } from './rules/repeated-keys.js';
import { emptyListConcat } from './rules/empty-list-concat.js';
import { deprecatedIsNull } from './rules/deprecated-is-null.js';

/** Style and simplification lints with statix's rules and fixes. */
export default definePlugin({
  name: 'lint',
  rules: {
    'bool-comparison': boolComparison,
    'empty-let-in': emptyLetIn,
    'manual-inherit': manualInherit,
    'manual-inherit-from': manualInheritFrom,
    'legacy-let-syntax': legacyLetSyntax,
    'collapsible-let-in': collapsibleLetIn,
    'eta-reduction': etaReduction,
    'useless-parens': uselessParens,
    'empty-pattern': emptyPattern,
    'redundant-pattern-bind': redundantPatternBind,
    'unquoted-uri': unquotedUri,
    'empty-inherit': emptyInherit,
    'deprecated-to-path': deprecatedToPath,
    'bool-simplification': boolSimplification,
    'useless-has-attr': uselessHasAttr,
    'repeated-keys': repeatedKeys,
    'empty-list-concat': emptyListConcat,
    'deprecated-is-null': deprecatedIsNull,
  },
});
