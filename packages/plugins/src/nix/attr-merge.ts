import { staticKeyName, type SourceFile, type SyntaxNode, type TextRange } from '@nixforge/core';
import type { NixDiagnostic } from './diagnostic.js';
import { codeChildren } from './attr-names.js';

/** One attribute of an attribute set as Nix's parser builds it. */
interface AttrDef {
  /** Where Nix places the definition (start of the attrpath; for `inherit`, the start of its name list). */
  nixOffset: number;
  /** The key node, for reporting. */
  range: TextRange;
  /** `inherit x;` values are variables, never attribute sets to merge into. */
  inherited: boolean;
  /** The attribute set literal this attribute holds, which later `a.x = ...` or `a = { ... }` extend. */
  value: AttrModel | undefined;
}

type AttrModel = Map<string, AttrDef>;

/** The node that holds a `binding_set`: its type and extent. */
export interface ContainerInfo {
  type: string;
  startIndex: number;
  endIndex: number;
}

const ATTRSET_TYPES = new Set(['attrset_expression', 'rec_attrset_expression']);

/**
 * Replays how Nix 2.8's parser assembles attribute sets (`addAttr` in its grammar) to find the errors it
 * raises: `attribute 'x' already defined`, `dynamic attributes not allowed in inherit`, and (for `let`)
 * `dynamic attributes not allowed in let`. Merging follows Nix: `a.b = 1; a.c = 2;` and
 * `a = { b = 1; }; a.c = 2;` are fine (a path through a literal set extends it; two literal sets merge),
 * anything else defined twice is an error. Binding sets are fed in post-order, so the sets written as
 * values of inner bindings are known when an outer binding uses them.
 */
export class AttrSetChecker {
  private readonly models = new Map<number, AttrModel>();
  readonly diagnostics: NixDiagnostic[] = [];

  constructor(private readonly source: SourceFile) {}

  /** Processes one `binding_set`; `container` is its parent (`attrset_expression`, `let_expression`...). */
  checkBindingSet(bindingSet: SyntaxNode, container: ContainerInfo): void {
    const model: AttrModel = new Map();
    for (const statement of codeChildren(bindingSet)) {
      if (statement.type === 'binding') this.addBinding(model, statement, container);
      else if (statement.type === 'inherit' || statement.type === 'inherit_from') this.addInherit(model, statement);
    }
    if (ATTRSET_TYPES.has(container.type)) this.models.set(container.startIndex, model);
  }

  private addBinding(model: AttrModel, binding: SyntaxNode, container: ContainerInfo): void {
    const attrpath = binding.childForFieldName('attrpath');
    if (attrpath === null) return;
    const keys = attrpath.childrenForFieldName('attr');
    if (keys.length === 0) return;
    const text = this.source.text;
    const nixOffset = attrpath.startIndex;
    const detectedAt = binding.endIndex;
    if (container.type === 'let_expression' && staticKeyName(keys[0]!, text) === undefined) {
      this.diagnostics.push({
        kind: 'syntax-error',
        range: { start: keys[0]!.startIndex, end: keys[0]!.endIndex },
        message: 'dynamic attributes not allowed in let',
        nixOffset: container.startIndex,
        phase: 'parse',
        detectedAt: container.endIndex,
      });
      return;
    }
    let attrs = model;
    for (let i = 0; i < keys.length - 1; i += 1) {
      const name = staticKeyName(keys[i]!, text);
      if (name === undefined) {
        attrs = new Map();
        continue;
      }
      const existing = attrs.get(name);
      if (existing === undefined) {
        const nested: AttrModel = new Map();
        attrs.set(name, { nixOffset, range: rangeOf(keys[i]!), inherited: false, value: nested });
        attrs = nested;
      } else if (!existing.inherited && existing.value !== undefined) {
        attrs = existing.value;
      } else {
        this.duplicate(attrpath, this.pathText(keys, i), existing, nixOffset, detectedAt);
        return;
      }
    }
    const last = keys[keys.length - 1]!;
    const name = staticKeyName(last, text);
    if (name === undefined) return;
    const value = this.attrsetValue(binding.childForFieldName('expression'));
    const existing = attrs.get(name);
    if (existing === undefined) {
      attrs.set(name, { nixOffset, range: rangeOf(last), inherited: false, value });
    } else if (value !== undefined && existing.value !== undefined && !existing.inherited) {
      for (const [member, definition] of value) {
        const clash = existing.value.get(member);
        if (clash === undefined) {
          existing.value.set(member, definition);
          continue;
        }
        this.diagnostics.push({
          kind: 'duplicate-attribute',
          range: clash.range,
          message: `attribute '${member}' already defined at line ${this.lineOf(definition.nixOffset)}`,
          symbol: member,
          nixOffset: clash.nixOffset,
          phase: 'parse',
          detectedAt,
        });
      }
    } else {
      this.duplicate(attrpath, this.pathText(keys, keys.length - 1), existing, nixOffset, detectedAt);
    }
  }

  private addInherit(model: AttrModel, statement: SyntaxNode): void {
    const attrs = statement.childForFieldName('attrs');
    if (attrs === null) return;
    const text = this.source.text;
    const listOffset = this.inheritListOffset(statement);
    const inherited = statement.type === 'inherit';
    for (const key of codeChildren(attrs)) {
      if (key.isMissing) continue;
      const name = staticKeyName(key, text);
      if (name === undefined) {
        this.diagnostics.push({
          kind: 'dynamic-inherit',
          range: rangeOf(key),
          message: 'dynamic attributes not allowed in inherit: use `name = expr;` for a computed name',
          nixOffset: key.startIndex,
          phase: 'parse',
          detectedAt: key.endIndex,
        });
        continue;
      }
      const existing = model.get(name);
      if (existing !== undefined) {
        this.diagnostics.push({
          kind: 'duplicate-attribute',
          range: rangeOf(key),
          message: `attribute '${name}' already defined at line ${this.lineOf(existing.nixOffset)}`,
          symbol: name,
          nixOffset: listOffset,
          phase: 'parse',
          detectedAt: statement.endIndex,
        });
        continue;
      }
      model.set(name, { nixOffset: listOffset, range: rangeOf(key), inherited, value: undefined });
    }
  }

  private duplicate(attrpath: SyntaxNode, path: string, existing: AttrDef, nixOffset: number, detectedAt: number): void {
    this.diagnostics.push({
      kind: 'duplicate-attribute',
      range: rangeOf(attrpath),
      message: `attribute '${path}' already defined at line ${this.lineOf(existing.nixOffset)}`,
      symbol: path,
      nixOffset,
      phase: 'parse',
      detectedAt,
    });
  }

  /** The attribute set literal a binding's value is, seen through parentheses (Nix drops them). */
  private attrsetValue(expression: SyntaxNode | null): AttrModel | undefined {
    let node = expression;
    while (node !== null && node.type === 'parenthesized_expression') node = node.childForFieldName('expression');
    if (node === null || !ATTRSET_TYPES.has(node.type)) return undefined;
    return this.models.get(node.startIndex) ?? new Map();
  }

  /** Nix places inherited attributes where their name list starts: right after `inherit` or `)`. */
  private inheritListOffset(statement: SyntaxNode): number {
    if (statement.type === 'inherit_from') {
      for (const child of statement.children) if (child.type === ')') return child.endIndex;
    }
    return statement.startIndex + 'inherit'.length;
  }

  private pathText(keys: SyntaxNode[], last: number): string {
    return keys
      .slice(0, last + 1)
      .map((key) => staticKeyName(key, this.source.text) ?? this.source.text.slice(key.startIndex, key.endIndex))
      .join('.');
  }

  private lineOf(offset: number): number {
    return this.source.positionAt(offset).line;
  }
}

function rangeOf(node: SyntaxNode): TextRange {
  return { start: node.startIndex, end: node.endIndex };
}
