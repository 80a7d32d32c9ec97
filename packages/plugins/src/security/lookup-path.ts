import { defineRule, type SyntaxNode } from '@nixforge/core';
import { ruleDocsUrl } from './docs-url.js';
import { textOf } from './syntax.js';
import { inArgumentDefault } from '../shared/argument-default.js';

/** `<nixpkgs>`-style lookups through NIX_PATH. */
export const lookupPath = defineRule({
  meta: {
    description: 'A `<...>` lookup path depends on the NIX_PATH of whoever evaluates the file.',
    severity: 'warning',
    messages: { dependsOnNixPath: '`{{path}}` depends on NIX_PATH' },
    docs: {
      explanation:
        '`<nixpkgs>` resolves through `NIX_PATH`/`-I`, so the same file evaluates against different sources on ' +
        'different machines, and pure evaluation rejects it. Take nixpkgs as an argument, a flake input, or a ' +
        'pinned `fetchTarball`. Argument defaults are not reported: `{ pkgs ? import <nixpkgs> { } }:` and ' +
        '`{ configuration ? <darwin-config> }:` are the accepted way for a non-flake entry point to have a ' +
        'value that callers (and flakes) override.',
      bad: 'import <nixpkgs> { }',
      good: '{ pkgs }: pkgs.hello',
      url: ruleDocsUrl('security', 'lookup-path'),
    },
  },
  create(context) {
    return {
      spath_expression(node: SyntaxNode) {
        if (inArgumentDefault(node)) return;
        context.report({ node, messageId: 'dependsOnNixPath', data: { path: textOf(node, context.sourceText) } });
      },
    };
  },
});
