import { describe, it } from 'vitest';
import { RuleTester } from '@nixforge/core';
import lint from '../src/lint/index.js';

RuleTester.describe = describe;
RuleTester.it = it;
const tester = new RuleTester();

tester.run('lint/empty-let-in', lint.rules['empty-let-in']!, {
  valid: ['let a = 1; in a', 'let inherit ({ a = 1; }) a; in a', 'let { body = 1; }'],
  invalid: [
    { code: 'let in 1', errors: [{ messageId: 'emptyLetIn', line: 1, column: 1, endLine: 1, endColumn: 7 }], output: '1' },
    { code: '{ x = let\n  in x: x; }', errors: [{ messageId: 'emptyLetIn', line: 1, column: 7, endLine: 2, endColumn: 5 }] },
    { code: '{ a }: [ (let in a) ]', errors: [{ messageId: 'emptyLetIn', column: 11 }], output: '{ a }: [ (a) ]' },
  ],
});

tester.run('lint/legacy-let-syntax', lint.rules['legacy-let-syntax']!, {
  valid: ['let a = 1; in a', 'rec { a = 1; body = a; }.body'],
  invalid: [
    {
      code: 'let { a = 1; body = a; }',
      errors: [{ messageId: 'legacyLet', line: 1, column: 1, endLine: 1, endColumn: 6 }],
      output: '(rec { a = 1; body = a; }).body',
    },
    { code: '[ (let { body = 1; }) ]', errors: [{ messageId: 'legacyLet', column: 4, endColumn: 9 }] },
    { code: '[ let { body = 1; } ]', errors: 1, output: '[ (rec { body = 1; }).body ]' },
    { code: 'let { body = { x = 1; }; }.x', errors: 1, output: '((rec { body = { x = 1; }; }).body).x' },
    // No `body`: there is nothing to select, so no fix.
    { code: 'let { a = 1; }', errors: [{ messageId: 'legacyLet' }], output: null },
  ],
});

tester.run('lint/unquoted-uri', lint.rules['unquoted-uri']!, {
  valid: ['{ url = "https://example.org/a.tar.gz"; }', 'x: x'],
  invalid: [
    {
      code: '{ url = https://example.org/a.tar.gz; }',
      errors: [{ messageId: 'unquotedUri', message: 'Found unquoted URI expression', line: 1, column: 9, endLine: 1, endColumn: 37 }],
      output: '{ url = "https://example.org/a.tar.gz"; }',
    },
    { code: '{ url = https://example.org/a.tar.gz?x=1; }', errors: 1, output: '{ url = "https://example.org/a.tar.gz?x=1"; }' },
  ],
});

tester.run('lint/empty-inherit', lint.rules['empty-inherit']!, {
  valid: ['{ a }: { inherit a; }', '{ a }: { inherit (a) b; }'],
  invalid: [
    { code: '{ inherit; a = 1; }', errors: [{ messageId: 'emptyInherit', line: 1, column: 3, endColumn: 11 }], output: '{ a = 1; }' },
    { code: 'let inherit ({ }); in 1', errors: [{ messageId: 'emptyInherit', column: 5, endColumn: 19 }] },
    { code: '{ a = 1; inherit ({ }); }', errors: 1, output: '{ a = 1; }' },
    { code: '{\n  inherit;\n  a = 1;\n}', errors: [{ messageId: 'emptyInherit', line: 2, column: 3 }], output: '{\n  a = 1;\n}' },
  ],
});
