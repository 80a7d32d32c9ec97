import type { SourceFile, SyntaxNode, TextRange } from '@nixforge/core';
import { attrPathNames, isBoolean, literalString, unparen } from '../security/syntax.js';

/** An input declared in flake.nix. */
export interface FlakeInput {
  name: string;
  /** `url = "..."`, when literal. */
  url?: string;
  /** The input's type: from `type = "..."`, else derived from the URL scheme (`github`, `git`, `path`, ...). */
  type?: string;
  /** `inputs.<name>.follows = "other"`: this input is another one. */
  follows?: string;
  /** `inputs.<name>.inputs.<sub>.follows = "x"`: overrides of the input's own inputs. */
  inputFollows: Record<string, string>;
  /** False for `flake = false`. */
  flake: boolean;
  /** Where the input is first mentioned (its name in the attrpath), for findings. */
  range: TextRange;
}

/** Inputs of a flake plus where the `inputs` attribute itself is. */
export interface FlakeInputs {
  inputs: FlakeInput[];
  /** The `inputs` key of the first binding that declares inputs. */
  inputsRange?: TextRange;
}

/** Derives an input type from a flake reference URL. */
export function inputTypeOf(url: string): string {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase();
  if (!scheme) return url.startsWith('/') || url.startsWith('.') ? 'path' : 'indirect';
  if (scheme.startsWith('git+')) return 'git';
  if (scheme.startsWith('hg+')) return 'mercurial';
  if (scheme.startsWith('tarball+')) return 'tarball';
  if (scheme.startsWith('file+')) return 'file';
  if (scheme === 'http' || scheme === 'https') return /\.(tar(\.\w+)?|tgz|zip)([?#]|$)/.test(url) ? 'tarball' : 'file';
  if (scheme === 'flake') return 'indirect';
  return scheme;
}

interface FlatBinding {
  names: string[];
  /** The key node of the binding (or the attr node for the input's own name when nested). */
  key: SyntaxNode;
  /** Attr nodes along the names, where known; used to point at the input name. */
  attrs: SyntaxNode[];
  value: SyntaxNode;
}

/**
 * Flattens nested attribute-set literals into full attrpaths, without recursion:
 * `{ inputs = { a.url = "x"; }; }` gives [inputs, a, url] = "x".
 */
function flattenBindings(attrset: SyntaxNode, text: string): FlatBinding[] {
  const flat: FlatBinding[] = [];
  const pending: Array<{ set: SyntaxNode; prefix: string[]; attrs: SyntaxNode[] }> = [{ set: attrset, prefix: [], attrs: [] }];
  while (pending.length > 0) {
    const { set, prefix, attrs } = pending.pop()!;
    const bindings = set.namedChildren.find((c) => c.type === 'binding_set');
    for (const binding of bindings?.namedChildren ?? []) {
      if (binding.type !== 'binding') continue;
      const key = binding.childForFieldName('attrpath');
      const names = attrPathNames(key, text);
      const value = unparen(binding.childForFieldName('expression'));
      if (!key || !names || !value) continue;
      const keyAttrs = key.namedChildren.filter((c) => c.type !== 'comment');
      const path = [...prefix, ...names];
      const pathAttrs = [...attrs, ...keyAttrs];
      if (value.type === 'attrset_expression' || value.type === 'rec_attrset_expression') {
        pending.push({ set: value, prefix: path, attrs: pathAttrs });
      } else {
        flat.push({ names: path, key, attrs: pathAttrs, value });
      }
    }
  }
  return flat.sort((a, b) => a.key.startIndex - b.key.startIndex);
}

function topAttrset(source: SourceFile): SyntaxNode | undefined {
  const top = unparen(source.tree.rootNode.namedChildren[0] ?? null);
  return top && (top.type === 'attrset_expression' || top.type === 'rec_attrset_expression') ? top : undefined;
}

/** Reads the inputs a flake.nix declares (literal values only; nothing is evaluated). */
export function readFlakeInputs(source: SourceFile): FlakeInputs {
  const text = source.text;
  const top = topAttrset(source);
  if (!top) return { inputs: [] };
  const byName = new Map<string, FlakeInput>();
  let inputsRange: TextRange | undefined;
  for (const binding of flattenBindings(top, text)) {
    const [head, name, ...rest] = binding.names;
    if (head !== 'inputs' || name === undefined) continue;
    inputsRange ??= { start: binding.attrs[0]!.startIndex, end: binding.attrs[0]!.endIndex };
    let input = byName.get(name);
    if (!input) {
      const attr = binding.attrs[1] ?? binding.key;
      input = { name, inputFollows: {}, flake: true, range: { start: attr.startIndex, end: attr.endIndex } };
      byName.set(name, input);
    }
    const value = binding.value;
    const field = rest.join('.');
    if (field === 'url') {
      const url = literalString(value, text);
      if (url !== undefined) {
        input.url = url;
        input.type ??= inputTypeOf(url);
      }
    } else if (field === 'type') {
      const type = literalString(value, text);
      if (type !== undefined) input.type = type;
    } else if (field === 'follows') {
      const target = literalString(value, text);
      if (target !== undefined) input.follows = target;
    } else if (field === 'flake') {
      if (isBoolean(value, text, false)) input.flake = false;
    } else if (rest.length === 3 && rest[0] === 'inputs' && rest[2] === 'follows') {
      const target = literalString(value, text);
      if (target !== undefined) input.inputFollows[rest[1]!] = target;
    }
  }
  const result: FlakeInputs = { inputs: [...byName.values()] };
  if (inputsRange) result.inputsRange = inputsRange;
  return result;
}
