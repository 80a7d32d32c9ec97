import { defineRule, type SyntaxNode } from '@nixforge/core';
import { ruleDocsUrl } from './docs-url.js';
import { attrPathNames, callAt, lastName, literalPath, literalString, referencePath, unparen } from './syntax.js';
import { appliesNamed, syntaxIndex } from './indexes.js';
import { isTestOrExample } from '../shared/file-roles.js';

/** File names that hold secrets in clear text. Encrypted files (`.age`, `.gpg`, sops) are fine to read. */
const SECRET_BASENAME = /^(.*[._-])?(secrets?|passwords?|passwd|tokens?|credentials?|private[._-]?key|api[._-]?key|id_(rsa|dsa|ecdsa|ed25519))(\.[a-z0-9]+)?$/i;
const SECRET_EXTENSION = /\.(key|pem|p12|pfx)$/i;
const SECRET_DIRECTORY = /^\.?secrets?$/i;
const ENCRYPTED_FILE = /\.(age|gpg|asc|enc)$|sops/i;
/** Certificates and CA bundles are public even as `.pem` (`step-ca-bundle.pem`, `ca.crt`); a `key` is not. */
const PUBLIC_CERTIFICATE = /(^|[._-])(ca|certs?|certificates?|crt|bundle|chain|fullchain|pub|public)([._-]|$)/i;

/** Attribute names whose value is a secret or a file holding one. */
const SECRET_KEY = /(password|passwd|secret|token|credential|privatekey|private_key|apikey|api_key|psk)/i;

/** Reading functions (`builtins.readFile`, `lib.fileContents`) and store writers (`writeText`, `toFile`). */
const READERS = new Set(['readFile', 'fileContents']);
const WRITERS = new Set(['writeText', 'writeTextFile', 'toFile', 'writeTextDir']);

/** Judged by the name only: a secret-sounding base name or extension, or a `secrets/` directory. */
function looksSecretFile(name: string | undefined): boolean {
  if (name === undefined || ENCRYPTED_FILE.test(name)) return false;
  const segments = name.split('/');
  const base = segments.pop()!;
  if (PUBLIC_CERTIFICATE.test(base) && !/key/i.test(base)) return false;
  return SECRET_BASENAME.test(base) || SECRET_EXTENSION.test(base) || segments.some((dir) => SECRET_DIRECTORY.test(dir));
}

/**
 * The attribute a call is the direct value of, e.g. `passwordFile` in `passwordFile = f x;`. `let` names
 * are local variables, not settings, and give undefined.
 */
function boundName(call: SyntaxNode, text: string): string | undefined {
  let node: SyntaxNode | null = call.parent;
  while (node && node.type === 'parenthesized_expression') node = node.parent;
  if (!node || node.type !== 'binding' || node.parent?.parent?.type === 'let_expression') return undefined;
  return lastName(attrPathNames(node.childForFieldName('attrpath'), text));
}

function fileNameArgument(node: SyntaxNode | undefined, text: string): string | undefined {
  if (!node) return undefined;
  return literalPath(node, text) ?? literalString(node, text);
}

/** Secrets read into, or written to, the world-readable Nix store. */
export const secretInStore = defineRule({
  meta: {
    description: 'A secret is read into or written to the world-readable Nix store.',
    severity: 'error',
    messages: {
      readsSecret: '`{{reader}}` copies a secret into the Nix store',
      readsSecretFile: '`{{reader}}` copies a secret ({{file}}) into the Nix store',
      writesSecret: '`{{writer}}` writes a secret to the world-readable Nix store',
      writesSecretFile: '`{{writer}}` writes a secret ({{file}}) to the world-readable Nix store',
    },
    docs: {
      explanation:
        '`builtins.readFile ./secret` copies the secret into the evaluation result and from there into store ' +
        'paths; `pkgs.writeText "password" ...` writes it to /nix/store, readable by every local user and ' +
        'copied to caches. Point options at a runtime path outside the store (`passwordFile = "/run/secrets/x"`) ' +
        'managed by sops-nix, agenix or systemd credentials. Tests, fixtures and examples (`tests/`, ' +
        '`examples/`, `*test*.nix`, NixOS VM tests) handle fake secrets on purpose and are skipped unless the ' +
        'option `includeTests` is true.',
      bad: '{ services.foo.passwordFile = pkgs.writeText "password" "hunter2"; }',
      good: '{ services.foo.passwordFile = "/run/secrets/foo-password"; }',
      url: ruleDocsUrl('security', 'secret-in-store'),
    },
    defaultOptions: { includeTests: false },
  },
  create(context) {
    if (context.options.includeTests !== true && isTestOrExample(context.filename, context.sourceText)) return {};
    const text = context.sourceText;
    const check = (node: SyntaxNode): void => {
      const call = callAt(node);
      if (!call) return;
      const path = referencePath(call.callee, text);
      const name = lastName(path);
      if (!path || !name) return;
      const bound = boundName(call.node, text);
      const secretBinding = bound !== undefined && SECRET_KEY.test(bound);
      if (READERS.has(name)) {
        const file = fileNameArgument(call.args[0], text);
        if (looksSecretFile(file) || secretBinding) {
          context.report(
            file
              ? { node: call.node, messageId: 'readsSecretFile', data: { reader: name, file } }
              : { node: call.node, messageId: 'readsSecret', data: { reader: name } },
          );
        }
      } else if (WRITERS.has(name)) {
        const target = unparen(call.args[0] ?? null);
        const fileName = target?.type === 'attrset_expression' ? undefined : fileNameArgument(call.args[0], text);
        if (looksSecretFile(fileName) || secretBinding) {
          context.report(
            fileName
              ? { node: call.node, messageId: 'writesSecretFile', data: { writer: name, file: fileName } }
              : { node: call.node, messageId: 'writesSecret', data: { writer: name } },
          );
        }
      }
    };
    return {
      onEnd() {
        for (const node of appliesNamed(context.getAnalysis(syntaxIndex), [...READERS, ...WRITERS])) check(node);
      },
    };
  },
});
