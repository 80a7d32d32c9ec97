import { AssertionError } from 'node:assert';
import { describe, expect, it } from 'vitest';
import { RuleTester, type CollectContext, type ProjectContext, type Rule } from '../src/index.js';

interface ImportFacts {
  imports: string[];
}

/** A project rule: every `import ./x` names a discovered file, and flake.lock exists when the file says so. */
const knownImports: Rule = {
  meta: {
    description: 'imports name discovered files',
    severity: 'error',
    messages: { unknownImport: '`{{path}}` is not a discovered file' },
  },
  collect(context: CollectContext): ImportFacts {
    const imports = [...context.sourceText.matchAll(/import \.\/([\w./-]+)/g)].map((m) => m[1]!);
    return { imports };
  },
  check(project: ProjectContext<ImportFacts>) {
    const known = new Set(project.files.map((file) => file.path));
    for (const file of project.files) {
      for (const path of file.facts?.imports ?? []) {
        if (path === 'flake.lock' ? project.fs.readText(`${project.cwd}/flake.lock`) === undefined : !known.has(path)) {
          project.report({ file: file.path, message: `\`${path}\` is not a discovered file` });
        }
      }
    }
  },
};

RuleTester.describe = describe;
RuleTester.it = it;
new RuleTester().run('p/known-imports', knownImports, {
  valid: [
    { code: 'import ./lib/a.nix', files: { 'lib/a.nix': '1' } },
    { code: 'import ./flake.lock', filename: 'sub/x.nix', files: { 'flake.lock': '{}' } },
    { code: '[ (import ./b.nix) ]', filename: 'a.nix', files: { 'b.nix': 'import ./a.nix' } },
  ],
  invalid: [
    { code: 'import ./lib/a.nix', errors: [{ message: '`lib/a.nix` is not a discovered file', line: 1, column: 1 }] },
    { code: 'import ./b.nix', files: { 'a.nix': '1', 'b.txt': '' }, errors: 1 },
    { code: 'import ./flake.lock', files: { 'a.nix': '1' }, errors: 1 },
  ],
});

describe('RuleTester files', () => {
  const tester = new RuleTester();
  const run = (files: Record<string, string>, code = '1'): void => {
    const saved = [RuleTester.describe, RuleTester.it];
    RuleTester.describe = (_name, fn) => fn();
    RuleTester.it = (_name, fn) => fn();
    try {
      tester.run('p/known-imports', knownImports, { valid: [{ code, files }], invalid: [] });
    } finally {
      [RuleTester.describe, RuleTester.it] = saved;
    }
  };

  it('only reports findings of the tested file', () => {
    expect(() => run({ 'other.nix': 'import ./missing.nix' })).not.toThrow();
  });

  it('refuses paths outside the project and a second copy of the tested file', () => {
    expect(() => run({ '../x.nix': '1' })).toThrow(AssertionError);
    expect(() => run({ '/tmp/x.nix': '1' })).toThrow(/not a path inside the project/);
    expect(() => run({ './file.nix': '1' })).toThrow(/is the tested file/);
  });

  it('fails when the check throws, whichever file the error lands on', () => {
    const throwing: Rule = { ...knownImports, check: () => { throw new Error('boom'); } } as Rule;
    const saved = [RuleTester.describe, RuleTester.it];
    RuleTester.describe = (_name, fn) => fn();
    RuleTester.it = (_name, fn) => fn();
    try {
      expect(() => tester.run('p/throws', throwing, { valid: [{ code: '1', filename: 'z.nix', files: { 'a.nix': '1' } }], invalid: [] })).toThrow(/boom/);
    } finally {
      [RuleTester.describe, RuleTester.it] = saved;
    }
  });
});
