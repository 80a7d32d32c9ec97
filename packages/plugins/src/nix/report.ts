import { defineRule, type Rule, type RuleDocs } from '@nixforge/core';
import type { NixErrorKind } from './diagnostic.js';
import { nixDiagnosticsOf } from './analysis.js';
import { ruleDocsUrl } from '../security/docs-url.js';

/** A `nix/*` rule: reports the shared Nix diagnostics of one kind. */
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
      docs: { ...docs, url: ruleDocsUrl('nix', kind) },
      ...(defaultOptions ? { defaultOptions } : {}),
    },
    create(context) {
      const allowPipes = context.options.allowPipeOperators === true;
      return {
        onEnd() {
          for (const diagnostic of nixDiagnosticsOf(context)) {
            if (diagnostic.kind !== kind || (allowPipes && diagnostic.pipeOperator)) continue;
            context.report({
              range: diagnostic.range,
              message: diagnostic.message,
              ...(diagnostic.symbol !== undefined ? { symbol: diagnostic.symbol } : {}),
            });
          }
        },
      };
    },
  });
}
