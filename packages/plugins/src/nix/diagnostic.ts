import type { TextRange } from '@nixforge/core';
import type { NixErrorKind } from './error-kind.js';
import type { NixMessageId } from './messages.js';

export type { NixErrorKind };

/**
 * An error Nix 2.8 raises when parsing a file (`nix-instantiate --parse`). `range` is what we report;
 * `nixOffset` is where Nix itself points (it differs for a few errors, e.g. `inherit x;` of an undefined
 * `x`, which Nix places at the start of the enclosing bindings). `phase` and `detectedAt` order
 * diagnostics as Nix meets them: the parser raises `parse` errors when it reduces the construct that ends
 * at `detectedAt`; variables are resolved (`bind`) only after the whole file parsed.
 */
export interface NixDiagnostic {
  kind: NixErrorKind;
  range: TextRange;
  /** The rule's `meta.messages` key (see messages.ts) and its placeholders. */
  messageId: NixMessageId;
  data: Record<string, string | number>;
  /** The text, `messageId`'s message filled from `data`. */
  message: string;
  symbol?: string;
  nixOffset: number;
  phase: 'parse' | 'bind';
  detectedAt: number;
  /** Set on syntax errors for the experimental pipe operators, which `allowPipeOperators` accepts. */
  pipeOperator?: true;
}

/** Nix's order: parse errors by the point the parser reaches them, then unresolved variables in file order. */
export function compareNixOrder(a: NixDiagnostic, b: NixDiagnostic): number {
  if (a.phase !== b.phase) return a.phase === 'parse' ? -1 : 1;
  return a.detectedAt - b.detectedAt || a.nixOffset - b.nixOffset || a.range.start - b.range.start;
}
