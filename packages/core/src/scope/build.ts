import type { SourceFile } from '../source.js';
import type { SyntaxNode, SyntaxTree } from '../tree-sitter.js';
import type { GrammarTables } from '../syntax-tree.js';
import type { TextRange } from '../positions.js';
import { isBuiltinName } from './builtins.js';
import { staticKeyName } from './static-key.js';
import { symbolTable } from '../symbol-table.js';
import type {
  Declaration,
  DeclarationKind,
  Reference,
  Resolution,
  Scope,
  ScopeAnalysisResult,
  ScopeKind,
} from './model.js';

interface MutableScope extends Scope {
  readonly declarations: Map<string, MutableDeclaration>;
  readonly children: MutableScope[];
  readonly parent: MutableScope | undefined;
  hasFormals: boolean;
  universal: MutableDeclaration | undefined;
}

interface MutableDeclaration extends Declaration {
  kind: DeclarationKind;
  readonly bindingRanges: TextRange[];
  readonly scope: MutableScope;
}

/** A reference as the walk records it; `resolution` is filled in by `finish`, once every scope is complete. */
interface PendingReference extends Reference {
  resolution: Resolution;
  readonly scope: MutableScope;
}

/**
 * What the builder tells node kinds apart by: a small code per grammar symbol (see `roleTable`), so the walk
 * compares integers from the tree's `kinds` array instead of type strings.
 */
const enum Role {
  Other,
  // The types that open scopes, declare names or use them (up to `LAST_RELEVANT`).
  Variable,
  Function,
  Let,
  Rec,
  LegacyLet,
  Formals,
  Formal,
  Binding,
  Inherit,
  InheritFrom,
  // Relevant only under `inherited_attrs`.
  Identifier,
  String,
  Interpolation,
  // Read only as the parent or grandparent of a node.
  With,
  InheritedAttrs,
  BindingSet,
  Attrset,
}

const LAST_RELEVANT = Role.InheritFrom;
const ROLE_COUNT = Role.Attrset + 1;

/**
 * 1 at `parentRole * ROLE_COUNT + role` when a node of `role` under one of `parentRole` opens a scope, declares
 * or uses a name. A table, not comparisons: the walk reads it for every node, so optimised code has no branch
 * that only some files reach (and that would deoptimise it when one first does).
 */
const RELEVANT_UNDER = ((): Uint8Array => {
  const table = new Uint8Array(ROLE_COUNT * ROLE_COUNT);
  for (let parent = 0; parent < ROLE_COUNT; parent += 1) {
    for (let role = 0; role < ROLE_COUNT; role += 1) {
      const relevant =
        (role !== Role.Other && role <= LAST_RELEVANT) ||
        (parent === Role.InheritedAttrs && (role === Role.Identifier || role === Role.String || role === Role.Interpolation));
      table[parent * ROLE_COUNT + role] = relevant ? 1 : 0;
    }
  }
  return table;
})();

const ROLE_OF_TYPE: ReadonlyMap<string, Role> = new Map([
  ['variable_expression', Role.Variable],
  ['function_expression', Role.Function],
  ['let_expression', Role.Let],
  ['rec_attrset_expression', Role.Rec],
  ['let_attrset_expression', Role.LegacyLet],
  ['formals', Role.Formals],
  ['formal', Role.Formal],
  ['binding', Role.Binding],
  ['inherit', Role.Inherit],
  ['inherit_from', Role.InheritFrom],
  ['identifier', Role.Identifier],
  ['string_expression', Role.String],
  ['interpolation', Role.Interpolation],
  ['with_expression', Role.With],
  ['inherited_attrs', Role.InheritedAttrs],
  ['binding_set', Role.BindingSet],
  ['attrset_expression', Role.Attrset],
]);

/** The scope a node of this role declares its `binding_set`'s names in (undefined: it declares none). */
function declaringKind(role: Role): ScopeKind | undefined {
  return role === Role.Let ? 'let' : role === Role.Rec ? 'rec' : role === Role.LegacyLet ? 'legacy-let' : undefined;
}

/** Parents whose children's field names matter (`with` body, `inherit (e)` source, `@` name, formal name). */
function isFieldParent(role: Role): boolean {
  return role === Role.With || role === Role.InheritFrom || role === Role.Function || role === Role.Formal;
}

/** The grammar's roles by symbol id, and the ids of the fields the builder reads. */
interface GrammarRoles {
  roles: Uint8Array;
  body: number;
  expression: number;
  universal: number;
  name: number;
}

const rolesByGrammar = new WeakMap<GrammarTables, GrammarRoles>();

function grammarRoles(grammar: GrammarTables): GrammarRoles {
  let roles = rolesByGrammar.get(grammar);
  if (roles === undefined) {
    // Types not in ROLE_OF_TYPE, ERROR nodes included, read as 0: `Role.Other`.
    const table = symbolTable(grammar, ROLE_OF_TYPE);
    const fieldId = (name: string): number => {
      const id = grammar.fieldNames.indexOf(name);
      return id > 0 ? id : -1;
    };
    roles = { roles: table, body: fieldId('body'), expression: fieldId('expression'), universal: fieldId('universal'), name: fieldId('name') };
    rolesByGrammar.set(grammar, roles);
  }
  return roles;
}

const NO_OWNERS: readonly Declaration[] = [];

/**
 * Builds scopes in one pass over the tree's arrays (see `analyzeScopes`). Per-depth frames remember each open node's role (and
 * the range of the few whose range is needed), and how many scopes and whether an owner group entering it opened (a `with` body that is
 * itself a `let` opens two), so leaving it can undo that.
 * References are resolved after the walk, when every scope is complete (`let` and `rec` are recursive and
 * formal defaults may use later formals).
 */
class ScopeBuilder {
  /** Role of the open node at each depth. */
  private readonly roleAt: number[] = [];
  private readonly roles: Uint8Array;
  private readonly fieldIds: GrammarRoles;
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];
  private readonly openedScopes: number[] = [];
  private readonly openedOwner: boolean[] = [];

  private readonly scopes: MutableScope[] = [];
  private readonly declarations: MutableDeclaration[] = [];
  private readonly pending: PendingReference[] = [];
  private readonly dynamicBindings: TextRange[] = [];
  private readonly owners: Array<readonly Declaration[]> = [];
  private scope: MutableScope;
  /**
   * Nix merges later bindings of a name into an earlier `name = rec { ... }` of the same set (NixOS/nix#9020):
   * `a = rec { b = c; }; a.c = 1;` or `a = { c = 1; }` declare `c` in that `rec` scope and evaluate there.
   * Per depth of an open binding_set (only when the text has `rec`): the `rec` scope of each name whose first
   * binding in the set is `name = rec { ... }`; undefined while the set has none.
   */
  private readonly recByKey: Array<Map<string, MutableScope> | undefined> = [];
  /** Per depth of an open node evaluated in a borrowed (merged-into) scope: the scope to return to. */
  private readonly restoreScope: Array<MutableScope | undefined> = [];
  /** Per depth of an open binding `name = { ... }` merged into a `rec` scope: that scope. */
  private readonly mergeValue: Array<MutableScope | undefined> = [];
  /** Per depth of an open `{ ... }` whose static keys are declared in a merged-into `rec` scope. */
  private readonly mergeInto: Array<MutableScope | undefined> = [];
  /**
   * Per depth of an open binding_set: the first keys of its bindings before child `scanned`, read up to each
   * `name = rec { ... }` in turn (so a set with many of them is read once, not once for each).
   */
  private readonly firstKeys: Array<{ keys: Set<string>; scanned: number } | undefined> = [];
  private readonly mayMergeRec: boolean;
  /** Per depth of an open declaring `inherit (e)`: its declarations and the range of `e`. */
  private readonly inheritFrom: Array<{ group: Declaration[]; source: TextRange | undefined } | undefined> = [];

  constructor(
    private readonly text: string,
    private readonly tree: SyntaxTree,
  ) {
    this.scope = this.newScope('root', { start: 0, end: text.length });
    this.mayMergeRec = text.includes('rec');
    this.fieldIds = grammarRoles(tree.grammar);
    this.roles = this.fieldIds.roles;
  }

  /** The node being entered (its index in the tree's arrays). */
  private index = 0;
  /** Length of every per-depth array: they grow together, filled with defaults, so no read is past an end. */
  private depthCapacity = 0;

  enter(depth: number, index: number): void {
    this.index = index;
    if (depth === this.depthCapacity) this.addDepth();
    const role = this.roles[this.tree.kinds[index]!]!;
    const parentRole = depth > 0 ? this.roleAt[depth - 1]! : Role.Other;
    const merged = this.mayMergeRec ? this.recMergeScope(depth, role, parentRole) : undefined;
    this.enterNode(depth, role, parentRole);
    if (merged !== undefined) {
      this.restoreScope[depth] = this.scope;
      this.scope = merged;
    }
  }

  /** One more depth in every per-depth array (the walk goes at most one level deeper per node). */
  private addDepth(): void {
    this.roleAt.push(Role.Other);
    this.starts.push(0);
    this.ends.push(0);
    this.openedScopes.push(0);
    this.openedOwner.push(false);
    this.recByKey.push(undefined);
    this.firstKeys.push(undefined);
    this.restoreScope.push(undefined);
    this.mergeValue.push(undefined);
    this.mergeInto.push(undefined);
    this.inheritFrom.push(undefined);
    this.depthCapacity += 1;
  }

  private enterNode(depth: number, role: Role, parentRole: Role): void {
    const tree = this.tree;
    const index = this.index;
    this.roleAt[depth] = role;
    this.openedScopes[depth] = 0;
    this.openedOwner[depth] = false;
    // Most nodes matter only by their type.
    const needsField = depth > 0 && isFieldParent(parentRole);
    if (!needsField && RELEVANT_UNDER[parentRole * ROLE_COUNT + role] === 0) return;
    const start = tree.starts[index]!;
    const end = tree.ends[index]!;
    this.starts[depth] = start;
    this.ends[depth] = end;
    // Error recovery inserts zero-width MISSING nodes (e.g. the name of an empty `inherit;`): not names.
    if (start === end) return;
    const field = needsField ? tree.fields[index]! : 0;
    const ids = this.fieldIds;

    if (field === ids.body && parentRole === Role.With) this.openScope(depth, 'with', start, end);
    const statement = field === ids.expression && parentRole === Role.InheritFrom ? this.inheritFrom[depth - 1] : undefined;
    if (statement) statement.source = { start, end };

    switch (role) {
      case Role.Variable:
        this.pending.push({
          name: this.text.slice(start, end),
          range: { start, end },
          scope: this.scope,
          fromInherit: false,
          owners: this.currentOwners(),
          resolution: undefined,
        });
        break;
      case Role.Function:
        this.openScope(depth, 'lambda', start, end);
        break;
      case Role.Let:
      case Role.Rec:
      case Role.LegacyLet: {
        this.openScope(depth, declaringKind(role)!, start, end);
        if (role === Role.Rec && this.mayMergeRec) this.registerRecValue(depth);
        break;
      }
      case Role.Formals:
        if (parentRole === Role.Function) this.scope.hasFormals = true;
        break;
      case Role.Formal:
        if (parentRole === Role.Formals) this.pushOwner(depth, []);
        break;
      case Role.Identifier:
        this.enterIdentifier(depth, field, parentRole, start, end);
        break;
      case Role.String:
      case Role.Interpolation:
        if (parentRole === Role.InheritedAttrs) {
          const name = staticKeyName(tree.node(index), this.text);
          if (name !== undefined) this.inheritName(depth, name, { start, end });
        }
        break;
      case Role.Binding:
        if (parentRole === Role.BindingSet && depth >= 2 && declaringKind(this.roleAt[depth - 2]!)) this.enterBinding(depth);
        break;
      case Role.InheritFrom:
        if (parentRole === Role.BindingSet && depth >= 2) {
          const kind = declaringKind(this.roleAt[depth - 2]!);
          if (kind) {
            const group: Declaration[] = [];
            this.inheritFrom[depth] = { group, source: undefined };
            if (kind !== 'rec') this.pushOwner(depth, group);
          }
        }
        break;
      default:
        break;
    }
  }

  leave(depth: number): void {
    if (this.mayMergeRec) {
      this.recByKey[depth] = undefined;
      this.firstKeys[depth] = undefined;
      this.mergeInto[depth] = undefined;
      this.mergeValue[depth] = undefined;
    }
    if (this.openedOwner[depth]) this.owners.pop();
    this.inheritFrom[depth] = undefined;
    for (let n = this.openedScopes[depth]!; n > 0; n -= 1) {
      const closing = this.scope;
      if (closing.universal) closing.universal.kind = closing.hasFormals ? 'pattern-name' : 'lambda-arg';
      this.scope = closing.parent!;
    }
    const restore = this.restoreScope[depth];
    if (restore !== undefined) {
      this.scope = restore;
      this.restoreScope[depth] = undefined;
    }
  }

  /** See `recByKey`. Returns the scope a binding merged into an earlier `rec` set is evaluated in. */
  private recMergeScope(depth: number, role: Role, parentRole: Role): MutableScope | undefined {
    if (role === Role.Attrset) {
      const merged = depth > 0 ? this.mergeValue[depth - 1] : undefined;
      if (merged !== undefined) this.mergeInto[depth] = merged;
      return undefined;
    }
    if (role !== Role.Binding || parentRole !== Role.BindingSet) return undefined;
    const keys = this.recByKey[depth - 1];
    const target = depth >= 2 ? this.mergeInto[depth - 2] : undefined;
    // Most sets have no `name = rec { ... }` binding: nothing to read then.
    if (keys === undefined && target === undefined) return undefined;
    const node = this.tree.node(this.index);
    const attrs = node.childForFieldName('attrpath')?.childrenForFieldName('attr') ?? [];
    const first = attrs.length > 0 ? staticKeyName(attrs[0]!, this.text) : undefined;
    if (target !== undefined && first !== undefined) {
      // A binding of `{ ... }` merged into a `rec` set: its name is declared there (its value already runs there).
      this.declareMerged(target, first, attrs[0]!, node);
    }
    if (keys === undefined || first === undefined) return undefined;
    const merged = keys.get(first);
    if (merged === undefined || merged.range.start >= node.startIndex) return undefined;
    if (attrs.length >= 2) {
      const second = staticKeyName(attrs[1]!, this.text);
      if (second === undefined) return undefined;
      this.declareMerged(merged, second, attrs[1]!, node);
    } else if (node.childForFieldName('expression')?.type === 'attrset_expression') {
      this.mergeValue[depth] = merged;
    } else {
      return undefined;
    }
    return merged;
  }

  /**
   * Called with the scope of a `rec { ... }` just opened at `depth`: when it is the value of the first binding of
   * its name in a set (`name = rec { ... }`), later bindings of that name merge into it (see `recByKey`).
   */
  private registerRecValue(depth: number): void {
    const tree = this.tree;
    if (depth < 2 || this.roleAt[depth - 1] !== Role.Binding || this.roleAt[depth - 2] !== Role.BindingSet || tree.fields[this.index] !== this.fieldIds.expression) return;
    const binding = tree.parents[this.index]!;
    const name = singleKeyName(tree.node(binding), this.text);
    if (name === undefined) return;
    // An earlier binding of the same first key: this one merges into that, it opens nothing to merge into.
    let seen = this.firstKeys[depth - 2];
    if (seen === undefined) {
      seen = { keys: new Set(), scanned: tree.parents[binding]! + 1 };
      this.firstKeys[depth - 2] = seen;
    }
    for (let child = seen.scanned; child < binding; child = tree.subtreeEnds[child]!) {
      if (this.roles[tree.kinds[child]!] !== Role.Binding) continue;
      const key = firstKeyName(tree.node(child), this.text);
      if (key !== undefined) seen.keys.add(key);
    }
    seen.scanned = binding;
    if (seen.keys.has(name)) return;
    const keys = (this.recByKey[depth - 2] ??= new Map());
    keys.set(name, this.scope);
  }

  private declareMerged(scope: MutableScope, name: string, key: SyntaxNode, binding: SyntaxNode): void {
    const range = { start: binding.startIndex, end: binding.endIndex };
    const existing = scope.declarations.get(name);
    if (existing) existing.bindingRanges.push(range);
    else this.declare(scope, name, 'rec', { start: key.startIndex, end: key.endIndex }, range);
  }

  finish(): ScopeAnalysisResult {
    const uses = new Map<Declaration, Reference[]>();
    const references: PendingReference[] = this.pending;
    for (const reference of references) {
      const target = resolve(reference.scope, reference.name);
      reference.resolution = target;
      if (typeof target !== 'object') continue;
      const list = uses.get(target);
      if (list) list.push(reference);
      else uses.set(target, [reference]);
    }
    const root = this.scopes[0]!;
    // Both lists come out of the pre-order walk nearly or wholly sorted; a stable sort of a sorted list changes
    // nothing, so it runs only when needed.
    const declarations = [...this.declarations];
    if (!declarationsSorted(declarations)) declarations.sort((a, b) => a.nameRange.start - b.nameRange.start);
    if (!referencesSorted(references)) references.sort((a, b) => a.range.start - b.range.start);
    return {
      root,
      scopes: this.scopes,
      declarations,
      references,
      dynamicBindings: this.dynamicBindings,
      usesOf: (declaration) => uses.get(declaration) ?? [],
      scopeAt: (offset) => innermostScope(root, offset),
    };
  }

  private enterIdentifier(
    depth: number,
    field: number,
    parentRole: Role,
    start: number,
    end: number,
  ): void {
    const range = { start, end };
    if (field === this.fieldIds.universal && parentRole === Role.Function) {
      const declaration = this.declare(this.scope, this.text.slice(start, end), 'lambda-arg', range, range);
      this.scope.universal = declaration;
    } else if (field === this.fieldIds.name && parentRole === Role.Formal) {
      const formalRange = { start: this.starts[depth - 1]!, end: this.ends[depth - 1]! };
      const declaration = this.declare(this.scope, this.text.slice(start, end), 'formal', range, formalRange);
      (this.owners[this.owners.length - 1] as Declaration[] | undefined)?.push(declaration);
    } else if (parentRole === Role.InheritedAttrs) {
      this.inheritName(depth, this.text.slice(start, end), range);
    }
  }

  /** A name listed after `inherit` or `inherit (e)`; `depth` is the name's depth. */
  private inheritName(depth: number, name: string, range: TextRange): void {
    if (depth < 4) return;
    const statement = this.roleAt[depth - 2];
    const statementRange = { start: this.starts[depth - 2]!, end: this.ends[depth - 2]! };
    const containerKind = this.roleAt[depth - 3] === Role.BindingSet ? declaringKind(this.roleAt[depth - 4]!) : undefined;
    if (statement === Role.Inherit) {
      if (containerKind === undefined) {
        this.addReference(name, range, this.scope, this.currentOwners());
        return;
      }
      const kind = containerKind === 'rec' ? 'rec' : containerKind === 'legacy-let' ? 'legacy-let' : 'inherit';
      const declaration = this.declare(this.scope, name, kind, range, statementRange, { source: undefined });
      const owners = containerKind === 'rec' ? this.currentOwners() : [declaration];
      this.addReference(name, range, this.scope.parent ?? this.scope, owners);
    } else if (statement === Role.InheritFrom && containerKind !== undefined) {
      const from = this.inheritFrom[depth - 2];
      if (!from) return;
      const kind = containerKind === 'rec' ? 'rec' : containerKind === 'legacy-let' ? 'legacy-let' : 'inherit-from';
      const declaration = this.declare(this.scope, name, kind, range, statementRange, { source: from.source });
      from.group.push(declaration);
    }
  }

  private enterBinding(depth: number): void {
    const node = this.tree.node(this.index);
    const range = { start: node.startIndex, end: node.endIndex };
    const attrpath = node.childForFieldName('attrpath');
    const key = attrpath?.childForFieldName('attr') ?? null;
    const name = staticKeyName(key, this.text);
    if (name === undefined || key === null) {
      this.dynamicBindings.push(range);
      return;
    }
    const kind = this.scope.kind === 'rec' ? 'rec' : this.scope.kind === 'legacy-let' ? 'legacy-let' : 'let';
    const existing = this.scope.declarations.get(name);
    let declaration: MutableDeclaration;
    if (existing) {
      existing.bindingRanges.push(range);
      declaration = existing;
    } else {
      declaration = this.declare(this.scope, name, kind, { start: key.startIndex, end: key.endIndex }, range);
    }
    const isLegacyBody = kind === 'legacy-let' && name === 'body';
    if (kind !== 'rec' && !isLegacyBody) this.pushOwner(depth, [declaration]);
  }

  private declare(
    scope: MutableScope,
    name: string,
    kind: DeclarationKind,
    nameRange: TextRange,
    bindingRange: TextRange,
    inherit?: { source: TextRange | undefined },
  ): MutableDeclaration {
    const existing = scope.declarations.get(name);
    const declaration: MutableDeclaration = {
      name,
      kind,
      scope,
      nameRange,
      bindingRanges: [bindingRange],
      // Every declaration has the same properties in the same order (one object shape for the hot readers).
      inherited: inherit ? true : undefined,
      inheritSource: inherit?.source,
    };
    if (!existing) scope.declarations.set(name, declaration);
    this.declarations.push(declaration);
    return declaration;
  }

  private addReference(name: string, range: TextRange, scope: MutableScope, owners: readonly Declaration[]): void {
    this.pending.push({ name, range, scope, fromInherit: true, owners, resolution: undefined });
  }

  private currentOwners(): readonly Declaration[] {
    return this.owners.length > 0 ? this.owners[this.owners.length - 1]! : NO_OWNERS;
  }

  private pushOwner(depth: number, group: readonly Declaration[]): void {
    this.owners.push(group);
    this.openedOwner[depth] = true;
  }

  private openScope(depth: number, kind: ScopeKind, start: number, end: number): void {
    this.scope = this.newScope(kind, { start, end }, this.scope);
    this.openedScopes[depth]! += 1;
  }

  private newScope(kind: ScopeKind, range: TextRange, parent?: MutableScope): MutableScope {
    const scope: MutableScope = {
      id: this.scopes.length,
      kind,
      parent,
      range,
      declarations: new Map(),
      children: [],
      hasFormals: false,
      universal: undefined,
    };
    parent?.children.push(scope);
    this.scopes.push(scope);
    return scope;
  }
}

// Two loops rather than one taking a key function: each reads one object shape, so it stays monomorphic.
function declarationsSorted(items: readonly Declaration[]): boolean {
  for (let k = 1; k < items.length; k += 1) if (items[k - 1]!.nameRange.start > items[k]!.nameRange.start) return false;
  return true;
}

function referencesSorted(items: readonly Reference[]): boolean {
  for (let k = 1; k < items.length; k += 1) if (items[k - 1]!.range.start > items[k]!.range.start) return false;
  return true;
}

function firstKeyName(binding: SyntaxNode, text: string): string | undefined {
  const key = binding.childForFieldName('attrpath')?.childForFieldName('attr');
  return key ? staticKeyName(key, text) : undefined;
}

/** The name of `name = ...` (a path of one static key), else undefined. */
function singleKeyName(binding: SyntaxNode, text: string): string | undefined {
  const attrs = binding.childForFieldName('attrpath')?.childrenForFieldName('attr') ?? [];
  return attrs.length === 1 ? staticKeyName(attrs[0]!, text) : undefined;
}

/** Lexical bindings first, then the base environment, then any enclosing `with`. */
function resolve(scope: MutableScope, name: string): Resolution {
  let insideWith = false;
  for (let s: MutableScope | undefined = scope; s !== undefined; s = s.parent) {
    if (s.kind === 'with') {
      insideWith = true;
      continue;
    }
    const declaration = s.declarations.get(name);
    if (declaration) return declaration;
  }
  if (isBuiltinName(name)) return 'builtin';
  return insideWith ? 'with' : undefined;
}

function innermostScope(root: Scope, offset: number): Scope {
  let scope = root;
  for (;;) {
    const children = scope.children;
    let low = 0;
    let high = children.length - 1;
    let found: Scope | undefined;
    while (low <= high) {
      const mid = (low + high) >>> 1;
      const child = children[mid]!;
      if (child.range.end <= offset) low = mid + 1;
      else if (child.range.start > offset) high = mid - 1;
      else {
        found = child;
        break;
      }
    }
    if (!found) return scope;
    scope = found;
  }
}

/**
 * Computes scopes, declarations and resolved references of a file in one pass over its tree's arrays, in
 * pre-order (as `walkPreOrder`, written out so the builder's calls stay monomorphic).
 */
export function analyzeScopes(source: SourceFile): ScopeAnalysisResult {
  const tree = source.tree;
  const builder = new ScopeBuilder(source.text, tree);
  const { count, subtreeEnds } = tree;
  const open: number[] = [];
  let top = -1;
  for (let i = 0; i < count; i += 1) {
    while (top >= 0 && subtreeEnds[open[top]!]! <= i) {
      builder.leave(top);
      top -= 1;
    }
    top += 1;
    open[top] = i;
    builder.enter(top, i);
  }
  for (; top >= 0; top -= 1) builder.leave(top);
  return builder.finish();
}
