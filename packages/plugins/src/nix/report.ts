import { defineRule, type Rule, type RuleDocs, type SyntaxNode } from '@nixforge/core';
import type { NixErrorKind } from './diagnostic.js';
import { nixDiagnosticsOf } from './analysis.js';
import { isDeliberateNixInput } from '../shared/file-roles.js';
import { ruleDocsUrl } from '../security/docs-url.js';
import { NIX_MESSAGES } from './messages.js';

/**
 * A `nix/*` rule: reports the shared Nix diagnostics of one kind. Files of test suites and documentation are left
 * alone unless `includeTests` is set: what Nix rejects there is nearly always a deliberate input or a snippet.
 */
export function nixErrorRule(
  kind: NixErrorKind,
  description: string,
  docs: Omit<RuleDocs, 'url'>,
  defaultOptions?: Record<string, unknown>,
): Rule {
  return defineRule({
    meta: {
      description,
      severity: 'error',
      messages: NIX_MESSAGES[kind],
      docs: {
        ...docs,
        explanation:
          `${docs.explanation} Files in test-suite and documentation directories (\`tests/\`, \`test/\`, \`docs/\`, ` +
          `\`golden/\`) and files named \`parse-fail-*\`/\`eval-fail-*\` are not checked unless \`includeTests\` is set: ` +
          'parser and formatter test suites keep invalid inputs there on purpose, and docs keep partial snippets.',
        url: ruleDocsUrl('nix', kind),
      },
      defaultOptions: { includeTests: false, ...defaultOptions },
    },
    create(context) {
      if (context.options.includeTests !== true && isDeliberateNixInput(context.filename)) return {};
      const allowPipes = context.options.allowPipeOperators === true;
      const scopedNames = new Set(
        kind === 'undefined-variable' && Array.isArray(context.options.scopedImportNames)
          ? (context.options.scopedImportNames as unknown[]).map(String)
          : [],
      );
      let topLevelIsFunction = false;
      const globals = new Set(Array.isArray(context.options.globals) ? (context.options.globals as unknown[]).map(String) : []);
      return {
        source_code(node: SyntaxNode) {
          let top = node.firstNamedChild;
          while (top?.type === 'comment') top = top.nextNamedSibling;
          topLevelIsFunction = top?.type === 'function_expression';
        },
        onEnd() {
          if (scopedNames.size > 0 && !topLevelIsFunction && context.fileType !== 'flake') {
            const unbound = nixDiagnosticsOf(context).filter((d) => d.kind === 'undefined-variable');
            // A file that is no function and needs only names a scopedImport loader provides is such a file.
            if (unbound.length > 0 && unbound.every((d) => d.symbol !== undefined && scopedNames.has(d.symbol))) return;
          }
          for (const diagnostic of nixDiagnosticsOf(context)) {
            if (diagnostic.kind !== kind || (allowPipes && diagnostic.pipeOperator)) continue;
            if (diagnostic.symbol !== undefined && globals.has(diagnostic.symbol)) continue;
            context.report({
              range: diagnostic.range,
              messageId: diagnostic.messageId,
              data: diagnostic.data,
              ...(diagnostic.symbol !== undefined ? { symbol: diagnostic.symbol } : {}),
            });
          }
        },
      };
    },
  });
}
