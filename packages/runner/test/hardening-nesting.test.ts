import { beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { builtinPlugins } from '@nixforge/plugins';
import { deeplyNested, NESTING_KINDS } from '@nixforge/fixtures';
import { makeTree, runCli, type CliRun } from './helpers/cli.js';

const DEPTH = 20_001;
const TIMEOUT_MS = 5_000;

interface JsonFile {
  path: string;
  error?: { code: string; message: string };
  findings: Array<{ ruleId: string; message: string }>;
}

/** Every built-in rule at its own severity, including those off by default. */
function allBuiltinRules(): Record<string, string> {
  const rules: Record<string, string> = {};
  for (const plugin of builtinPlugins) for (const [name, rule] of Object.entries(plugin.rules)) rules[`${plugin.name}/${name}`] = rule.meta.severity;
  return rules;
}

describe(`hardening: nesting ${DEPTH} levels deep, all built-in rules`, () => {
  let run: CliRun;
  let files: JsonFile[];

  beforeAll(async () => {
    const root = makeTree({ 'nixforge.config.json': JSON.stringify({ rules: allBuiltinRules() }), 'zz-after.nix': '{ a = missing; }\n' });
    for (const kind of NESTING_KINDS) writeFileSync(join(root, `deep-${kind}.nix`), deeplyNested(kind, DEPTH));
    run = await runCli(['scan', '.', '-f', 'json', '--no-events', '--threads', '2', '--file-timeout', String(TIMEOUT_MS)], root);
    files = (JSON.parse(run.stdout) as { files: JsonFile[] }).files;
  }, 600_000);

  it('gives every file a report: no stack overflow, crash or rule error anywhere', () => {
    expect(files.map((f) => f.path)).toEqual([...NESTING_KINDS.map((kind) => `deep-${kind}.nix`).sort(), 'zz-after.nix']);
    for (const file of files) {
      // A timeout would be reported, not fatal (all ten shapes are analysed since the flat tree; before, nine timed out).
      if (file.error) expect(file.error.code, file.path).toBe('timeout');
      expect(file.findings.filter((f) => f.ruleId.startsWith('internal/')), file.path).toEqual([]);
      expect(file.findings.filter((f) => /call stack|recursion/i.test(f.message)), file.path).toEqual([]);
      // Valid Nix: no syntax error may be reported for any of them.
      expect(file.findings.filter((f) => f.ruleId === 'nix/syntax-error'), file.path).toEqual([]);
    }
    expect(files.at(-1)!.findings.map((f) => f.ruleId)).toEqual(['nix/undefined-variable']);
    expect(run.code).toBe(files.some((f) => f.error) ? 2 : 1);
    console.log(`nesting ${DEPTH}: analysed ${files.filter((f) => !f.error).map((f) => f.path).join(', ')}; timed out ${files.filter((f) => f.error).map((f) => f.path).join(', ')}`);
  });
});
