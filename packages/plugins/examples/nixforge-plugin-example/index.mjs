// An example third-party nixforge plugin: plain ESM, no build step, no dependencies.
// Load it with `nixforge scan --plugin ./index.mjs` or list it under "plugins" in nixforge.config.json.
// See README.md in this directory for the API.

/** Builders whose attribute set should carry a `meta` attribute. */
const BUILDERS = new Set(['mkDerivation', 'buildGoModule', 'buildRustPackage', 'buildPythonPackage', 'buildNpmPackage']);

/** `stdenv.mkDerivation` -> `mkDerivation`; undefined for anything that is not a plain reference. */
function calleeName(node, context) {
  if (node.type === 'variable_expression') return context.getText(node);
  if (node.type === 'select_expression' && !node.childForFieldName('default')) {
    const last = node.childForFieldName('attrpath')?.lastNamedChild;
    return last?.type === 'identifier' ? context.getText(last) : undefined;
  }
  return undefined;
}

/** Names bound at the top of an attribute set literal (`a = ...;`, `a.b = ...;`, `inherit a;`). */
function topLevelNames(attrset, context) {
  const names = new Set();
  const bindings = attrset.namedChildren.find((child) => child.type === 'binding_set');
  for (const binding of bindings?.namedChildren ?? []) {
    if (binding.type === 'binding') {
      const first = binding.childForFieldName('attrpath')?.firstNamedChild;
      if (first?.type === 'identifier') names.add(context.getText(first));
    } else if (binding.type === 'inherit' || binding.type === 'inherit_from') {
      for (const attr of binding.childForFieldName('attrs')?.namedChildren ?? []) names.add(context.getText(attr));
    }
  }
  return names;
}

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
        const callee = node.childForFieldName('function');
        const argument = node.childForFieldName('argument');
        if (!callee || !argument || argument.type !== 'attrset_expression' && argument.type !== 'rec_attrset_expression') return;
        const name = calleeName(callee, context);
        if (!name || !BUILDERS.has(name)) return;
        if (topLevelNames(argument, context).has('meta')) return;
        context.report({ node: callee, message: `\`${context.getText(callee)}\` without \`meta\``, symbol: name });
      },
    };
  },
};

/**
 * A query-based rule with a fix: the tree-sitter query runs in C and hands each match to `onMatch`. Old-style
 * `sha256 = "sha256-..."` (an SRI value under the legacy name) is renamed to `hash`.
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
  query: '(binding attrpath: (attrpath . (identifier) @key .) expression: (string_expression (string_fragment) @value)) @binding',
  create(context) {
    const attribute = String(context.options.attribute);
    return {
      onMatch(match) {
        const key = match.captures.find((capture) => capture.name === 'key')?.node;
        const value = match.captures.find((capture) => capture.name === 'value')?.node;
        if (!key || !value || context.getText(key) !== attribute) return;
        if (!context.getText(value).startsWith('sha256-')) return;
        context.report({
          node: key,
          message: `SRI hash under \`${attribute}\`: use \`hash\``,
          fix: {
            description: `rename \`${attribute}\` to \`hash\``,
            edits: [{ range: { start: key.startIndex, end: key.endIndex }, text: 'hash' }],
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
    const names = [];
    for (const binding of context.source.tree.rootNode.descendantsOfType('binding')) {
      const key = binding.childForFieldName('attrpath');
      const value = binding.childForFieldName('expression');
      if (!key || !value || context.getText(key) !== 'pname' || value.type !== 'string_expression') continue;
      const text = context.getText(value);
      if (!/^"[A-Za-z0-9._+-]+"$/.test(text)) continue; // literal names only: interpolations are not known here
      names.push({ pname: text.slice(1, -1), at: context.locationOf(value) });
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
