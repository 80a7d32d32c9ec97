import { dirname } from 'node:path';
import { defineRule } from '@nixforge/core';
import { isTestOrExample } from '../shared/file-roles.js';
import { ruleDocsUrl } from '../security/docs-url.js';
import { collectDepsFacts, DEPS_FACTS_KEY, locationOfAt } from './facts.js';
import { importPathOf } from './import-graph.js';
import { resolvedImports, type DepsProject, type ResolvedImport } from './project.js';
import { declaredTemplateDirs, isTemplate } from './templates.js';
import { reportMessage } from './report.js';

const MESSAGES = { missingImport: '`{{path}}` does not exist' };

/** Files that another file interpolates into a string (`"cp ${./home.nix} …"`): data, copied elsewhere before use. */
function copiedFiles(project: DepsProject): Set<string> {
  const copied = new Set<string>();
  for (const file of project.files) {
    const facts = file.facts;
    if (!facts?.copies) continue;
    const base = facts.baseDir ?? dirname(file.absolutePath);
    for (const spec of facts.copies) {
      const path = importPathOf(spec, base);
      if (path) copied.add(path);
    }
  }
  return copied;
}

/**
 * A missing target reached by climbing out of the importing file's directory into a directory that does not
 * exist (`import ../maintainers/list.nix` in a mirror of only `lib/`): a partial checkout, not a typo in a name.
 */
function outsidePartialCheckout(project: DepsProject, ref: ResolvedImport): boolean {
  if (!ref.fact.spec.startsWith('../')) return false;
  return project.fs.kind(dirname(ref.target)) === undefined;
}

/** Directories of expected test outputs (golden files): compared as text, never evaluated where they lie. */
const EXPECTED_OUTPUT_DIR = /^(golden|goldens|snapshots|__snapshots__|expected)$/i;

function isExpectedOutput(path: string): boolean {
  return path.split(/[\\/]/).slice(0, -1).some((segment) => EXPECTED_OUTPUT_DIR.test(segment));
}

/** `import ./x.nix`, `callPackage ./dir { }` or `imports = [ ./a.nix ]` naming a file that does not exist. */
export const missingImport = defineRule({
  meta: {
    description: 'An imported file does not exist.',
    severity: 'error',
    messages: MESSAGES,
    docs: {
      explanation:
        '`import`, `callPackage` and module `imports`/`modules` lists name files by path; a missing target ' +
        'fails evaluation (often only on the code path that reaches it). A directory means its `default.nix`. ' +
        'Fix the path or add the file. Targets are checked against the file system of the current run, so ' +
        'deleting a file reports its importers even when they are unchanged and cached. Not reported: imports ' +
        'the file allows to be absent (the default of a function argument, `pkgs ? import ../.. { }`, or a path ' +
        'it tests with `pathExists`), files of flake templates (their user adds `./configuration.nix`), files ' +
        'another file copies as data (`"cp ${./home.nix} …"` in a VM test), expected test outputs (`golden/`), test and example files (`tests/`, `examples/`: often inputs or data; set `includeTests` to check them), and `../` paths into a directory ' +
        'that does not exist (a partial checkout, such as a mirror of one subdirectory).',
      bad: 'import ./does-not-exist.nix',
      good: 'import ./default.nix',
      url: ruleDocsUrl('deps', 'missing-import'),
    },
    defaultOptions: { includeTests: false },
  },
  factsKey: DEPS_FACTS_KEY,
  collect: collectDepsFacts,
  check(project: DepsProject) {
    const includeTests = project.options.includeTests === true;
    let templateDirs: Set<string> | undefined;
    let copied: Set<string> | undefined;
    for (const [file, refs] of resolvedImports(project)) {
      const missing = refs.filter((ref) => !ref.exists && !ref.fact.optional && !outsidePartialCheckout(project, ref));
      if (missing.length === 0) continue;
      const projectFile = project.fileAt(file);
      templateDirs ??= declaredTemplateDirs(project);
      if (projectFile && (isTemplate(projectFile, templateDirs) || isExpectedOutput(projectFile.path))) continue;
      // Test and example files are often inputs or data (a formatter's test cases, files a script copies to a
      // device), not code evaluated where it lies.
      if (projectFile && !includeTests && isTestOrExample(projectFile.path, '')) continue;
      copied ??= copiedFiles(project);
      if (copied.has(file)) continue;
      for (const ref of missing) {
        const spec = ref.fact.spec;
        const what = ref.target.endsWith('/default.nix') && !spec.endsWith('default.nix') ? `${spec}/default.nix` : spec;
        const location = locationOfAt(ref.fact.at);
        reportMessage(project, MESSAGES, {
          file,
          ...(location ? { location } : {}),
          messageId: 'missingImport',
          data: { path: what },
          symbol: spec,
          related: [ref.target],
        });
      }
    }
  },
});
