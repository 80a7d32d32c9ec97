import { defineRule } from '@nixforge/core';
import { ruleDocsUrl } from './docs-url.js';
import { builtinReferences, syntaxIndex } from './indexes.js';
import { textOf } from './syntax.js';
import { refersToGlobal } from './global-names.js';
import { inArgumentDefault } from '../shared/argument-default.js';

const IMPURE = ['currentTime', 'currentSystem', 'getEnv', 'nixPath'];

/** Builtins whose value depends on the machine or moment of evaluation. */
export const impureBuiltin = defineRule({
  meta: {
    description: 'An impure builtin makes the result depend on the evaluating machine or moment.',
    severity: 'warning',
    messages: { impureBuiltin: '`{{name}}` is impure: pass the value in instead' },
    docs: {
      explanation:
        '`builtins.currentTime`, `currentSystem`, `getEnv` and `nixPath` read the environment of the evaluation, so ' +
        'two machines (or two runs) build different things, and pure evaluation (flakes, `--pure-eval`) rejects ' +
        'them. Pass the value in as an argument instead (e.g. `system` from the flake outputs). Argument ' +
        'defaults, `{ system ? builtins.currentSystem }:`, are that already: the accepted idiom of non-flake ' +
        'entry points, overridden by callers, and not reported.',
      bad: 'let system = builtins.currentSystem; in system',
      good: '{ system }: system',
      url: ruleDocsUrl('security', 'impure-builtin'),
    },
  },
  create(context) {
    return {
      onEnd() {
        for (const ref of builtinReferences(context.getAnalysis(syntaxIndex), IMPURE)) {
          if (!refersToGlobal(context, ref) || inArgumentDefault(ref)) continue;
          context.report({ node: ref, messageId: 'impureBuiltin', data: { name: textOf(ref, context.sourceText) } });
        }
      },
    };
  },
});
