import { defineRule, type Rule, type RuleContext, type RuleMeta, type SyntaxNode } from '@nixforge/core';
import { endsWithPath, optionPath, settingValue } from './option-path.js';
import { bindingsNamed, syntaxIndex } from './indexes.js';
import { inDocumentation } from './syntax.js';

/** What is wrong with a setting's value: a key of the rule's `meta.messages` and its placeholders. */
export interface SettingProblem<MessageId extends string> {
  messageId: MessageId;
  data?: Record<string, string>;
}

/** One option a setting rule watches, e.g. `networking.firewall.enable`, and what makes its value bad. */
export interface WatchedSetting<MessageId extends string = string> {
  path: readonly string[];
  /** Returns the problem when the (unwrapped) value is unsafe. */
  check(value: SyntaxNode, text: string): SettingProblem<MessageId> | undefined;
}

/**
 * Builds a rule that reports unsafe values of NixOS-style settings wherever the binding appears: nested
 * attribute sets, dotted paths, `mkIf`/`mkMerge`/`mkForce` wrappers. The finding is at the value, with the
 * message its setting's check names in `meta.messages`.
 */
export function settingRule<MessageId extends string>(
  meta: RuleMeta & { messages: Record<MessageId, string> },
  settings: readonly WatchedSetting<NoInfer<MessageId>>[],
  /** Files the rule does not look at, e.g. tests with fake credentials. */
  skipsFile: (context: RuleContext) => boolean = () => false,
): Rule {
  const lastNames = new Set(settings.map((s) => s.path[s.path.length - 1]!));
  return defineRule({
    meta,
    create(context) {
      if (skipsFile(context)) return {};
      const text = context.sourceText;
      const check = (node: SyntaxNode): void => {
        const path = optionPath(node, text);
        if (!path || inDocumentation(node, text)) return;
        const value = settingValue(node.childForFieldName('expression'), text);
        if (!value) return;
        for (const setting of settings) {
          if (!endsWithPath(path, setting.path)) continue;
          const problem = setting.check(value, text);
          if (problem) context.report({ node: value, ...problem });
          return;
        }
      };
      return {
        onEnd() {
          for (const node of bindingsNamed(context.getAnalysis(syntaxIndex), lastNames)) check(node);
        },
      };
    },
  });
}
