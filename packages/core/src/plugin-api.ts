import type { SyntaxNode, QueryMatch } from './tree-sitter.js';
import type { TextRange } from './positions.js';
import type { SourceFile } from './source.js';
import type { FileType } from './file-type.js';

/** How serious a finding is. `--fail-on` compares against this order: info < warning < error. */
export type Severity = 'error' | 'warning' | 'info';

/** A rule's configured level: a severity, or `off` to disable it. */
export type RuleLevel = Severity | 'off';

/** One replacement of a range of the file text (UTF-16 offsets, BOM excluded). Edits of one fix never overlap. */
export interface TextEdit {
  range: TextRange;
  text: string;
}

/** A machine-applicable correction attached to a finding. Applied by `nixforge scan --fix`. */
export interface Fix {
  /** What the fix does, for `--fix-dry-run` and reports, e.g. "remove unused binding `x`". */
  description: string;
  edits: TextEdit[];
}

/** Documentation of a rule, shown by `nixforge explain` and linked from SARIF. */
export interface RuleDocs {
  /** Why the rule exists and what to do about a finding. */
  explanation?: string;
  /** A short Nix snippet that the rule reports. */
  bad?: string;
  /** The corrected snippet. */
  good?: string;
  /** Link to the rule's documentation; built-in rules point into the repository. */
  url?: string;
}

/** Static facts about a rule. */
export interface RuleMeta {
  /** One sentence, shown in `nixforge rules` and as the SARIF short description. */
  description: string;
  /**
   * The rule's level when a preset enables it and the configuration does not override it. Levels mean:
   * `error` = Nix rejects it, or it is certainly broken or insecure; `warning` = very likely a bug or a real
   * risk; `info` = style or idiom.
   */
  severity: Severity;
  /** One line on why the rule has its level (shown by `nixforge explain` and in docs/rules.md). */
  severityReason?: string;
  /**
   * The presets the rule belongs to, besides `all` (which holds every rule). `recommended` implies `strict`.
   * Absent: `["recommended"]`, so a plugin's rules run once it is loaded (`[]` when `disabledByDefault`).
   */
  presets?: readonly PresetMembership[];
  /**
   * Former ids of this rule (`<plugin>/<rule>`, possibly of another plugin). They keep working in `rules`
   * settings, `--rule` and suppression comments.
   */
  aliases?: readonly string[];
  /** Free-form topics the rule matters for, e.g. `["performance", "security"]`. */
  tags?: readonly string[];
  /** True when some findings carry a `fix`. */
  fixable?: boolean;
  docs?: RuleDocs;
  /** Options used when the configuration gives none; merged shallowly under the configured ones. */
  defaultOptions?: Record<string, unknown>;
  /**
   * JSON Schema (draft 2020-12 or 07, as ajv reads it) of the options object, checked when the configuration
   * loads: options that do not satisfy it stop the run with exit 2, naming the rule and the option. Give
   * `additionalProperties: false` so misspelled options are caught. Without a schema, the configured keys must
   * be keys of `defaultOptions`.
   */
  schema?: Record<string, unknown>;
  /**
   * The rule's messages by id; `report({ messageId, data })` picks one and fills its `{{name}}` placeholders
   * from `data`. Keeps the wording in one place and lets tools group findings by `messageId`.
   */
  messages?: Record<string, string>;
  /** Rules that are in no preset but `all` (the same as `presets: []`). */
  disabledByDefault?: boolean;
}

/**
 * Named rule sets selected with `"extends"`: `recommended` (the default: rules that are right almost always),
 * `strict` (adds rules that are often right), `style` (opt-in idiom and formatting rules), `all` (every rule).
 */
export type PresetName = 'recommended' | 'strict' | 'style' | 'all';

/** What a rule can declare in `meta.presets` (`all` needs no declaration). */
export type PresetMembership = Exclude<PresetName, 'all'>;

/**
 * What a rule passes to `context.report`. Give either `node` or `range`, and either `message` or `messageId`
 * (a key of `meta.messages`, with `data` for its `{{name}}` placeholders).
 */
export interface ReportDescriptor {
  node?: SyntaxNode;
  range?: TextRange;
  message?: string;
  messageId?: string;
  data?: Record<string, string | number>;
  /** The name the finding is about (an unused binding, an undefined variable...), for tools and baselines. */
  symbol?: string;
  fix?: Fix;
}

/** A shared, lazily computed per-file analysis (e.g. scopes). Computed at most once per file for all rules. */
export interface Analysis<T> {
  /** Unique name; used as the cache key. */
  readonly name: string;
  compute(source: SourceFile): T;
}

/** What a rule sees of the file being checked. One context per rule per file. */
export interface RuleContext<Options extends Record<string, unknown> = Record<string, unknown>> {
  /** `<plugin>/<rule>`. */
  readonly id: string;
  /** Path of the file as reported (relative to the working directory when possible). */
  readonly filename: string;
  /** The file text, BOM removed. Node offsets index this string. */
  readonly sourceText: string;
  readonly source: SourceFile;
  /** Configured options merged over `meta.defaultOptions`. */
  readonly options: Options;
  readonly fileType: FileType;
  /** Severity this rule runs with (configured or default). */
  readonly severity: Severity;
  /** The text of a node, read from the original file (not the parser's prepared input). */
  getText(node: SyntaxNode | TextRange): string;
  /** Returns the shared result of an analysis, computing it on first use for this file. */
  getAnalysis<T>(analysis: Analysis<T>): T;
  report(descriptor: ReportDescriptor): void;
}

/** A visitor for one node type; called on entry (`type`) or exit (`type:exit`). */
export type NodeVisitor = (node: SyntaxNode) => void;

/**
 * What `create` returns: visitors keyed by tree-sitter node type (`binding`, `apply_expression`, ...) and
 * `type:exit`; `onMatch` receives the matches of the rule's `query`; `onEnd` runs after the walk.
 */
export interface RuleVisitors {
  [nodeTypeOrExit: string]: NodeVisitor | ((match: QueryMatch) => void) | (() => void) | undefined;
  onMatch?: (match: QueryMatch) => void;
  onEnd?: () => void;
}

/**
 * A rule: metadata plus a factory that returns visitors for one file, and/or the project-phase hooks
 * `collect`/`check` (see `ProjectRule`). A rule has at least one of `create` and `check`.
 */
export interface Rule<Options extends Record<string, unknown> = Record<string, unknown>> extends ProjectRule<any, Options> {
  meta: RuleMeta;
  /** A tree-sitter query (S-expression) run in C over the whole tree; matches go to `onMatch`. */
  query?: string;
  create?(context: RuleContext<Options>): RuleVisitors;
}

/** A plugin: the default export of a module named in `plugins` or by `--plugin`. Rule ids are `<name>/<rule>`. */
export interface Plugin {
  name: string;
  rules: Record<string, Rule<any>>;
}

/** Helps plugin authors get types without a cast: `export default definePlugin({ name, rules })`. */
export function definePlugin(plugin: Plugin): Plugin {
  return plugin;
}

/** Helps rule authors get types for their options. */
export function defineRule<Options extends Record<string, unknown> = Record<string, unknown>>(
  rule: Rule<Options>,
): Rule<Options> {
  return rule;
}

// ---------------------------------------------------------------------------------------------------------
// Project phase: facts collected per file (`collect`) and one check over all of them (`check`).
// ---------------------------------------------------------------------------------------------------------

/** A position range in a file: 1-based lines, 1-based UTF-16 columns (as in findings). */
export interface FileLocation {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

/**
 * Plain JSON data a rule's `collect` returns for one file: objects, arrays, strings, finite numbers,
 * booleans and null. Facts travel from worker threads (or remote workers) and are stored in the result cache,
 * so they must survive `JSON.stringify`/`JSON.parse` unchanged. Keep them small: no trees, no source text.
 */
export type Facts = null | boolean | number | string | Facts[] | { [key: string]: Facts | undefined };

/** What `collect` sees: the per-file rule context plus a way to turn offsets into locations for later. */
export interface CollectContext<Options extends Record<string, unknown> = Record<string, unknown>> extends RuleContext<Options> {
  /** The line/column range of a node or offset range, to store in facts (the project check has no source). */
  locationOf(nodeOrRange: SyntaxNode | TextRange): FileLocation;
}

/** One discovered file as the project check sees it. */
export interface ProjectFile<F = Facts> {
  /** Path as reported (relative to the working directory when possible). */
  readonly path: string;
  readonly absolutePath: string;
  readonly fileType: FileType;
  /** What the rule's `collect` returned for this file; undefined when the file could not be analysed. */
  readonly facts: F | undefined;
}

/** A read-only view of the file system for project checks: current state, never cached. */
export interface ProjectFileSystem {
  /** `file`, `directory`, `other`, or undefined when nothing is there (symlinks are followed). */
  kind(absolutePath: string): 'file' | 'directory' | 'other' | undefined;
  /** UTF-8 text of a file, or undefined when it cannot be read. */
  readText(absolutePath: string): string | undefined;
  /** The real path (symlinks resolved), or the path itself when it does not exist. */
  realpath(absolutePath: string): string;
}

/** What a project check reports: a finding in any discovered file. */
export interface ProjectReportDescriptor {
  /** The file the finding is in: its reported `path` or its `absolutePath`. */
  file: string;
  /** Where in the file (from facts); default the file's first character. */
  location?: FileLocation;
  /** The text; or give `messageId` (a `meta.messages` key, `{{name}}` filled from `data`), as `context.report` takes. */
  message?: string;
  messageId?: string;
  data?: Record<string, string | number>;
  symbol?: string;
  /**
   * Absolute paths of other files the finding depends on (the rest of an import cycle, a missing target, a
   * flake.lock). `--changed-since` reports a project finding when its file or one of these changed.
   */
  related?: string[];
}

/** What `check` sees: every discovered file with this rule's facts, and the file system. */
export interface ProjectContext<F = Facts, Options extends Record<string, unknown> = Record<string, unknown>> {
  /** `<plugin>/<rule>`. */
  readonly id: string;
  readonly options: Options;
  readonly severity: Severity;
  /** The working directory reported paths are relative to. */
  readonly cwd: string;
  /** Every discovered file (whether or not it is reported in this run), sorted by path. */
  readonly files: readonly ProjectFile<F>[];
  /** The discovered file at an absolute path. */
  fileAt(absolutePath: string): ProjectFile<F> | undefined;
  readonly fs: ProjectFileSystem;
  report(descriptor: ProjectReportDescriptor): void;
}

/**
 * The project-phase half of a rule (optional, beside or instead of `create`):
 * - `collect(context)` runs in the worker after the file's walk and returns the file's facts (see `Facts`).
 *   They are cached with the file's result under the same content key.
 * - `check(project)` runs once per scan, in the main thread, over the facts of every discovered file (fresh
 *   or cached) and a read-only file-system view, and reports findings into any file. It is never cached.
 * - `factsKey`: rules that share facts give the same key and the same `collect`; it then runs once per file.
 */
export interface ProjectRule<F = any, Options extends Record<string, unknown> = Record<string, unknown>> {
  factsKey?: string;
  collect?(context: CollectContext<Options>): F | undefined;
  check?(project: ProjectContext<F, Options>): void;
}
