import { defineRule, type SyntaxNode } from '@nixforge/core';
import { ruleDocsUrl } from '../security/docs-url.js';
import { callAt, lastName, referencePath, unparen } from '../security/syntax.js';

/** Names conventionally bound to very large attribute sets. */
const LARGE_SCOPES = new Set(['pkgs', 'lib', 'builtins', 'self', 'super', 'final', 'prev', 'nixpkgs']);

/** Describes the environment of a `with` when it is a known large set; undefined otherwise. */
export function largeScopeName(environment: SyntaxNode | null, text: string): string | undefined {
  const env = unparen(environment);
  if (!env) return undefined;
  const path = referencePath(env, text);
  const name = lastName(path);
  if (name && (LARGE_SCOPES.has(name) || /Packages(_\d+)?$/.test(name))) return path!.join('.');
  if (env.type === 'apply_expression') {
    let inner: SyntaxNode = env;
    while (inner.childForFieldName('function')?.type === 'apply_expression') inner = inner.childForFieldName('function')!;
    const call = callAt(inner);
    if (call && lastName(referencePath(call.callee, text)) === 'import') return 'import ...';
  }
  return undefined;
}

/** `[ git curl python3Packages.requests ]`: a list of plain names, the accepted `with pkgs; [ ... ]` idiom. */
function isNameList(node: SyntaxNode): boolean {
  return (
    node.type === 'list_expression' &&
    node.namedChildren.every((e) => e.type === 'variable_expression' || e.type === 'select_expression' || e.type === 'comment')
  );
}

/** The `with ENV;` header of a with expression, where findings about it are reported. */
export function withHeader(node: SyntaxNode): { start: number; end: number } {
  const env = node.childForFieldName('environment');
  const semicolon = env?.nextSibling;
  return { start: node.startIndex, end: semicolon?.endIndex ?? env?.endIndex ?? node.endIndex };
}

/** `with pkgs;` / `with lib;` over a large body. */
export const withLargeScope = defineRule<{ maxBodyLines: number }>({
  meta: {
    description: '`with` brings a very large attribute set into scope over a large expression.',
    severity: 'info',
    messages: { largeWith: '`with {{scope}};` spans {{lines}} lines: inherit the names you use instead' },
    defaultOptions: { maxBodyLines: 10 },
    docs: {
      explanation:
        'Every unbound name inside `with pkgs;` or `with lib;` is looked up dynamically in a set of tens of ' +
        'thousands of attributes, tools (and readers) cannot tell where names come from, and typos become ' +
        'evaluation errors far away. Over a few lines (`with pkgs; [ git curl ]`) it is fine; over a whole ' +
        'file, use `inherit (lib) mkIf mkOption;` or qualified names. Option `maxBodyLines` (default 10) sets ' +
        'how many lines the body may span.',
      bad: '{ lib, ... }:\nwith lib;\n{\n  options.a = mkOption { };\n  options.b = mkOption { };\n  options.c = mkOption { };\n  options.d = mkOption { };\n  options.e = mkOption { };\n  options.f = mkOption { };\n  options.g = mkOption { };\n  options.h = mkOption { };\n  options.i = mkOption { };\n}',
      good: '{ lib, ... }:\nlet inherit (lib) mkOption; in\n{\n  options.a = mkOption { };\n}',
      url: ruleDocsUrl('performance', 'with-large-scope'),
    },
  },
  create(context) {
    const text = context.sourceText;
    const maxLines = Number(context.options.maxBodyLines);
    return {
      with_expression(node: SyntaxNode) {
        const name = largeScopeName(node.childForFieldName('environment'), text);
        const body = unparen(node.childForFieldName('body'));
        if (!name || !body || isNameList(body)) return;
        const lines = body.endPosition.row - body.startPosition.row + 1;
        if (lines <= maxLines) return;
        context.report({
          range: withHeader(node),
          messageId: 'largeWith',
          data: { scope: name, lines },
        });
      },
    };
  },
});
