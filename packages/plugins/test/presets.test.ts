import { describe, expect, it } from 'vitest';
import { resolveRules } from '@nixforge/core';
import { builtinPlugins, RULE_CALIBRATION } from '../src/index.js';
import security from '../src/security/index.js';

const builtinIds = builtinPlugins.flatMap((p) => Object.keys(p.rules).map((name) => `${p.name}/${name}`)).sort();

describe('the calibration table', () => {
  it('has exactly one entry per built-in rule, each with a reason', () => {
    expect(Object.keys(RULE_CALIBRATION).sort()).toEqual(builtinIds);
    for (const [id, entry] of Object.entries(RULE_CALIBRATION)) expect(entry.reason.length, id).toBeGreaterThan(10);
  });

  it('is what the built-in plugins carry: level, presets, reason, aliases', () => {
    for (const plugin of builtinPlugins) {
      for (const [name, rule] of Object.entries(plugin.rules)) {
        const entry = RULE_CALIBRATION[`${plugin.name}/${name}`]!;
        expect(rule.meta).toMatchObject({ severity: entry.level, presets: entry.presets, severityReason: entry.reason });
      }
    }
  });

  it('error means Nix rejects it or it is certainly broken; such rules are few and named', () => {
    const errors = Object.entries(RULE_CALIBRATION).filter(([, e]) => e.level === 'error').map(([id]) => id).sort();
    expect(errors).toEqual([
      'deps/missing-import',
      'nix/duplicate-attribute',
      'nix/duplicate-formal',
      'nix/dynamic-inherit',
      'nix/invalid-integer',
      'nix/syntax-error',
      'nix/undefined-variable',
      'security/builtins-exec',
      'security/sandbox-disabled',
    ]);
  });

  it('keeps one import-from-derivation rule; the security id is its alias', () => {
    expect(Object.keys(security.rules)).not.toContain('import-from-derivation');
    expect(RULE_CALIBRATION['performance/import-from-derivation']!.aliases).toEqual(['security/import-from-derivation']);
    const resolved = resolveRules(builtinPlugins, { 'security/import-from-derivation': 'error' });
    expect(resolved.find((r) => r.id === 'performance/import-from-derivation')?.severity).toBe('error');
  });

  it('the recommended preset runs only rules the table puts there', () => {
    const recommended = resolveRules(builtinPlugins).map((r) => r.id).sort();
    const expected = Object.entries(RULE_CALIBRATION).filter(([, e]) => e.presets.includes('recommended')).map(([id]) => id).sort();
    expect(recommended).toEqual(expected);
  });
});
