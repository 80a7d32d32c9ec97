import type { TextRange } from '../positions.js';

/**
 * What opened a lexical scope: the file itself (`root`), a `let ... in`, a `rec { }`, a function
 * (`lambda`: argument, formals and `@` name), a legacy `let { }`, or the body of a `with` (no
 * declarations; it makes names that nothing lexical binds dynamic).
 */
export type ScopeKind = 'root' | 'let' | 'rec' | 'lambda' | 'legacy-let' | 'with';

/**
 * How a name was bound:
 * - `let`: `let x = ...;` (also `let x.y = ...;`, which binds `x`);
 * - `inherit`: `let inherit x;` (the value is the outer `x`);
 * - `inherit-from`: `let inherit (e) x;`;
 * - `rec`: any member of a `rec { }` (plain, `inherit` or `inherit (e)`);
 * - `lambda-arg`: `x: ...`;
 * - `formal`: `{ x }: ...`;
 * - `pattern-name`: the `@` name of `args@{ ... }: ...` or `{ ... }@args: ...`;
 * - `legacy-let`: a member of `let { ...; body = ...; }`.
 */
export type DeclarationKind =
  | 'let'
  | 'inherit'
  | 'inherit-from'
  | 'rec'
  | 'lambda-arg'
  | 'formal'
  | 'pattern-name'
  | 'legacy-let';

/** A lexical scope. Declarations are visible in the whole scope (Nix's `let` and `rec` are recursive). */
export interface Scope {
  readonly id: number;
  readonly kind: ScopeKind;
  readonly parent: Scope | undefined;
  /** The node that opened the scope (for `with`: its body only; the environment is outside). */
  readonly range: TextRange;
  /** Bindings of this scope by name; the first binding of a name wins (later ones are duplicates). */
  readonly declarations: ReadonlyMap<string, Declaration>;
  readonly children: readonly Scope[];
}

/** A name bound by a scope. */
export interface Declaration {
  readonly name: string;
  readonly kind: DeclarationKind;
  readonly scope: Scope;
  /** The identifier (or static string key) that binds the name. */
  readonly nameRange: TextRange;
  /**
   * The syntax that creates the binding: each `binding` node (several for `x.a = 1; x.b = 2;`), the
   * `inherit`/`inherit_from` node, the `formal` node, or the identifier of a lambda argument / `@` name.
   */
  readonly bindingRanges: readonly TextRange[];
  /** True when bound by an `inherit` or `inherit (e)` statement (then `bindingRanges` is that statement). */
  readonly inherited?: boolean;
  /** For `inherit (e) ...`: the range of `e`. */
  readonly inheritSource?: TextRange;
}

/**
 * How a reference resolved: to a lexical declaration, to Nix's base environment (`'builtin'`), to an
 * enclosing `with` (`'with'`, known only at evaluation), or to nothing (`undefined`: Nix's "undefined variable").
 */
export type Resolution = Declaration | 'builtin' | 'with' | undefined;

/** A use of a name: a variable, or the implicit use of `x` by `inherit x;`. */
export interface Reference {
  readonly name: string;
  /** The identifier's range. */
  readonly range: TextRange;
  /** The scope in which the name is looked up (for `inherit x;` in a `let`/`rec`: the one outside it). */
  readonly scope: Scope;
  readonly resolution: Resolution;
  /** True for the implicit use by `inherit x;`. */
  readonly fromInherit: boolean;
  /**
   * The innermost `let`, `inherit`, `inherit (e)`, legacy-`let` or formal-default declarations whose value
   * contains this reference: the reference only matters while one of them is used. Empty at top level.
   * Several declarations share one `inherit (e) a b;` source.
   */
  readonly owners: readonly Declaration[];
}

/** The result of scope analysis for one file. */
export interface ScopeAnalysisResult {
  readonly root: Scope;
  /** All scopes in document order of their start. */
  readonly scopes: readonly Scope[];
  /** All declarations in document order. */
  readonly declarations: readonly Declaration[];
  /** All references in document order. */
  readonly references: readonly Reference[];
  /** Bindings in `let`/`rec` whose name is computed (`${...}` or an interpolated string); never in scope. */
  readonly dynamicBindings: readonly TextRange[];
  /** References that resolve to `declaration`. */
  usesOf(declaration: Declaration): readonly Reference[];
  /** The innermost scope containing `offset`. */
  scopeAt(offset: number): Scope;
}

export function isDeclaration(resolution: Resolution): resolution is Declaration {
  return typeof resolution === 'object';
}
