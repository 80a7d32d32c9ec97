import { defineRule, type SyntaxNode } from '@nixforge/core';
import { ruleDocsUrl } from './docs-url.js';
import { isTestOrExample } from '../shared/file-roles.js';
import { BUILTIN_PINS, FETCHER_NAMES, NIXPKGS_PINS, fetcherOf } from './fetchers.js';
import { appliesNamed, bindingsNamed, syntaxIndex } from './indexes.js';
import { ancestorsOf, attrPathNames, attrsetBindings, callAt, inDocumentation, stringValue, textOf, unparen } from './syntax.js';

/** Attributes whose value is where something is fetched from. */
const URL_KEYS = new Set(['url', 'urls', 'uri', 'mirror', 'mirrors']);

const INSECURE_SCHEME = /^(?:[a-z0-9]+\+)?(http|git|ftp):\/\/([^/?#]*)([/?#]|$)/i;
const LOCAL_HOST = /^(?:[^@]*@)?(localhost|127(?:\.\d+){3}|\[::1\]|0\.0\.0\.0)(?::\d+)?$/i;

/**
 * The insecure scheme of a URL whose scheme and host are literal, unless the host is the local machine.
 * `complete` says the whole value is known; otherwise the host must end before the first interpolation.
 */
export function insecureScheme(value: string, complete: boolean): string | undefined {
  const match = INSECURE_SCHEME.exec(value);
  if (!match) return undefined;
  const hostKnown = complete || match[3] !== '';
  if (!hostKnown || LOCAL_HOST.test(match[2]!)) return undefined;
  return match[1]!.toLowerCase();
}

/**
 * What a `url = …` binding feeds: a fetcher call (`fetchurl { url = …; }`), with whether a hash or revision
 * in the same set pins the content, or a flake input; undefined for any other URL (a feed, a health check,
 * a service endpoint), which is configuration and downloads no source.
 */
function downloadOf(binding: SyntaxNode, text: string, isFlake: boolean): { pinned: boolean } | undefined {
  const chain = ancestorsOf(binding, 512);
  // binding -> binding_set -> attrset: the set the URL is written in.
  const attrset = chain[1];
  if (attrset && (attrset.type === 'attrset_expression' || attrset.type === 'rec_attrset_expression')) {
    let arg: SyntaxNode = attrset;
    let index = 2;
    while (chain[index]?.type === 'parenthesized_expression') arg = chain[index++]!;
    const apply = chain[index];
    if (apply?.type === 'apply_expression' && apply.childForFieldName('argument')?.id === arg.id) {
      const callee = unparen(apply.childForFieldName('function'));
      const fetcher = callee && callee.type !== 'apply_expression' ? fetcherOf(callee, text) : undefined;
      if (fetcher) {
        const pins = fetcher.builtin ? BUILTIN_PINS[fetcher.name]! : NIXPKGS_PINS;
        const names = new Set(attrsetBindings(attrset, text).map((b) => b.names[0]));
        return { pinned: pins.some((pin) => names.has(pin)) };
      }
    }
  }
  if (!isFlake) return undefined;
  const own = attrPathNames(binding.childForFieldName('attrpath'), text);
  if (own?.[0] === 'inputs') return { pinned: false };
  for (const ancestor of chain) {
    if (ancestor.type !== 'binding') continue;
    if (attrPathNames(ancestor.childForFieldName('attrpath'), text)?.[0] === 'inputs') return { pinned: false };
  }
  return undefined;
}

/** Plain `http://`, `git://` and `ftp://` download locations that no hash protects. */
export const insecureUrl = defineRule({
  meta: {
    description: 'A source is downloaded over plain http://, git:// or ftp:// without a hash that verifies it.',
    severity: 'warning',
    messages: { insecureScheme: 'insecure {{scheme}}:// URL: use an encrypted transport' },
    docs: {
      explanation:
        'Unencrypted transports can be intercepted and altered. Reported: fetches over them that no hash or ' +
        'revision pins (builtins.fetchurl/fetchTarball without `sha256`, nixpkgs fetchers without `hash`) and ' +
        'flake inputs, which `nix flake update` fetches afresh. Use https:// (or git+https:// / ssh for Git). ' +
        'Not reported: fixed-output fetches with a hash (Nix rejects altered content), URLs that are ' +
        'configuration rather than downloads (feeds, health checks, endpoints), local addresses, option ' +
        'documentation, and test or example files (set `includeTests` to check them too).',
      bad: 'builtins.fetchTarball "http://example.org/source.tar.gz"',
      good:
        'fetchurl {\n  url = "https://example.org/source.tar.gz";\n  hash = "sha256-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";\n}',
      url: ruleDocsUrl('security', 'insecure-url'),
    },
    defaultOptions: { includeTests: false },
  },
  create(context) {
    const text = context.sourceText;
    if (context.options.includeTests !== true && isTestOrExample(context.filename, text)) return {};
    const isFlake = context.fileType === 'flake';
    const check = (node: SyntaxNode | null): void => {
      const target = unparen(node);
      if (!target) return;
      let scheme: string | undefined;
      if (target.type === 'uri_expression') scheme = insecureScheme(textOf(target, text), true);
      else {
        const value = stringValue(target, text);
        if (value) scheme = insecureScheme(value.prefix, value.complete);
      }
      if (scheme) context.report({ node: target, messageId: 'insecureScheme', data: { scheme } });
    };
    return {
      onEnd() {
        for (const binding of bindingsNamed(context.getAnalysis(syntaxIndex), URL_KEYS)) {
          if (inDocumentation(binding, text)) continue;
          const download = downloadOf(binding, text, isFlake);
          if (!download || download.pinned) continue;
          const value = unparen(binding.childForFieldName('expression'));
          if (value?.type === 'list_expression') for (const element of value.namedChildren) check(element);
          else check(value);
        }
        for (const apply of appliesNamed(context.getAnalysis(syntaxIndex), FETCHER_NAMES)) {
          const call = callAt(apply);
          if (call && call.args.length > 0 && fetcherOf(call.callee, text)?.builtin) check(call.args[0]!);
        }
      },
    };
  },
});
