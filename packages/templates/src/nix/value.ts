import { nixAttrPath, nixIndentedString, nixString } from './escape.js';

/** A raw Nix expression, inserted as it is. Only for text built from validated parts (never raw user input). */
export class NixExpr {
  constructor(readonly text: string) {}
}

/** A value that can be rendered as Nix: JSON data, raw expressions, and multi-line text to render as `''`. */
export type NixValue =
  | string
  | number
  | boolean
  | null
  | NixExpr
  | MultilineText
  | readonly NixValue[]
  | { readonly [key: string]: NixValue | undefined };

/** Text to render as an indented string when it is safe to (for example shell init text). */
export class MultilineText {
  constructor(readonly text: string) {}
}

export function nixExpr(text: string): NixExpr {
  return new NixExpr(text);
}

function isScalar(value: NixValue): boolean {
  return value === null || typeof value !== 'object' || value instanceof NixExpr;
}

function renderNumber(value: number): string {
  if (!Number.isFinite(value)) throw new Error(`cannot render ${value} as a Nix number`);
  if (Number.isInteger(value)) {
    if (!Number.isSafeInteger(value)) throw new Error(`integer ${value} is too large for Nix`);
    return String(value);
  }
  // Nix floats need a digit before the dot and no exponent without a digit after it.
  const text = String(value);
  return text.includes('e') ? value.toFixed(20).replace(/0+$/, '') : text;
}

/** Indentation stops growing here, so pathologically deep data gives output linear in its size. */
const MAX_INDENT = 200;

/**
 * Renders `value` as Nix in nixfmt's RFC style: attribute sets and lists of more than one element one item
 * per line, keys sorted, `undefined` attributes skipped. `indent` is the column the value starts on.
 * Iterative over an explicit stack, so deep data cannot overflow the call stack.
 */
export function renderNixValue(value: NixValue, indent = 0): string {
  type Frame = { kind: 'value'; value: NixValue; indent: number; listItem?: boolean } | { kind: 'text'; text: string };
  const parts: string[] = [];
  const stack: Frame[] = [{ kind: 'value', value, indent }];
  while (stack.length > 0) {
    const frame = stack.pop()!;
    if (frame.kind === 'text') {
      parts.push(frame.text);
      continue;
    }
    const { value: current } = frame;
    const column = Math.min(frame.indent, MAX_INDENT);
    if (current === null) parts.push('null');
    // Multi-line text reads best as an indented string; nixIndentedString falls back to "..." where that is not exact.
    else if (typeof current === 'string') parts.push(current.includes('\n') ? nixIndentedString(current, column) : nixString(current));
    else if (typeof current === 'number') {
      // In a list, `"a" -1` would parse as a subtraction: negative elements need parentheses.
      const text = renderNumber(current);
      parts.push(frame.listItem && text.startsWith('-') ? `(${text})` : text);
    }
    else if (typeof current === 'boolean') parts.push(current ? 'true' : 'false');
    else if (current instanceof NixExpr) parts.push(current.text);
    else if (current instanceof MultilineText) parts.push(nixIndentedString(current.text, column));
    else if (Array.isArray(current)) {
      const items = current as readonly NixValue[];
      if (items.length === 0) parts.push('[ ]');
      else if (items.length === 1 && isScalar(items[0]!)) {
        parts.push('[ ');
        stack.push({ kind: 'text', text: ' ]' }, { kind: 'value', value: items[0]!, indent: column, listItem: true });
      } else {
        const pad = ' '.repeat(column + 2);
        const frames: Frame[] = [{ kind: 'text', text: '[\n' }];
        for (const item of items) {
          frames.push({ kind: 'text', text: pad }, { kind: 'value', value: item, indent: column + 2, listItem: true }, { kind: 'text', text: '\n' });
        }
        frames.push({ kind: 'text', text: `${' '.repeat(column)}]` });
        for (let i = frames.length - 1; i >= 0; i -= 1) stack.push(frames[i]!);
      }
    } else {
      const record = current as NixRecord;
      const keys = definedKeys(record).sort(compareKeys);
      if (keys.length === 0) parts.push('{ }');
      else {
        const pad = ' '.repeat(column + 2);
        const frames: Frame[] = [{ kind: 'text', text: '{\n' }];
        for (const key of keys) {
          const { path, value: inner } = collapseSingleKeyPath([key], record[key]!);
          frames.push({ kind: 'text', text: `${pad}${nixAttrPath(path)} = ` }, { kind: 'value', value: inner, indent: column + 2 }, { kind: 'text', text: ';\n' });
        }
        frames.push({ kind: 'text', text: `${' '.repeat(column)}}` });
        for (let i = frames.length - 1; i >= 0; i -= 1) stack.push(frames[i]!);
      }
    }
  }
  return parts.join('');
}

type NixRecord = { readonly [key: string]: NixValue | undefined };

function isRecord(value: NixValue): value is NixRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof NixExpr) && !(value instanceof MultilineText);
}

function definedKeys(record: NixRecord): string[] {
  return Object.keys(record).filter((key) => record[key] !== undefined);
}

/** Turns `a = { b = { c = 1; }; }` into `a.b.c = 1;`: follows attribute sets that have exactly one attribute. */
export function collapseSingleKeyPath(path: readonly string[], value: NixValue): { path: string[]; value: NixValue } {
  const out = [...path];
  let current = value;
  while (isRecord(current)) {
    const keys = definedKeys(current);
    if (keys.length !== 1) break;
    out.push(keys[0]!);
    current = current[keys[0]!]!;
  }
  return { path: out, value: current };
}

/** Code-unit order, independent of locale, so output is byte-identical everywhere. */
export function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
