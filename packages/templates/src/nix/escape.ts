/**
 * Escaping for Nix source text. Every function here returns text that, when parsed and evaluated by Nix,
 * yields exactly its input: no input can end a string early, start an antiquotation or leave a comment.
 */

const NIX_KEYWORDS = new Set(['if', 'then', 'else', 'assert', 'with', 'let', 'in', 'rec', 'inherit', 'or']);
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_'-]*$/;

/** True when `name` can be written as a bare attribute name (an identifier that is not a keyword). */
export function isNixIdentifier(name: string): boolean {
  return IDENTIFIER.test(name) && !NIX_KEYWORDS.has(name);
}

function assertNoNul(text: string): void {
  // Nix strings are C strings underneath: a NUL byte cannot be represented.
  if (text.includes('\0')) throw new Error('Nix strings cannot contain a NUL character');
}

/** A double-quoted Nix string: `\`, `"` and `${` are escaped, control characters written as `\n`, `\r`, `\t`. */
export function nixString(text: string): string {
  assertNoNul(text);
  let out = '"';
  for (let i = 0; i < text.length; i += 1) {
    const ch = text[i]!;
    switch (ch) {
      case '\\': out += '\\\\'; break;
      case '"': out += '\\"'; break;
      case '\n': out += '\\n'; break;
      case '\r': out += '\\r'; break;
      case '\t': out += '\\t'; break;
      case '$': out += text[i + 1] === '{' ? '\\$' : '$'; break;
      default: out += ch;
    }
  }
  return out + '"';
}

/**
 * True when `text` survives an indented string exactly: it ends with a newline, has no carriage returns,
 * and its least indented non-blank line starts at column 0 (Nix strips common leading spaces).
 */
export function fitsIndentedString(text: string): boolean {
  if (!text.endsWith('\n') || text.includes('\r') || text.includes('\0')) return false;
  let minIndent = Infinity;
  for (const line of text.slice(0, -1).split('\n')) {
    const indent = line.length - line.replace(/^ +/, '').length;
    if (indent < line.length) minIndent = Math.min(minIndent, indent);
  }
  return minIndent === 0;
}

/** Escapes the body of an indented string: `''` -> `'''`, `${` -> `''${`, and a lone `'` before `$` -> `''\'`. */
function escapeIndentedBody(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i += 1) {
    const ch = text[i]!;
    const next = text[i + 1];
    if (ch === "'" && next === "'") {
      out += "'''";
      i += 1;
    } else if (ch === "'" && next === '$') {
      out += "''\\'";
    } else if (ch === '$' && next === '{') {
      out += "''$";
    } else {
      out += ch;
    }
  }
  return out;
}

/**
 * An indented string (`''...''`) whose lines are indented by `indent` spaces, for multi-line text such as
 * shell init scripts. Text that would not survive Nix's indentation stripping falls back to `nixString`.
 */
export function nixIndentedString(text: string, indent: number): string {
  if (!fitsIndentedString(text)) return nixString(text);
  const pad = ' '.repeat(indent + 2);
  const lines = escapeIndentedBody(text.slice(0, -1)).split('\n');
  const body = lines.map((line) => (line.length === 0 ? '' : pad + line)).join('\n');
  return `''\n${body}\n${' '.repeat(indent)}''`;
}

/** An attribute name: bare when it is an identifier, otherwise a quoted string. */
export function nixAttrName(name: string): string {
  return isNixIdentifier(name) ? name : nixString(name);
}

/** A dotted attribute path such as `networking.interfaces."eth0.10"`. */
export function nixAttrPath(path: readonly string[]): string {
  return path.map(nixAttrName).join('.');
}

/** Text safe inside a `#` comment: one line, no control characters. */
export function nixCommentText(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ');
}
