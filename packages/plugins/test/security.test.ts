import { describe, expect, it } from 'vitest';
import security from '../src/security/index.js';
import { expectedLines, findingLines, fixtureCases, runRule } from './rule-harness.js';

describe('security plugin fixtures', () => {
  const cases = fixtureCases('security');

  it('has a bad and a good fixture for every rule', () => {
    for (const rule of Object.keys(security.rules)) {
      const files = cases.filter((c) => c.rule === rule).map((c) => c.file);
      expect(files, rule).toEqual(['bad.nix', 'good.nix']);
    }
  });

  it.each(cases.map((c) => [`${c.rule}/${c.file}`, c] as const))('%s', (_name, c) => {
    const id = `security/${c.rule}`;
    const findings = runRule(security, c.rule, c.path, c.text);
    const expected = expectedLines(c.text, id);
    if (c.file === 'bad.nix') expect(expected.length, 'bad fixture without markers').toBeGreaterThan(0);
    expect(findingLines(findings), findings.map((f) => `${f.line}: ${f.message}`).join('\n')).toEqual(expected);
    for (const finding of findings) expect(finding.ruleId).toBe(id);
  });
});

describe('security rule docs', () => {
  it.each(Object.entries(security.rules))('%s: bad triggers, good does not', (name, rule) => {
    const docs = rule.meta.docs!;
    expect(docs.explanation).toBeTruthy();
    expect(docs.url).toBe(`https://github.com/nixforge/nixforge/blob/main/docs/rules.md#security-${name}`);
    expect(runRule(security, name, 'example.nix', docs.bad!).length).toBeGreaterThan(0);
    expect(runRule(security, name, 'example.nix', docs.good!)).toEqual([]);
  });
});
