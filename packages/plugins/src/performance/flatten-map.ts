import { defineRule, type SyntaxNode, type TextEdit } from '@nixforge/core';
import { ruleDocsUrl } from '../security/docs-url.js';
import { callAt, lastName, referencePath, textOf, unparen } from '../security/syntax.js';
import { appliesNamed, syntaxIndex } from '../security/indexes.js';

/** A `map f xs` call with exactly two arguments, seen through parentheses (`(map f) xs` too). */
function mapCall(node: SyntaxNode, text: string): { fn: SyntaxNode; list: SyntaxNode } | undefined {
  const args: SyntaxNode[] = [];
  let target = unparen(node);
  while (target && target.type === 'apply_expression') {
    const arg = target.childForFieldName('argument');
    if (arg) args.unshift(arg);
    target = unparen(target.childForFieldName('function'));
  }
  const path = referencePath(target, text);
  if (args.length !== 2 || lastName(path) !== 'map' || path!.length > 2) return undefined;
  return { fn: args[0]!, list: args[1]! };
}

/** Expressions that are never lists, so flattening a list of them one level is flattening it completely. */
const NOT_A_LIST = new Set([
  'string_expression', 'indented_string_expression', 'integer_expression', 'float_expression', 'path_expression',
  'hpath_expression', 'attrset_expression', 'rec_attrset_expression',
]);

/**
 * `flatten` flattens nested lists at any depth, `concatMap` only one level: they agree when the mapped function
 * visibly returns a list of non-lists (`x: [ "-I" x.path ]` does not: `x.path` may be a list).
 */
function returnsFlatList(fn: SyntaxNode): boolean {
  const lambda = unparen(fn);
  if (lambda?.type !== 'function_expression') return false;
  const body = unparen(lambda.childForFieldName('body'));
  if (body?.type !== 'list_expression') return false;
  return body.namedChildren.every((element) => element.type === 'comment' || NOT_A_LIST.has(unparen(element)?.type ?? ''));
}

const ONLY_BLANKS = /^\s*$/;

/**
 * Edits that turn `f (map g xs)` into `concatMap g xs` and keep the layout: the callee's last name is renamed
 * and only `(map` and `)` go, so `g` and `xs` stay where they are (with their comments and line breaks).
 */
function concatMapEdits(
  callee: SyntaxNode,
  name: string,
  argument: SyntaxNode,
  mapped: { fn: SyntaxNode; list: SyntaxNode },
  text: string,
): TextEdit[] | undefined {
  const calleeText = textOf(callee, text);
  const calleeEdit = { range: { start: callee.endIndex - name.length, end: callee.endIndex }, text: 'concatMap' };
  const inner = argument.type === 'parenthesized_expression' ? unparen(argument) : null;
  const direct = inner?.type === 'apply_expression' && inner.childForFieldName('argument')?.id === mapped.list.id &&
    inner.childForFieldName('function')?.childForFieldName('argument')?.id === mapped.fn.id;
  if (direct && calleeText.endsWith(name)) {
    const head = text.slice(argument.startIndex, mapped.fn.startIndex);
    const tail = text.slice(mapped.list.endIndex, argument.endIndex);
    if (/^\(\s*[\w.]*map\s+$/.test(head) && /^\s*\)$/.test(tail)) {
      return [
        calleeEdit,
        { range: { start: argument.startIndex, end: mapped.fn.startIndex }, text: '' },
        { range: { start: mapped.list.endIndex, end: argument.endIndex }, text: '' },
      ];
    }
  }
  // Other shapes (`(map g) xs`) are rewritten whole, and only when that joins no lines.
  const whole = text.slice(callee.startIndex, argument.endIndex);
  if (whole.includes('\n') || whole.includes('#') || whole.includes('/*') || ONLY_BLANKS.test(whole)) return undefined;
  const concatMap = calleeText.slice(0, calleeText.length - name.length) + 'concatMap';
  return [{ range: { start: callee.startIndex, end: argument.endIndex }, text: `${concatMap} ${textOf(mapped.fn, text)} ${textOf(mapped.list, text)}` }];
}

/** `lib.flatten (map f xs)` and `concatLists (map f xs)`: use `concatMap`. */
export const flattenMap = defineRule({
  meta: {
    description: 'A list is built with `map` and then flattened; `concatMap` does both in one pass.',
    severity: 'info',
    messages: { flattenedMap: '`{{flatten}} (map ...)`: use `{{concatMap}}`' },
    fixable: true,
    docs: {
      explanation:
        '`concatLists (map f xs)` builds an intermediate list and then walks it again; `builtins.concatMap f xs` ' +
        '(or `lib.concatMap`) does it in one native call, with the same result. `lib.flatten (map f xs)` is ' +
        'reported only where `f` visibly returns a list of non-lists (`x: [ "-I" "${x}" ]`): `flatten` ' +
        'flattens nested lists at any depth and `concatMap` one level, so for any other `f` they differ.',
      bad: 'builtins.concatLists (map (x: [ x x ]) xs)',
      good: 'builtins.concatMap (x: [ x x ]) xs',
      url: ruleDocsUrl('performance', 'flatten-map'),
    },
  },
  create(context) {
    const text = context.sourceText;
    const check = (node: SyntaxNode): void => {
      const call = callAt(node);
      if (!call || call.args.length !== 1) return;
      const path = referencePath(call.callee, text);
      const name = lastName(path);
      if (name !== 'flatten' && name !== 'concatLists') return;
      const mapped = mapCall(call.args[0]!, text);
      if (!mapped) return;
      if (name === 'flatten' && !returnsFlatList(mapped.fn)) return;
      const callee = textOf(call.callee, text);
      const concatMap = callee.slice(0, callee.length - name.length) + 'concatMap';
      const edits = concatMapEdits(call.callee, name, call.args[0]!, mapped, text);
      context.report({
        node: call.node,
        messageId: 'flattenedMap',
        data: { flatten: callee, concatMap },
        ...(edits ? { fix: { description: `replace with \`${concatMap}\``, edits } } : {}),
      });
    };
    return {
      onEnd() {
        for (const node of appliesNamed(context.getAnalysis(syntaxIndex), ['flatten', 'concatLists'])) check(node);
      },
    };
  },
});
