/**
 * Names bound in Nix's base environment without the `builtins.` prefix (Nix 2.8, checked against
 * `nix-instantiate --parse`). Every other primop is reachable as `__name`; see `isBuiltinName`.
 */
const GLOBAL_NAMES: ReadonlySet<string> = new Set([
  'abort',
  'baseNameOf',
  'builtins',
  'derivation',
  'derivationStrict',
  'dirOf',
  'false',
  'fetchGit',
  'fetchMercurial',
  'fetchTarball',
  'fetchTree',
  'fromTOML',
  'import',
  'isNull',
  'map',
  'null',
  'placeholder',
  'removeAttrs',
  'scopedImport',
  'throw',
  'toString',
  'true',
]);

/**
 * True for names that resolve to Nix's base environment: the global names above and every
 * `__`-prefixed name (`__curPos`, `__nixPath`, `__storeDir`, `__getEnv`, ...). Accepting any `__` name
 * keeps primops added by newer Nix versions from being reported as undefined.
 */
export function isBuiltinName(name: string): boolean {
  return GLOBAL_NAMES.has(name) || (name.length > 2 && name.startsWith('__'));
}
