import type { SourceFile, TextRange } from '@nixforge/core';
import type { NixDiagnostic } from './diagnostic.js';
import { nixMessage } from './messages.js';
import type { BindingRecord, BindingSetRecord, InheritRecord, KeyRecord } from './statements.js';

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

  constructor(private readonly source: SourceFile) {}

  /** Processes one binding set, after all binding sets nested in it. */
  checkBindingSet(set: BindingSetRecord): void {
    const model: AttrModel = new Map();
    for (const statement of set.statements) {
      if (statement.kind === 'binding') this.addBinding(model, statement, set);
      else this.addInherit(model, statement);
    }
    if (ATTRSET_TYPES.has(set.containerType)) this.models.set(set.container.start, model);
  }

  private addBinding(model: AttrModel, binding: BindingRecord, set: BindingSetRecord): void {
    const keys = binding.keys;
    if (binding.attrpath === undefined || keys.length === 0) return;
    const nixOffset = binding.attrpath.start;
    const detectedAt = binding.range.end;
    if (set.containerType === 'let_expression' && keys[0]!.name === undefined) {
      this.diagnostics.push({
        ...nixMessage('syntax-error', 'dynamicLetAttribute'),
        range: keys[0]!.range,
        nixOffset: set.container.start,
        phase: 'parse',
        detectedAt: set.container.end,
      });
      return;
    }
    let attrs = model;
    for (let i = 0; i < keys.length - 1; i += 1) {
      const name = keys[i]!.name;
      if (name === undefined) {
        attrs = new Map();
        continue;
      }
      const existing = attrs.get(name);
      if (existing === undefined) {
        const nested: AttrModel = new Map();
        attrs.set(name, { nixOffset, range: keys[i]!.range, inherited: false, value: nested });
        attrs = nested;
      } else if (!existing.inherited && existing.value !== undefined) {
        attrs = existing.value;
      } else {
        this.duplicate(binding.attrpath, this.pathText(keys, i), existing, nixOffset, detectedAt);
        return;
      }
    }
    const last = keys[keys.length - 1]!;
    if (last.name === undefined) return;
    const value = binding.attrsetValueStart < 0 ? undefined : (this.models.get(binding.attrsetValueStart) ?? new Map());
    const existing = attrs.get(last.name);
    if (existing === undefined) {
      attrs.set(last.name, { nixOffset, range: last.range, inherited: false, value });
    } else if (value !== undefined && existing.value !== undefined && !existing.inherited) {
      for (const [member, definition] of value) {
        const clash = existing.value.get(member);
        if (clash === undefined) {
          existing.value.set(member, definition);
          continue;
        }
        this.diagnostics.push({
          ...nixMessage('duplicate-attribute', 'duplicateAttribute', { name: member, line: this.lineOf(definition.nixOffset) }),
          range: clash.range,
          symbol: member,
          nixOffset: clash.nixOffset,
          phase: 'parse',
          detectedAt,
        });
      }
    } else {
      this.duplicate(binding.attrpath, this.pathText(keys, keys.length - 1), existing, nixOffset, detectedAt);
    }
  }

  private addInherit(model: AttrModel, statement: InheritRecord): void {
    const inherited = statement.kind === 'inherit';
    for (const key of statement.keys) {
      if (key.name === undefined) {
        this.diagnostics.push({
          ...nixMessage('dynamic-inherit', 'dynamicInherit'),
          range: key.range,
          nixOffset: key.range.start,
          phase: 'parse',
          detectedAt: key.range.end,
        });
        continue;
      }
      const existing = model.get(key.name);
      if (existing !== undefined) {
        this.diagnostics.push({
          ...nixMessage('duplicate-attribute', 'duplicateAttribute', { name: key.name, line: this.lineOf(existing.nixOffset) }),
          range: key.range,
          symbol: key.name,
          nixOffset: statement.listOffset,
          phase: 'parse',
          detectedAt: statement.range.end,
        });
        continue;
      }
      model.set(key.name, { nixOffset: statement.listOffset, range: key.range, inherited, value: undefined });
    }
  }

  private duplicate(attrpath: TextRange, path: string, existing: AttrDef, nixOffset: number, detectedAt: number): void {
    this.diagnostics.push({
      ...nixMessage('duplicate-attribute', 'duplicateAttribute', { name: path, line: this.lineOf(existing.nixOffset) }),
      range: attrpath,
      symbol: path,
      nixOffset,
      phase: 'parse',
      detectedAt,
    });
  }

  private pathText(keys: readonly KeyRecord[], last: number): string {
    return keys
      .slice(0, last + 1)
      .map((key) => key.name ?? this.source.text.slice(key.range.start, key.range.end))
      .join('.');
  }

  private lineOf(offset: number): number {
    return this.source.positionAt(offset).line;
  }
}
