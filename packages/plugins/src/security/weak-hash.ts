import { defineRule, type SyntaxNode } from '@nixforge/core';
import { ruleDocsUrl } from './docs-url.js';
import { attrPathNames, literalString } from './syntax.js';
import { bindingsNamed, syntaxIndex } from './indexes.js';

const WEAK_KEYS = new Set(['md5', 'sha1']);
const WEAK_ALGOS = new Set(['md5', 'sha1']);
const WEAK_SRI = /^(md5|sha1)-/;

/** MD5 and SHA-1 output hashes. */
export const weakHash = defineRule({
  meta: {
    description: 'A fixed-output hash uses MD5 or SHA-1, which are broken.',
    severity: 'warning',
    messages: {
      weakHashAttribute: '`{{name}}` hashes are broken: use `hash` with sha256',
      weakHashAlgorithm: '`outputHashAlgo = "{{algorithm}}"` is broken: use sha256',
      weakSriHash: '{{algorithm}} SRI hash is broken: use sha256',
    },
    docs: {
      explanation:
        'Collisions for MD5 and SHA-1 can be produced, so a malicious source can be made to match the pinned ' +
        'hash. Use `hash` with an SRI sha256 (or sha512) value.',
      bad: 'fetchurl {\n  url = "https://example.org/a.tar.gz";\n  sha1 = "da39a3ee5e6b4b0d3255bfef95601890afd80709";\n}',
      good: 'fetchurl {\n  url = "https://example.org/a.tar.gz";\n  hash = "sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=";\n}',
      url: ruleDocsUrl('security', 'weak-hash'),
    },
  },
  create(context) {
    const text = context.sourceText;
    const check = (node: SyntaxNode): void => {
      if (node.parent?.parent?.type === 'let_expression') return;
      const key = node.childForFieldName('attrpath');
      const names = attrPathNames(key, text);
      if (!key || !names) return;
      const name = names[names.length - 1]!;
      const value = node.childForFieldName('expression');
      const literal = literalString(value, text);
      if (literal === undefined || !value) return;
      if (WEAK_KEYS.has(name)) {
        context.report({ node: key, messageId: 'weakHashAttribute', data: { name } });
      } else if (name === 'outputHashAlgo' && WEAK_ALGOS.has(literal)) {
        context.report({ node: value, messageId: 'weakHashAlgorithm', data: { algorithm: literal } });
      } else if ((name === 'hash' || name === 'outputHash') && WEAK_SRI.test(literal)) {
        context.report({ node: value, messageId: 'weakSriHash', data: { algorithm: WEAK_SRI.exec(literal)![1]! } });
      }
    };
    return {
      onEnd() {
        for (const node of bindingsNamed(context.getAnalysis(syntaxIndex), ['md5', 'sha1', 'outputHashAlgo', 'hash', 'outputHash'])) check(node);
      },
    };
  },
});
