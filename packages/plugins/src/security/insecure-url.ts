import { defineRule, type SyntaxNode } from '@nixforge/core';
import { ruleDocsUrl } from './docs-url.js';
import { FETCHER_NAMES, fetcherOf } from './fetchers.js';
import { appliesNamed, bindingsNamed, syntaxIndex } from './indexes.js';
import { callAt, inDocumentation, stringValue, textOf, unparen } from './syntax.js';

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

/** Plain `http://`, `git://` and `ftp://` download locations. */
export const insecureUrl = defineRule({
  meta: {
    description: 'A source is downloaded over plain http://, git:// or ftp://.',
    severity: 'warning',
    docs: {
      explanation:
        'Unencrypted transports can be intercepted and altered. A fixed-output hash still protects the content ' +
        'once pinned, but the first fetch, unpinned fetches and flake inputs trust the network. Use https:// ' +
        '(or git+https:// / ssh for Git). Local addresses are not reported.',
      bad: 'fetchurl {\n  url = "http://example.org/source.tar.gz";\n  hash = "sha256-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";\n}',
      good: 'fetchurl {\n  url = "https://example.org/source.tar.gz";\n  hash = "sha256-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";\n}',
      url: ruleDocsUrl('security', 'insecure-url'),
    },
  },
  create(context) {
    const text = context.sourceText;
    const check = (node: SyntaxNode | null): void => {
      const target = unparen(node);
      if (!target) return;
      let scheme: string | undefined;
      if (target.type === 'uri_expression') scheme = insecureScheme(textOf(target, text), true);
      else {
        const value = stringValue(target, text);
        if (value) scheme = insecureScheme(value.prefix, value.complete);
      }
      if (scheme) context.report({ node: target, message: `insecure ${scheme}:// URL: use an encrypted transport` });
    };
    return {
      onEnd() {
        for (const binding of bindingsNamed(context.getAnalysis(syntaxIndex), URL_KEYS)) {
          if (inDocumentation(binding, text)) continue;
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
