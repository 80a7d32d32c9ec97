import { describe, expect, it } from 'vitest';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { disableForFileEdits, disableForLineEdits } from '../src/lsp/suppression-edits.js';
import { wholeTextEdit } from '../src/lsp/code-actions.js';
import { applyTextEdits } from './helpers/lsp-client.js';

const doc = (text: string): TextDocument => TextDocument.create('file:///x.nix', 'nix', 1, text);

describe('suppression comment edits', () => {
  it('adds a next-line directive above the line, indented like it', () => {
    const text = '{\n    a = (1);\n}\n';
    expect(applyTextEdits(text, disableForLineEdits(doc(text), 1, 'lint/useless-parens'))).toBe(
      '{\n    # nixforge-disable-next-line lint/useless-parens\n    a = (1);\n}\n',
    );
  });

  it('extends a directive that is already there, and adds nothing when it already names the rule or its plugin', () => {
    const text = '{\n  # nixforge-disable-next-line dead-code/unused-let\n  a = (1);\n}\n';
    expect(applyTextEdits(text, disableForLineEdits(doc(text), 2, 'lint/useless-parens'))).toBe(
      '{\n  # nixforge-disable-next-line dead-code/unused-let, lint/useless-parens\n  a = (1);\n}\n',
    );
    const named = '{\n  # nixforge-disable-next-line lint\n  a = (1);\n}\n';
    expect(disableForLineEdits(doc(named), 2, 'lint/useless-parens')).toEqual([]);
  });

  it('puts the file directive first, after #! lines, or extends an existing one; keeps CRLF', () => {
    const shebang = '#! /usr/bin/env nix-shell\n#! nix-shell -i bash\n{ }\n';
    expect(applyTextEdits(shebang, disableForFileEdits(doc(shebang), 'security'))).toBe(
      '#! /usr/bin/env nix-shell\n#! nix-shell -i bash\n# nixforge-disable-file security\n{ }\n',
    );
    const existing = '# nixforge-disable-file lint\r\n{ }\r\n';
    expect(applyTextEdits(existing, disableForFileEdits(doc(existing), 'security/insecure-url'))).toBe(
      '# nixforge-disable-file lint, security/insecure-url\r\n{ }\r\n',
    );
    const crlf = '{ a = 1; }\r\n';
    expect(applyTextEdits(crlf, disableForFileEdits(doc(crlf), 'lint'))).toBe('# nixforge-disable-file lint\r\n{ a = 1; }\r\n');
  });

  it('fix-all becomes one edit of the differing middle', () => {
    const before = 'let\n  a = 1;\n  b = (2);\nin b\n';
    const after = 'let\n  b = 2;\nin b\n';
    const edit = wholeTextEdit(doc(before), after);
    expect(applyTextEdits(before, [edit])).toBe(after);
    expect(edit.range.start).toEqual({ line: 1, character: 2 });
  });
});
