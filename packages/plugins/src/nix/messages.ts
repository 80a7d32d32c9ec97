import { fillMessage } from '@nixforge/core';
import type { NixErrorKind } from './error-kind.js';

/**
 * The `meta.messages` of each `nix/*` rule: one id per kind of diagnostic, in Nix 2.8's wording. Where the
 * text is the parser's own (the token it stopped at, what it found missing), it is passed whole as `message`.
 */
export const NIX_MESSAGES = {
  'syntax-error': {
    syntaxError: '{{message}}',
    keywordAsName: `syntax error, unexpected keyword '{{keyword}}' (quote it to use it as an attribute name: "{{keyword}}")`,
    pipeOperator: "syntax error, unexpected '{{operator}}': pipe operators are experimental (Nix 2.24+ with the pipe-operators feature)",
    dynamicLetAttribute: 'dynamic attributes not allowed in let',
  },
  'undefined-variable': {
    undefinedVariable: "undefined variable '{{name}}'",
  },
  'duplicate-attribute': {
    duplicateAttribute: "attribute '{{name}}' already defined at line {{line}}",
  },
  'duplicate-formal': {
    duplicateFormal: "duplicate formal function argument '{{name}}' (first at line {{line}})",
    atNameRepeatsFormal: "duplicate formal function argument '{{name}}': the @ name repeats a formal",
  },
  'dynamic-inherit': {
    dynamicInherit: 'dynamic attributes not allowed in inherit: use `name = expr;` for a computed name',
  },
  'invalid-integer': {
    integerTooLarge: "invalid integer '{{literal}}': integers must fit in 64 bits (at most 9223372036854775807)",
  },
} as const satisfies Record<NixErrorKind, Record<string, string>>;

/** The message ids of the rule for diagnostics of `kind`. */
export type NixMessageIdOf<K extends NixErrorKind> = keyof (typeof NIX_MESSAGES)[K] & string;

/** Any `nix/*` message id. */
export type NixMessageId = { [K in NixErrorKind]: NixMessageIdOf<K> }[NixErrorKind];

/** What a diagnostic says: its kind, message id and placeholders, and the filled text. */
export interface NixMessage<K extends NixErrorKind = NixErrorKind> {
  kind: K;
  messageId: NixMessageIdOf<K>;
  data: Record<string, string | number>;
  message: string;
}

/** The message `messageId` of the rule for `kind`, filled from `data`. */
export function nixMessage<K extends NixErrorKind>(kind: K, messageId: NixMessageIdOf<K>, data: Record<string, string | number> = {}): NixMessage<K> {
  const templates: Record<string, string> = NIX_MESSAGES[kind];
  return { kind, messageId, data, message: fillMessage(templates[messageId]!, data) };
}
