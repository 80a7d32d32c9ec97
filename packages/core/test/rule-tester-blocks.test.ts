import { describe, expect, it } from 'vitest';
import { RuleTester, type Rule, type SyntaxNode } from '../src/index.js';

/** Reports every file whose name is not under a `tests/` directory and not `test.nix`, as a test-skipping rule would. */
const skipsTests: Rule = {
  meta: { description: 'x', severity: 'info', messages: { seen: 'seen' } },
  create: (context) => ({
    source_code: (node: SyntaxNode) => {
      if (!/(^|\/)(tests?\/|test\.nix$)/.test(context.filename)) context.report({ node, messageId: 'seen' });
    },
  }),
};

/** Runs the tester with recording blocks, returning the block titles in order. */
function titles(run: () => void): string[] {
  const saved = [RuleTester.describe, RuleTester.it];
  const seen: string[] = [];
  RuleTester.describe = (name, fn) => {
    seen.push(`describe ${name}`);
    fn();
  };
  RuleTester.it = (name, fn) => {
    seen.push(`it ${name}`);
    fn();
  };
  try {
    run();
  } finally {
    [RuleTester.describe, RuleTester.it] = saved;
  }
  return seen;
}

describe('RuleTester blocks', () => {
  it('registers no valid or invalid block for an empty list', () => {
    expect(titles(() => new RuleTester().run('x/seen', skipsTests, { valid: [], invalid: [{ code: '1', errors: 1 }] }))).toEqual([
      'describe x/seen',
      'describe invalid',
      'it 1',
    ]);
    expect(titles(() => new RuleTester().run('x/seen', skipsTests, { valid: [{ code: '1', filename: 'tests/a.nix' }], invalid: [] }))).toEqual([
      'describe x/seen',
      'describe valid',
      'it 1 [tests/a.nix]',
    ]);
  });

  it('analyses a case without filename under a name no rule takes for a test file', () => {
    expect(() => titles(() => new RuleTester().run('x/seen', skipsTests, { valid: [], invalid: [{ code: '1', errors: [{ messageId: 'seen' }] }] }))).not.toThrow();
  });
});
