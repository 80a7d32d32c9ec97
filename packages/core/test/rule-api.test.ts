import { describe, expect, it } from 'vitest';
import { RuleConfigError, RuleTester, SourceFile, analyzeSource, definePlugin, resolveRules, type Rule, type SyntaxNode } from '../src/index.js';

const withSchema: Rule = {
  meta: {
    description: 'reports integers above a limit',
    severity: 'warning',
    defaultOptions: { max: 10 },
    schema: { type: 'object', properties: { max: { type: 'integer', minimum: 0 } }, additionalProperties: false },
    messages: { tooBig: 'integer {{value}} is above {{max}}' },
  },
  query: '(integer_expression) @int',
  create: (context) => ({
    onMatch: (match) => {
      const node = match.captures[0]!.node;
      const value = Number(context.getText(node));
      if (value > (context.options.max as number)) context.report({ node, messageId: 'tooBig', data: { value, max: context.options.max as number } });
    },
  }),
};

const withoutSchema: Rule = {
  meta: { description: 'options from defaultOptions only', severity: 'info', defaultOptions: { strict: false } },
  create: () => ({}),
};

const plugin = definePlugin({ name: 'p', rules: { 'big-int': withSchema, plain: withoutSchema } });

describe('rule options', () => {
  it('are checked against meta.schema when the rules are resolved, naming rule and option', () => {
    expect(() => resolveRules([plugin], { 'p/big-int': ['warning', { maxx: 3 }] })).toThrow(new RuleConfigError('rules.p/big-int: maxx: unknown option'));
    expect(() => resolveRules([plugin], { 'p/big-int': ['warning', { max: -1 }] })).toThrow(/rules\.p\/big-int: max: must be >= 0/);
    expect(resolveRules([plugin], { 'p/big-int': ['warning', { max: 3 }] }).find((r) => r.id === 'p/big-int')!.options).toEqual({ max: 3 });
  });

  it('are checked against defaultOptions keys without a schema', () => {
    expect(() => resolveRules([plugin], { 'p/plain': ['info', { strictt: true }] })).toThrow(/rules\.p\/plain: strictt: unknown option \(options: strict\)/);
    expect(() => resolveRules([plugin], { 'p/plain': ['info', { strict: true }] })).not.toThrow();
  });
});

describe('messageId', () => {
  it('fills the message from meta.messages and keeps the id on the finding', () => {
    const rules = resolveRules([plugin], { 'p/big-int': ['warning', { max: 5 }] });
    const [finding] = analyzeSource(new SourceFile('x.nix', '[ 1 7 ]'), rules).findings;
    expect(finding).toMatchObject({ ruleId: 'p/big-int', messageId: 'tooBig', message: 'integer 7 is above 5', column: 5 });
  });

  it('is a rule error when meta.messages lacks it', () => {
    const broken: Rule = { meta: { description: 'x', severity: 'info' }, create: (c) => ({ integer_expression: (node: SyntaxNode) => c.report({ node, messageId: 'nope' }) }) };
    const rules = resolveRules([definePlugin({ name: 'b', rules: { r: broken } })]);
    const [finding] = analyzeSource(new SourceFile('x.nix', '1'), rules).findings;
    expect(finding!.message).toMatch(/messageId "nope", which meta.messages does not have/);
  });
});

RuleTester.describe = describe;
RuleTester.it = it;
new RuleTester().run('p/big-int', withSchema, {
  valid: ['[ 1 2 ]', { code: '[ 20 ]', options: { max: 30 } }],
  invalid: [
    { code: '[ 11 ]', errors: [{ messageId: 'tooBig', data: { value: 11, max: 10 }, line: 1, column: 3, endLine: 1, endColumn: 5 }], output: null },
    { code: '[\n  7\n  12\n]', options: { max: 8 }, errors: [{ messageId: 'tooBig', line: 3 }] },
  ],
});
