import { defineRule, type SyntaxNode } from '@nixforge/core';
import { ruleDocsUrl } from './docs-url.js';
import { BUILTIN_PINS, FETCHER_NAMES, NIXPKGS_PINS, fetcherLabel, fetcherOf } from './fetchers.js';
import { attrsetBindings, callAt, stringValue, unparen } from './syntax.js';
import { appliesNamed, syntaxIndex } from './indexes.js';
import { isLetBound, refersToGlobal } from './global-names.js';
import { isDocumentation, isTestOrExample } from '../shared/file-roles.js';

/** Fetchers whose result is not pinned by a hash or revision. */
export const unpinnedFetcher = defineRule({
  meta: {
    description: 'A fetcher is called without a hash or revision, so what it downloads can change.',
    severity: 'warning',
    messages: {
      onlyUrl: '`{{fetcher}}` is given only a URL: pin it with `{{pins}}`',
      notPinned: '`{{fetcher}}` without `{{pins}}`: the download is not pinned',
    },
    docs: {
      explanation:
        'Without `hash`/`sha256` (nixpkgs fetchers) or `sha256`/`rev`/`narHash` (builtins.fetchurl, fetchTarball, ' +
        'fetchGit), the fetched content is whatever the server returns today: builds stop being reproducible and a ' +
        'compromised or moved upstream is used silently. Add the hash Nix prints on the first build. Test files and ' +
        'documentation snippets (`tests/`, `docs/`) are skipped unless `includeTests` is true.',
      bad: 'builtins.fetchTarball "https://github.com/NixOS/nixpkgs/archive/nixos-24.05.tar.gz"',
      good:
        'builtins.fetchTarball {\n  url = "https://github.com/NixOS/nixpkgs/archive/1a2b3c.tar.gz";\n' +
        '  sha256 = "0000000000000000000000000000000000000000000000000000";\n}',
      url: ruleDocsUrl('security', 'unpinned-fetcher'),
    },
    defaultOptions: { includeTests: false },
  },
  create(context) {
    const text = context.sourceText;
    if (context.options.includeTests !== true) {
      // Documentation snippets show the shape of a call and track a branch on purpose.
      if (isDocumentation(context.filename) || isTestOrExample(context.filename, text)) return {};
    }
    const check = (node: SyntaxNode): void => {
      const call = callAt(node);
      if (!call || call.args.length === 0) return;
      const fetcher = fetcherOf(call.callee, text);
      if (!fetcher || (fetcher.builtin ? !refersToGlobal(context, call.callee) : isLetBound(context, call.callee))) return;
      const label = fetcherLabel(call.callee, text);
      const arg = unparen(call.args[0]!);
      if (!arg) return;
      if (fetcher.builtin && stringValue(arg, text)) {
        context.report({ node: call.callee, messageId: 'onlyUrl', data: { fetcher: label, pins: BUILTIN_PINS[fetcher.name]!.join('`/`') } });
        return;
      }
      if (arg.type !== 'attrset_expression' && arg.type !== 'rec_attrset_expression') return;
      const pins = fetcher.builtin ? BUILTIN_PINS[fetcher.name]! : NIXPKGS_PINS;
      const names = new Set(attrsetBindings(arg, text).map((b) => b.names[0]));
      if (pins.some((pin) => names.has(pin))) return;
      const wanted = fetcher.builtin ? BUILTIN_PINS[fetcher.name]!.join('`, `') : 'hash';
      context.report({ node: call.callee, messageId: 'notPinned', data: { fetcher: label, pins: wanted } });
    };
    return {
      onEnd() {
        for (const node of appliesNamed(context.getAnalysis(syntaxIndex), FETCHER_NAMES)) check(node);
      },
    };
  },
});
