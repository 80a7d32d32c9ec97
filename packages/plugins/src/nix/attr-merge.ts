import type { SourceFile, SyntaxTree, TextRange } from '@nixforge/core';
import type { NixDiagnostic } from './diagnostic.js';
import { nixMessage } from './messages.js';
import { BindingParts, InheritParts, readBinding, readInherit, StatementKind, statementKind, type StatementKeys } from './statements.js';

/** One attribute of an attribute set as Nix's parser builds it. */
interface AttrDef {
  /** Where Nix places the definition (start of the attrpath; for `inherit`, the start of its name list). */
  nixOffset: number;
  /** The key node (its index), for reporting. */
  key: number;
  /** `inherit x;` values are variables, never attribute sets to merge into. */
  inherited: boolean;
  /** The attribute set literal this attribute holds, which later `a.x = ...` or `a = { ... }` extend. */
  value: AttrModel | undefined;
}

type AttrModel = Map<string, AttrDef>;

const ATTRSET_TYPES = new Set(['attrset_expression', 'rec_attrset_expression']);

/**
 * Replays how Nix 2.8's parser assembles attribute sets (`addAttr` in its grammar) to find the errors it
 * raises: `attribute 'x' already defined`, `dynamic attributes not allowed in inherit`, and (for `let`)
 * `dynamic attributes not allowed in let`. Merging follows Nix: `a.b = 1; a.c = 2;` and
 * `a = { b = 1; }; a.c = 2;` are fine (a path through a literal set extends it; two literal sets merge),
 * anything else defined twice is an error. Binding sets are fed in post-order (as the walk leaves them), so
 * the sets written as values of inner bindings are known when an outer binding uses them.
 */
export class AttrSetChecker {
  private readonly models = new Map<number, AttrModel>();
  readonly diagnostics: NixDiagnostic[] = [];
  private readonly tree: SyntaxTree;
  private readonly binding = new BindingParts();
  private readonly inherit = new InheritParts();

  constructor(private readonly source: SourceFile) {
    this.tree = source.tree;
  }

  /** Processes the `binding_set` at node `index`, held by the binding container `container`, after all binding sets nested in it. */
  checkBindingSet(index: number, container: number): void {
    const tree = this.tree;
    const text = this.source.text;
    const containerType = tree.typeOf(container);
    const model: AttrModel = new Map();
    const end = tree.subtreeEnds[index]!;
    for (let child = index + 1; child < end; child = tree.subtreeEnds[child]!) {
      const kind = statementKind(tree, child);
      if (kind === StatementKind.Binding) {
        readBinding(tree, child, text, this.binding);
        this.addBinding(model, child, this.binding, containerType, container);
      } else if (kind === StatementKind.Inherit) {
        readInherit(tree, child, text, this.inherit);
        this.addInherit(model, child, this.inherit);
      }
    }
    if (ATTRSET_TYPES.has(containerType)) this.models.set(tree.starts[container]!, model);
  }

  private addBinding(model: AttrModel, statement: number, binding: BindingParts, containerType: string, container: number): void {
    const { starts, ends } = this.tree;
    const keys = binding.keys;
    if (binding.attrpath < 0 || keys.length === 0) return;
    const nixOffset = starts[binding.attrpath]!;
    const detectedAt = ends[statement]!;
    if (containerType === 'let_expression' && keys.names[0] === undefined) {
      this.diagnostics.push({
        ...nixMessage('syntax-error', 'dynamicLetAttribute'),
        range: this.rangeOf(keys.nodes[0]!),
        nixOffset: starts[container]!,
        phase: 'parse',
        detectedAt: ends[container]!,
      });
      return;
    }
    let attrs = model;
    for (let i = 0; i < keys.length - 1; i += 1) {
      const name = keys.names[i];
      if (name === undefined) {
        attrs = new Map();
        continue;
      }
      const existing = attrs.get(name);
      if (existing === undefined) {
        const nested: AttrModel = new Map();
        attrs.set(name, { nixOffset, key: keys.nodes[i]!, inherited: false, value: nested });
        attrs = nested;
      } else if (!existing.inherited && existing.value !== undefined) {
        attrs = existing.value;
      } else {
        this.duplicate(binding.attrpath, this.pathText(keys, i), existing, nixOffset, detectedAt);
        return;
      }
    }
    const last = keys.length - 1;
    const lastName = keys.names[last];
    if (lastName === undefined) return;
    const value = binding.attrsetValueStart < 0 ? undefined : (this.models.get(binding.attrsetValueStart) ?? new Map());
    const existing = attrs.get(lastName);
    if (existing === undefined) {
      attrs.set(lastName, { nixOffset, key: keys.nodes[last]!, inherited: false, value });
    } else if (value !== undefined && existing.value !== undefined && !existing.inherited) {
      for (const [member, definition] of value) {
        const clash = existing.value.get(member);
        if (clash === undefined) {
          existing.value.set(member, definition);
          continue;
        }
        this.diagnostics.push({
          ...nixMessage('duplicate-attribute', 'duplicateAttribute', { name: member, line: this.lineOf(definition.nixOffset) }),
          range: this.rangeOf(clash.key),
          symbol: member,
          nixOffset: clash.nixOffset,
          phase: 'parse',
          detectedAt,
        });
      }
    } else {
      this.duplicate(binding.attrpath, this.pathText(keys, last), existing, nixOffset, detectedAt);
    }
  }

  private addInherit(model: AttrModel, statement: number, inherit: InheritParts): void {
    const inherited = !inherit.fromExpression;
    const keys = inherit.keys;
    for (let i = 0; i < keys.length; i += 1) {
      const key = keys.nodes[i]!;
      const name = keys.names[i];
      if (name === undefined) {
        const range = this.rangeOf(key);
        this.diagnostics.push({
          ...nixMessage('dynamic-inherit', 'dynamicInherit'),
          range,
          nixOffset: range.start,
          phase: 'parse',
          detectedAt: range.end,
        });
        continue;
      }
      const existing = model.get(name);
      if (existing !== undefined) {
        this.diagnostics.push({
          ...nixMessage('duplicate-attribute', 'duplicateAttribute', { name, line: this.lineOf(existing.nixOffset) }),
          range: this.rangeOf(key),
          symbol: name,
          nixOffset: inherit.listOffset,
          phase: 'parse',
          detectedAt: this.tree.ends[statement]!,
        });
        continue;
      }
      model.set(name, { nixOffset: inherit.listOffset, key, inherited, value: undefined });
    }
  }

  private duplicate(attrpath: number, path: string, existing: AttrDef, nixOffset: number, detectedAt: number): void {
    this.diagnostics.push({
      ...nixMessage('duplicate-attribute', 'duplicateAttribute', { name: path, line: this.lineOf(existing.nixOffset) }),
      range: this.rangeOf(attrpath),
      symbol: path,
      nixOffset,
      phase: 'parse',
      detectedAt,
    });
  }

  private pathText(keys: StatementKeys, last: number): string {
    const parts: string[] = [];
    for (let i = 0; i <= last; i += 1) {
      const range = this.rangeOf(keys.nodes[i]!);
      parts.push(keys.names[i] ?? this.source.text.slice(range.start, range.end));
    }
    return parts.join('.');
  }

  private rangeOf(node: number): TextRange {
    return { start: this.tree.starts[node]!, end: this.tree.ends[node]! };
  }

  private lineOf(offset: number): number {
    return this.source.positionAt(offset).line;
  }
}
