import type { SyntaxNode } from './tree-sitter.js';
import type { SourceFile } from './source.js';

/** What kind of Nix file this is, judged from its name and top-level shape (never by evaluating it). */
export type FileType = 'flake' | 'module' | 'overlay' | 'package' | 'shell' | 'home-manager' | 'lib' | 'unknown';

export const FILE_TYPES: readonly FileType[] = [
  'flake',
  'module',
  'overlay',
  'package',
  'shell',
  'home-manager',
  'lib',
  'unknown',
];

const BUILDER = /^(mkDerivation|build[A-Z]\w*(Package|Application|Module|Crate|Gem|Env)|buildNpmPackage|buildDotnetModule|mkYarnPackage|buildGoModule|buildRustPackage)$/;
const SHELL_BUILDER = /^(mkShell|mkShellNoCC|mkDevShell)$/;
const OVERLAY_ARGS = new Set(['final', 'self', 'pkgs-final']);
const OVERLAY_PREV = new Set(['prev', 'super', 'previous']);
const MODULE_ARGS = new Set(['config', 'options', 'modulesPath']);

/**
 * First keys of options that NixOS, nix-darwin and Home Manager declare. A function with a `...` pattern
 * whose body sets one of them is a module written in the shorthand form (`{ ... }: { boot.x = ...; }`),
 * without `config =`. Ambiguous names (`meta`, `packages`, `name`) are left out.
 */
export const MODULE_OPTION_ROOTS: ReadonlySet<string> = new Set([
  'assertions', 'boot', 'console', 'containers', 'documentation', 'environment', 'fileSystems', 'fonts',
  'hardware', 'homebrew', 'i18n', 'launchd', 'location', 'networking', 'nix', 'nixpkgs', 'powerManagement',
  'programs', 'security', 'services', 'sound', 'specialisation', 'swapDevices', 'system', 'systemd', 'time',
  'users', 'virtualisation', 'warnings', 'xdg', 'zramSwap', 'home', 'accounts', 'gtk', 'qt', 'xsession',
  'wayland', 'targets', 'dconf', 'editorconfig', 'manual', 'news', 'stylix', 'nixos', 'mobile', 'disko',
  'home-manager',
]);

/** Names of files that are modules of a module system by convention (devenv, treefmt-nix, NixOS). */
const MODULE_FILE_NAMES = new Set(['configuration.nix', 'hardware-configuration.nix', 'devenv.nix', 'treefmt.nix']);

function baseName(path: string): string {
  const slash = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return path.slice(slash + 1);
}

/** Strips wrappers that do not change what an expression is: parentheses, `with`, `let`, `assert`. */
function unwrap(node: SyntaxNode | null): SyntaxNode | null {
  let current = node;
  while (current) {
    switch (current.type) {
      case 'parenthesized_expression':
      case 'with_expression':
      case 'assert_expression':
      case 'let_expression':
        current = current.childForFieldName(current.type === 'parenthesized_expression' ? 'expression' : 'body');
        break;
      default:
        return current;
    }
  }
  return current;
}

// formalNames and topLevelKeys read the tree's arrays: they run on every file, and child arrays and node objects
// for every formal or binding would be garbage at once.
function formalNames(fn: SyntaxNode, text: string): string[] {
  const formals = fn.childForFieldName('formals');
  if (!formals) return [];
  const tree = fn.tree;
  const names: string[] = [];
  const nameField = tree.fieldId('name');
  if (nameField === 0) return names;
  for (let c = tree.firstChildOf(formals.id); c >= 0; c = tree.nextSiblingOf(c)) {
    if (!tree.isNamed(c) || tree.typeOf(c) !== 'formal') continue;
    const name = childWithField(tree, c, nameField);
    if (name >= 0) names.push(text.slice(tree.starts[name]!, tree.ends[name]!));
  }
  return names;
}

/** The first child of node `i` under field id `field`, or -1. */
function childWithField(tree: SyntaxNode['tree'], i: number, field: number): number {
  for (let c = tree.firstChildOf(i); c >= 0; c = tree.nextSiblingOf(c)) if (tree.fields[c] === field) return c;
  return -1;
}

function universalParam(fn: SyntaxNode, text: string): string | undefined {
  const universal = fn.childForFieldName('universal');
  return universal ? text.slice(universal.startIndex, universal.endIndex) : undefined;
}

/** Last attribute of a call's function position: `stdenv.mkDerivation` -> `mkDerivation`. */
function calleeName(apply: SyntaxNode, text: string): string | undefined {
  let fn: SyntaxNode | null = apply;
  while (fn && fn.type === 'apply_expression') fn = fn.childForFieldName('function');
  if (!fn) return undefined;
  if (fn.type === 'variable_expression') return text.slice(fn.startIndex, fn.endIndex);
  if (fn.type === 'select_expression') {
    const path = fn.childForFieldName('attrpath');
    const last = path?.lastNamedChild;
    return last ? text.slice(last.startIndex, last.endIndex) : undefined;
  }
  return undefined;
}

/** Top-level attribute paths of an attrset (`home.packages` -> `home.packages`). */
function topLevelKeys(attrset: SyntaxNode, text: string): string[] {
  const keys: string[] = [];
  const tree = attrset.tree;
  let bindings = -1;
  for (let c = tree.firstChildOf(attrset.id); c >= 0 && bindings < 0; c = tree.nextSiblingOf(c)) {
    if (tree.isNamed(c) && tree.typeOf(c) === 'binding_set') bindings = c;
  }
  if (bindings < 0) return keys;
  const attrpathField = tree.fieldId('attrpath');
  if (attrpathField === 0) return keys;
  for (let c = tree.firstChildOf(bindings); c >= 0; c = tree.nextSiblingOf(c)) {
    if (!tree.isNamed(c) || tree.typeOf(c) !== 'binding') continue;
    const path = childWithField(tree, c, attrpathField);
    if (path >= 0) keys.push(text.slice(tree.starts[path]!, tree.ends[path]!));
  }
  return keys;
}

/** The first name of an attribute path: `boot.kernelParams` -> `boot`. */
function firstKey(path: string): string {
  const dot = path.indexOf('.');
  return dot < 0 ? path : path.slice(0, dot);
}

function hasEllipsis(fn: SyntaxNode): boolean {
  return fn.childForFieldName('formals')?.childForFieldName('ellipses') != null;
}

function isAttrset(node: SyntaxNode | null): node is SyntaxNode {
  return node !== null && (node.type === 'attrset_expression' || node.type === 'rec_attrset_expression');
}

/** Detects the file type from the file name and the shape of the top-level expression. */
export function detectFileType(source: SourceFile): FileType {
  const name = baseName(source.path);
  if (name === 'flake.nix') return 'flake';
  const text = source.text;
  // Comments before the expression are named children too: take the expression itself.
  const top = unwrap(source.tree.rootNode.childForFieldName('expression'));
  if (name === 'shell.nix') return 'shell';
  if (!top) return 'unknown';

  if (top.type === 'function_expression') {
    const formals = formalNames(top, text);
    const param = universalParam(top, text);
    const body = unwrap(top.childForFieldName('body'));
    if (param && formals.length === 0 && body?.type === 'function_expression') {
      const inner = universalParam(body, text);
      if ((OVERLAY_ARGS.has(param) && inner && OVERLAY_PREV.has(inner)) || inner === 'prev' || inner === 'super') {
        return 'overlay';
      }
    }
    if (body?.type === 'apply_expression') {
      const callee = calleeName(body, text) ?? '';
      if (SHELL_BUILDER.test(callee)) return 'shell';
      if (BUILDER.test(callee)) return 'package';
    }
    const keys = isAttrset(body) ? topLevelKeys(body, text) : [];
    const looksLikeModule =
      formals.some((f) => MODULE_ARGS.has(f)) ||
      keys.some((k) => k === 'imports' || k === 'options' || k === 'config' || k.startsWith('config.')) ||
      (hasEllipsis(top) && keys.some((k) => MODULE_OPTION_ROOTS.has(firstKey(k)))) ||
      (isAttrset(body) && MODULE_FILE_NAMES.has(name));
    if (looksLikeModule) {
      return keys.some((k) => k === 'home' || k.startsWith('home.') || k.startsWith('xdg.')) ? 'home-manager' : 'module';
    }
    if (formals.length > 0 && formals.every((f) => f === 'lib' || f === 'self' || f === 'super')) return 'lib';
    if (formals.length > 0 && keys.length > 0 && /(^|\/)lib\//.test(source.path)) return 'lib';
    return 'unknown';
  }
  if (top.type === 'apply_expression') {
    const callee = calleeName(top, text) ?? '';
    if (SHELL_BUILDER.test(callee)) return 'shell';
    if (BUILDER.test(callee)) return 'package';
  }
  if (isAttrset(top)) {
    const keys = topLevelKeys(top, text);
    if (keys.some((k) => k === 'imports' || k === 'options' || k === 'config')) return 'module';
    if (/(^|\/)lib\//.test(source.path)) return 'lib';
  }
  return 'unknown';
}
