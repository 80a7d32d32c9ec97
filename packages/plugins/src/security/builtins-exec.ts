import { defineRule } from '@nixforge/core';
import { ruleDocsUrl } from './docs-url.js';
import { builtinReferences, syntaxIndex } from './indexes.js';
import { textOf } from './syntax.js';
import { refersToGlobal } from './global-names.js';

/** `builtins.exec`: runs a program while evaluating. */
export const builtinsExec = defineRule({
  meta: {
    description: '`builtins.exec` runs an arbitrary program during evaluation.',
    severity: 'error',
    messages: { runsProgram: '`{{name}}` runs a program while evaluating' },
    docs: {
      explanation:
        '`builtins.exec` only works with `allow-unsafe-native-code-during-evaluation`; it runs a command as the ' +
        'evaluating user, outside any sandbox, and its output is not reproducible. Produce the value with a ' +
        'derivation or pass it in.',
      bad: 'builtins.exec [ "sh" "-c" "echo 1" ]',
      good: 'pkgs.runCommand "value" { } "echo 1 > $out"',
      url: ruleDocsUrl('security', 'builtins-exec'),
    },
  },
  create(context) {
    return {
      onEnd() {
        for (const ref of builtinReferences(context.getAnalysis(syntaxIndex), ['exec'])) {
          if (!refersToGlobal(context, ref)) continue;
          context.report({ node: ref, messageId: 'runsProgram', data: { name: textOf(ref, context.sourceText) } });
        }
      },
    };
  },
});
