// An example third-party nixforge plugin: plain ESM, no build step. Its one dependency is @nixforge/core, for
// the Nix syntax helpers the built-in rules use too (resolved from where this file lives).
// Load it with `nixforge scan --plugin ./index.mjs` or list it under "plugins" in nixforge.config.json.
// See README.md in this directory for the API.
import {
  attrPathNames,
  captured,
  field,
  hasAttribute,
  lastName,
  literalString,
  rangeOf,
  referencePath,
  stringValue,
  unparen,
} from '@nixforge/core';

/** Builders whose attribute set should carry a `meta` attribute. */
const BUILDERS = new Set(['mkDerivation', 'buildGoModule', 'buildRustPackage', 'buildPythonPackage', 'buildNpmPackage']);

/** A visitor-based rule: runs on every `apply_expression` node during nixforge's single tree walk. */
const missingMeta = {
  meta: {
    description: 'A package is built without a `meta` attribute.',
    severity: 'info',
    docs: {
      explanation:
        '`meta` carries the description, license and maintainers that search, Hydra and license checks rely on. ' +
        'Add at least `meta.description` and `meta.license`.',
      bad: 'stdenv.mkDerivation { pname = "hello"; version = "1.0"; src = ./.; }',
      good:
        'stdenv.mkDerivation {\n  pname = "hello";\n  version = "1.0";\n  src = ./.;\n' +
        '  meta = { description = "Says hello"; license = lib.licenses.mit; };\n}',
      url: 'https://example.org/nixforge-plugin-example#missing-meta',
    },
  },
  create(context) {
    return {
      apply_expression(node) {
        const callee = field(node, 'function');
        const argument = unparen(field(node, 'argument'));
        if (!callee || !argument || (argument.type !== 'attrset_expression' && argument.type !== 'rec_attrset_expression')) return;
        // `stdenv.mkDerivation` -> [stdenv, mkDerivation] -> mkDerivation; undefined unless a plain reference
        const name = lastName(referencePath(callee, context.sourceText));
        if (!name || !BUILDERS.has(name)) return;
        // `meta = ...;`, `meta.description = ...;` and `inherit (x) meta;` all define it
        if (hasAttribute(argument, context.sourceText, 'meta')) return;
        context.report({ node: callee, message: `\`${context.getText(callee)}\` without \`meta\``, symbol: name });
      },
    };
  },
};

/**
 * A query-based rule with a fix: nixforge runs the tree-sitter query once per file and hands each match to
 * `onMatch`. Old-style `sha256 = "sha256-..."` (an SRI value under the legacy name) is renamed to `hash`.
 */
const preferHash = {
  meta: {
    description: 'An SRI hash is given under the legacy `sha256` name.',
    severity: 'warning',
    fixable: true,
    defaultOptions: { attribute: 'sha256' },
    docs: {
      explanation:
        'Fetchers accept SRI hashes (`sha256-...`) under `hash`; `sha256` is meant for the old base-32 form. ' +
        'Using `hash` keeps the algorithm in the value. The fix renames the attribute.',
      bad: 'fetchurl { url = "https://example.org/a.tar.gz"; sha256 = "sha256-AAAA"; }',
      good: 'fetchurl { url = "https://example.org/a.tar.gz"; hash = "sha256-AAAA"; }',
      url: 'https://example.org/nixforge-plugin-example#prefer-hash',
    },
  },
  query: '(binding attrpath: (attrpath . (identifier) @key .) expression: (string_expression) @value) @binding',
  create(context) {
    const attribute = String(context.options.attribute);
    return {
      onMatch(match) {
        const key = captured(match, 'key');
        const value = captured(match, 'value');
        if (!key || !value || context.getText(key) !== attribute) return;
        // the decoded text before any `${...}`: "sha256-${x}" counts, "x${y}sha256-" does not
        if (!stringValue(value, context.sourceText)?.prefix.startsWith('sha256-')) return;
        context.report({
          node: key,
          message: `SRI hash under \`${attribute}\`: use \`hash\``,
          fix: {
            description: `rename \`${attribute}\` to \`hash\``,
            edits: [{ range: rangeOf(key), text: 'hash' }],
          },
        });
      },
    };
  },
};

/**
 * A project rule: `collect` runs in the worker on each file and returns small, plain-JSON facts (here: the
 * literal `pname`s the file defines, with their positions); `check` runs once per scan in the main thread
 * over the facts of every file and reports into any of them. Facts are cached with the file's result, the
 * check is not, so a change in one file is seen from every other.
 */
const duplicatePname = {
  meta: {
    description: 'Two package definitions use the same `pname`.',
    severity: 'info',
    docs: {
      explanation:
        'Two derivations with the same `pname` are easy to confuse in `nix search`, Hydra and update bots. ' +
        'Rename one, or make one the override of the other. Each later definition is reported, pointing at the first.',
      bad: '{\n  a = mkDerivation { pname = "hello"; version = "1"; };\n  b = mkDerivation { pname = "hello"; version = "2"; };\n}',
      good: '{\n  a = mkDerivation { pname = "hello"; version = "1"; };\n  b = mkDerivation { pname = "hello-unstable"; version = "2"; };\n}',
      url: 'https://example.org/nixforge-plugin-example#duplicate-pname',
    },
  },
  collect(context) {
    const text = context.sourceText;
    const names = [];
    for (const binding of context.source.tree.rootNode.descendantsOfType('binding')) {
      const key = attrPathNames(field(binding, 'attrpath'), text);
      if (key?.length !== 1 || key[0] !== 'pname') continue;
      const value = field(binding, 'expression');
      const pname = literalString(value, text); // literal names only: interpolations are not known here
      if (pname) names.push({ pname, at: context.locationOf(value) });
    }
    return names.length > 0 ? names : undefined; // undefined: nothing to remember about this file
  },
  check(project) {
    const first = new Map();
    for (const file of project.files) {
      // files come sorted by path, and facts in document order: the "first" definition is stable
      for (const { pname, at } of file.facts ?? []) {
        const seen = first.get(pname);
        if (!seen) {
          first.set(pname, { file, at });
          continue;
        }
        project.report({
          file: file.path,
          location: at,
          message: `pname \`${pname}\` is also defined at ${seen.file.path}:${seen.at.line}`,
          symbol: pname,
          related: [seen.file.absolutePath],
        });
      }
    }
  },
};

/** The plugin: its `name` prefixes every rule id (`example/missing-meta`). */
export default {
  name: 'example',
  rules: {
    'missing-meta': missingMeta,
    'prefer-hash': preferHash,
    'duplicate-pname': duplicatePname,
  },
};
