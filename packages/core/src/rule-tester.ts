import { AssertionError } from 'node:assert';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join, normalize } from 'node:path';
import type { Finding } from './findings.js';
import type { Rule } from './plugin-api.js';
import type { ResolvedRule } from './rule-set.js';
import { analyzeSource, fillMessage } from './engine.js';
import { runProjectChecks, type ProjectInput } from './project-check.js';
import { ruleOptionsProblem } from './rule-options.js';
import { SourceFile } from './source.js';
import { findSyntaxErrors } from './syntax-errors.js';

/** A piece of Nix a rule is run on. */
export interface RuleTesterCase {
  code: string;
  /** Test title (default: the code). */
  name?: string;
  /**
   * Path the file is analysed under (default `file.nix`, a plain file in no test or docs directory); it decides
   * the file type (`flake.nix`, modules...) and what rules that skip tests or docs see.
   */
  filename?: string;
  /** The rule's options, checked as a configuration's would be. */
  options?: Record<string, unknown>;
  /**
   * The other files of the project, by path relative to the project root (`lib/default.nix`, `flake.lock`),
   * for rules with a project `check`. With it, `code` is written to `filename` in a fresh temporary directory
   * beside these files, that directory is the working directory of the check (reported paths are relative to
   * it), and every `.nix` file among them is analysed as a discovered file. Only findings in `filename` are
   * compared. Without it the check sees `filename` alone, against the real file system.
   */
  files?: Record<string, string>;
}

/** An expected finding: only the properties given are compared. */
export interface RuleTesterError {
  /** The `meta.messages` key reported. */
  messageId?: string;
  /** With `messageId`: the placeholders, so the exact message is compared too. */
  data?: Record<string, string | number>;
  /** The exact message. */
  message?: string;
  line?: number;
  column?: number;
  endLine?: number;
  endColumn?: number;
  symbol?: string;
}

/** Code the rule reports on. */
export interface RuleTesterInvalidCase extends RuleTesterCase {
  /** The findings in report order (line, then column), or just how many. */
  errors: number | RuleTesterError[];
  /**
   * The code after applying every fix once (overlapping fixes after the first are skipped, as `--fix` does in
   * one pass); `null` asserts no finding has a fix. The fixed code must parse. Omitted: not checked.
   */
  output?: string | null;
}

export interface RuleTesterRun {
  valid: Array<string | RuleTesterCase>;
  invalid: RuleTesterInvalidCase[];
}

type Block = (name: string, fn: () => void) => void;

/** Not `test.nix`: rules that skip test files (`includeTests`) would report nothing under that name. */
const DEFAULT_FILENAME = 'file.nix';

function globalBlock(name: 'describe' | 'it'): Block | undefined {
  const value = (globalThis as Record<string, unknown>)[name];
  return typeof value === 'function' ? (value as Block) : undefined;
}

/**
 * Runs one rule on valid and invalid snippets, in ESLint's shape. Under a test framework with global `describe`
 * and `it` (vitest with `globals`, mocha, jest) each case is a test; otherwise set `RuleTester.describe` and
 * `RuleTester.it` (e.g. to vitest's), or the cases run at once and the first failure throws.
 *
 *   new RuleTester().run('my-plugin/no-foo', rule, { valid: ['1'], invalid: [{ code: 'foo', errors: [{ messageId: 'foo' }] }] });
 */
export class RuleTester {
  /** The block that groups a rule's cases; default the global `describe`, else a direct call. */
  static describe: Block | undefined = undefined;
  /** The block that runs one case; default the global `it`, else a direct call. */
  static it: Block | undefined = undefined;

  run(id: string, rule: Rule<any>, tests: RuleTesterRun): void {
    const describe = RuleTester.describe ?? globalBlock('describe') ?? ((_name, fn) => fn());
    const it = RuleTester.it ?? globalBlock('it') ?? ((_name, fn) => fn());
    describe(id, () => {
      // An empty list gets no block: test frameworks fail a block without tests.
      if (tests.valid.length > 0) {
        describe('valid', () => {
          for (const test of tests.valid) {
            const entry = typeof test === 'string' ? { code: test } : test;
            it(caseTitle(entry), () => {
              const findings = runOnce(id, rule, entry);
              if (findings.length > 0) fail(entry, `expected no findings, got ${findings.length}:\n${findings.map(describeFinding).join('\n')}`);
            });
          }
        });
      }
      if (tests.invalid.length > 0) {
        describe('invalid', () => {
          for (const test of tests.invalid) {
            it(caseTitle(test), () => checkInvalid(id, rule, test));
          }
        });
      }
    });
  }
}

/** The case's name, else its code, and its filename when it has one (the same code often runs under several). */
function caseTitle(test: RuleTesterCase): string {
  return test.name ?? (test.filename === undefined ? test.code : `${test.code} [${test.filename}]`);
}

function resolvedRule(id: string, rule: Rule<any>, test: RuleTesterCase): ResolvedRule {
  if (test.options !== undefined) {
    const problem = ruleOptionsProblem(rule, test.options);
    if (problem !== undefined) fail(test, `invalid options for ${id}: ${problem}`);
  }
  return { id, rule, severity: rule.meta.severity, options: { ...(rule.meta.defaultOptions ?? {}), ...(test.options ?? {}) } };
}

function runOnce(id: string, rule: Rule<any>, test: RuleTesterCase): Finding[] {
  const resolved = resolvedRule(id, rule, test);
  const path = test.filename ?? DEFAULT_FILENAME;
  if (test.files === undefined) return analyzeProject(id, resolved, test, path, [], process.cwd());
  // The real path: rules resolve imports against real paths, and the temp directory may be behind a symlink (macOS).
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'nixforge-rule-tester-')));
  try {
    const others = Object.keys(test.files);
    for (const name of [...others, path]) {
      if (isAbsolute(name) || normalize(name).split(/[\\/]/)[0] === '..') fail(test, `files: ${name} is not a path inside the project`);
    }
    if (others.some((name) => normalize(name) === normalize(path))) fail(test, `files: ${path} is the tested file, give it as code`);
    for (const [name, text] of [...Object.entries(test.files), [path, test.code] as const]) {
      mkdirSync(dirname(join(dir, name)), { recursive: true });
      writeFileSync(join(dir, name), text);
    }
    return analyzeProject(id, resolved, test, path, others.filter((name) => name.endsWith('.nix')), dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Analyses `path` (the case's code) and, for a rule with a project check, the facts of the project's other `.nix`
 * files (`others`, read from `root`), then runs the check with `root` as working directory.
 */
function analyzeProject(id: string, resolved: ResolvedRule, test: RuleTesterCase, path: string, others: string[], root: string): Finding[] {
  const inputs: ProjectInput[] = [];
  const analyze = (name: string, text: string, factsOnly: boolean): Finding[] => {
    const source = test.files === undefined ? new SourceFile(name, text) : new SourceFile(name, text, join(root, name));
    try {
      const result = analyzeSource(source, [resolved], { factsOnly });
      inputs.push({ path: name, absolutePath: source.absolutePath, fileType: result.fileType, ...(result.facts ? { facts: result.facts } : {}) });
      return result.findings;
    } finally {
      source.dispose();
    }
  };
  const findings = analyze(path, test.code, false);
  const failure = findings.find((f) => f.ruleId !== id);
  if (failure) fail(test, `the rule failed: ${failure.message}`);
  if (!resolved.rule.check) return findings;
  for (const name of others) analyze(name, test.files![name]!, true);
  const project = runProjectChecks(inputs, [resolved], { cwd: root });
  const checkFailure = project.find((p) => p.finding.ruleId !== id);
  if (checkFailure) fail(test, `the rule failed: ${checkFailure.finding.message}`);
  return [...findings, ...project.filter((p) => p.path === path).map((p) => p.finding)];
}

function checkInvalid(id: string, rule: Rule<any>, test: RuleTesterInvalidCase): void {
  const findings = runOnce(id, rule, test);
  const expected = test.errors;
  const count = typeof expected === 'number' ? expected : expected.length;
  if (count === 0) fail(test, 'an invalid case needs at least one expected error');
  if (findings.length !== count) {
    fail(test, `expected ${count} finding(s), got ${findings.length}:\n${findings.map(describeFinding).join('\n')}`);
  }
  if (typeof expected !== 'number') {
    expected.forEach((error, i) => checkError(rule, test, findings[i]!, error, i));
  }
  if (test.output === undefined) return;
  const fixes = findings.flatMap((f) => (f.fix ? [f.fix] : []));
  if (test.output === null) {
    if (fixes.length > 0) fail(test, `expected no fix, got: ${fixes.map((f) => f.description).join('; ')}`);
    return;
  }
  if (fixes.length === 0) fail(test, 'expected a fix, the findings have none');
  const output = applyOnePass(test.code, fixes);
  if (output !== test.output) fail(test, `fixed output differs:\n--- expected\n${test.output}\n--- actual\n${output}`);
  const fixed = new SourceFile(test.filename ?? DEFAULT_FILENAME, output);
  try {
    const errors = findSyntaxErrors(fixed);
    if (errors.length > 0) fail(test, `the fixed output does not parse: ${errors[0]!.message} at line ${errors[0]!.node.startPosition.row + 1}`);
  } finally {
    fixed.dispose();
  }
}

function checkError(rule: Rule<any>, test: RuleTesterCase, finding: Finding, error: RuleTesterError, index: number): void {
  const problems: string[] = [];
  if (error.messageId !== undefined) {
    if (rule.meta.messages?.[error.messageId] === undefined) problems.push(`meta.messages has no "${error.messageId}"`);
    if (finding.messageId !== error.messageId) problems.push(`messageId ${String(finding.messageId)} instead of ${error.messageId}`);
    if (error.data !== undefined && rule.meta.messages?.[error.messageId] !== undefined) {
      const message = fillMessage(rule.meta.messages[error.messageId]!, error.data);
      if (finding.message !== message) problems.push(`message "${finding.message}" instead of "${message}"`);
    }
  }
  if (error.message !== undefined && finding.message !== error.message) problems.push(`message "${finding.message}" instead of "${error.message}"`);
  for (const key of ['line', 'column', 'endLine', 'endColumn', 'symbol'] as const) {
    if (error[key] !== undefined && finding[key] !== error[key]) problems.push(`${key} ${String(finding[key])} instead of ${error[key]}`);
  }
  if (problems.length > 0) fail(test, `finding ${index + 1} (${describeFinding(finding)}): ${problems.join(', ')}`);
}

function applyOnePass(text: string, fixes: ReadonlyArray<NonNullable<Finding['fix']>>): string {
  const taken: Array<{ start: number; end: number; text: string }> = [];
  for (const fix of fixes) {
    const overlaps = fix.edits.some((e) => taken.some((t) => e.start < t.end && t.start < e.end));
    if (!overlaps) taken.push(...fix.edits);
  }
  let out = text;
  for (const edit of [...taken].sort((a, b) => b.start - a.start)) out = out.slice(0, edit.start) + edit.text + out.slice(edit.end);
  return out;
}

function describeFinding(f: Finding): string {
  return `  ${f.line}:${f.column}-${f.endLine}:${f.endColumn} ${f.messageId ? `[${f.messageId}] ` : ''}${f.message}`;
}

function fail(test: RuleTesterCase, message: string): never {
  throw new AssertionError({ message: `${test.name ?? test.code}: ${message}` });
}
