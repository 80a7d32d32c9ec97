import type { QueryMatch, SyntaxNode } from './tree-sitter.js';
import type { SyntaxTree } from './syntax-tree.js';
import { grammarTables, symbolsOfType } from './parser.js';
import { ERROR_SYMBOL } from './syntax-tree.js';
import type { Analysis, CollectContext, FileLocation, NodeVisitor, ReportDescriptor, RuleVisitors } from './plugin-api.js';
import { collectFacts, type CollectedFacts } from './collect-facts.js';
import type { TextRange } from './positions.js';
import type { ResolvedRule } from './rule-set.js';
import type { SourceFile } from './source.js';
import { compareFindings, type Finding, type ReportedFix } from './findings.js';
import { detectFileType, type FileType } from './file-type.js';
import { readSuppressions } from './suppressions.js';
import { ruleSetQuery } from './rule-set-query.js';

/** Rule id of the finding reported when a rule throws. */
export const RULE_ERROR_ID = 'internal/rule-error';

interface RawReport {
  rule: ResolvedRule;
  descriptor: ReportDescriptor;
  /** The message, resolved from `messageId` when the rule gave one. */
  message: string;
}

interface Dispatch {
  rule: ResolvedRule;
  fn: NodeVisitor;
}

export interface AnalysisResult {
  fileType: FileType;
  findings: Finding[];
  /** Facts of the rules that `collect`, keyed by `factsKey` (default the rule id); absent when none does. */
  facts?: CollectedFacts;
}

/** `factsOnly`: run only the rules' `collect` (no visitors, no per-file findings), e.g. for unchanged files. */
export interface AnalyzeOptions {
  factsOnly?: boolean;
}

/**
 * Runs every rule on one file: one pass of the rule set's combined query (every rule's `query`, see
 * rule-set-query.ts) whose matches go to the owning rule's `onMatch`, then a single pass over the
 * tree's node arrays that dispatches each node to all visitors registered for its type. Node objects are
 * only created for types some rule visits. A rule that throws is reported as `internal/rule-error` and stops running on this
 * file; the other rules are unaffected.
 */
export function analyzeSource(source: SourceFile, rules: readonly ResolvedRule[], options: AnalyzeOptions = {}): AnalysisResult {
  const tree = source.tree;
  const fileType = detectFileType(source);
  const reports: RawReport[] = [];
  const failed = new Map<ResolvedRule, unknown>();
  const analyses = new Map<string, unknown>();
  const file: FileState = { source, fileType, analyses, reports };
  const contextOf = (rule: ResolvedRule): FileRuleContext => new FileRuleContext(file, rule);
  if (options.factsOnly) {
    const facts = collectFacts(rules, contextOf, failed);
    return withFacts({ fileType, findings: ruleErrorFindings(source, failed) }, facts);
  }

  const plan = planFile(file, rules, failed);
  if (plan.hasMatchHandlers && plan.combined.query) runMatches(tree, plan, failed);
  if (plan.hasVisitors) walk(tree, plan.enter, plan.exit, failed);
  for (const handler of plan.endHandlers) {
    if (failed.has(handler.rule)) continue;
    try {
      handler.fn();
    } catch (error) {
      failed.set(handler.rule, error);
    }
  }
  const facts = collectFacts(rules, contextOf, failed);
  const findings = reports.length > 0 ? keptFindings(source, reports) : [];
  if (failed.size > 0) findings.push(...ruleErrorFindings(source, failed));
  findings.sort(compareFindings);
  return withFacts({ fileType, findings }, facts);
}

/**
 * What the rules asked for on one file: visitors by dispatch slot (see `slotOfSymbol`), `onMatch` handlers by the
 * rule's position in the combined query, and `onEnd` handlers.
 */
interface FilePlan {
  enter: Array<Dispatch[] | undefined>;
  exit: Array<Dispatch[] | undefined>;
  hasVisitors: boolean;
  combined: ReturnType<typeof ruleSetQuery>;
  matchHandlers: Array<((m: QueryMatch) => void) | undefined>;
  hasMatchHandlers: boolean;
  endHandlers: Array<{ rule: ResolvedRule; fn: () => void }>;
}

/** Calls every rule's `create` and sorts what it returns into a `FilePlan`. */
function planFile(file: FileState, rules: readonly ResolvedRule[], failed: Map<ResolvedRule, unknown>): FilePlan {
  const plan: FilePlan = {
    enter: dispatchTable(),
    exit: dispatchTable(),
    hasVisitors: false,
    combined: ruleSetQuery(rules),
    matchHandlers: [],
    hasMatchHandlers: false,
    endHandlers: [],
  };
  for (const rule of rules) {
    if (!rule.rule.create) continue;
    const context = new FileRuleContext(file, rule);
    let visitors: RuleVisitors | undefined;
    try {
      visitors = rule.rule.create(context);
    } catch (error) {
      failed.set(rule, error);
    }
    if (visitors) addVisitors(plan, rule, visitors, failed);
  }
  return plan;
}

function addVisitors(plan: FilePlan, rule: ResolvedRule, visitors: RuleVisitors, failed: Map<ResolvedRule, unknown>): void {
  for (const key in visitors) {
    const fn = visitors[key];
    if (typeof fn !== 'function') continue;
    if (key === 'onMatch') {
      const slot = plan.combined.slotOf.get(rule);
      // A rule whose query does not compile fails on every file it wants matches of, as a rule that throws.
      const invalid = plan.combined.invalid.get(rule);
      if (invalid !== undefined) failed.set(rule, invalid);
      else if (slot !== undefined) {
        plan.matchHandlers[slot] = fn as (m: QueryMatch) => void;
        plan.hasMatchHandlers = true;
      }
    } else if (key === 'onEnd') {
      plan.endHandlers.push({ rule, fn: fn as () => void });
    } else {
      const target = visitorTarget(key);
      const dispatch: Dispatch = { rule, fn: fn as NodeVisitor };
      for (const symbol of target.symbols) pushTo(target.exit ? plan.exit : plan.enter, slotOfSymbol(symbol), dispatch);
      plan.hasVisitors = true;
    }
  }
}

/** One pass of the rule set's combined query; each match goes to the `onMatch` of the rule owning its pattern. */
function runMatches(tree: SyntaxTree, plan: FilePlan, failed: Map<ResolvedRule, unknown>): void {
  const combined = plan.combined;
  for (const match of combined.query!.matches(tree.rootNode)) {
    const slot = combined.slotOfPattern[match.pattern]!;
    const handler = plan.matchHandlers[slot];
    if (handler === undefined) continue;
    const rule = combined.rules[slot]!;
    if (failed.has(rule)) continue;
    match.pattern -= combined.firstPattern[slot]!;
    try {
      handler(match);
    } catch (error) {
      failed.set(rule, error);
    }
  }
}

/** The findings of the reports that no suppression comment silences. */
function keptFindings(source: SourceFile, reports: readonly RawReport[]): Finding[] {
  // Comments are only needed for suppression directives; most files have none, so skip them then.
  const comments: TextRange[] = hasDirectiveText(source.text) ? commentRanges(source.tree) : [];
  const suppressions = readSuppressions(source, comments);
  const findings: Finding[] = [];
  for (const { rule, descriptor, message } of reports) {
    const finding = toFinding(source, rule.id, rule.severity, descriptor, message);
    if (suppressions.isSuppressed(finding.ruleId, finding.line)) continue;
    // A comment may still name the rule by a former id.
    const aliases = rule.rule.meta.aliases;
    if (aliases !== undefined && aliases.some((alias) => suppressions.isSuppressed(alias, finding.line))) continue;
    findings.push(finding);
  }
  return findings;
}

function withFacts(result: AnalysisResult, facts: CollectedFacts | undefined): AnalysisResult {
  if (facts) result.facts = facts;
  return result;
}

function ruleErrorFindings(source: SourceFile, failed: ReadonlyMap<ResolvedRule, unknown>): Finding[] {
  const findings: Finding[] = [];
  for (const [rule, error] of failed) {
    const message = error instanceof Error ? error.message : String(error);
    findings.push({
      ruleId: RULE_ERROR_ID,
      severity: 'error',
      message: `rule ${rule.id} failed on ${source.path}: ${message}`,
      line: 1,
      column: 1,
      endLine: 1,
      endColumn: 1,
      symbol: rule.id,
    });
  }
  return findings;
}

function hasDirectiveText(text: string): boolean {
  return text.includes('nixforge-disable') || text.includes('deadnix');
}

function commentRanges(tree: SyntaxTree): TextRange[] {
  const comment = new Set(symbolsOfType('comment'));
  const ranges: TextRange[] = [];
  for (let i = 0; i < tree.count; i += 1) {
    if (comment.has(tree.kinds[i]!)) ranges.push({ start: tree.starts[i]!, end: tree.ends[i]! });
  }
  return ranges;
}

/** What a visitor key (`binding`, `binding:exit`) names: the grammar symbols of its type, and whether on exit. */
interface VisitorTarget {
  symbols: readonly number[];
  exit: boolean;
}

const visitorTargets = new Map<string, VisitorTarget>();

/** The target of a visitor key, parsed once per thread (every file's visitors use the same few keys). */
function visitorTarget(key: string): VisitorTarget {
  let target = visitorTargets.get(key);
  if (target === undefined) {
    const exit = key.endsWith(':exit');
    target = { symbols: symbolsOfType(exit ? key.slice(0, -5) : key), exit };
    visitorTargets.set(key, target);
  }
  return target;
}

/**
 * Dispatch tables are indexed by grammar symbol, with ERROR nodes (symbol 0xffff) in the slot after the last
 * symbol, so that the walk never reads past a table's end.
 */
function slotOfSymbol(symbol: number): number {
  return symbol === ERROR_SYMBOL ? errorSlot() : symbol;
}

let errorSlotCache = -1;

function errorSlot(): number {
  if (errorSlotCache < 0) errorSlotCache = grammarTables().symbolNames.length;
  return errorSlotCache;
}

/** A table with a slot for every symbol and for ERROR, all empty (filled, so reads stay on packed elements). */
function dispatchTable(): Array<Dispatch[] | undefined> {
  return new Array<Dispatch[] | undefined>(errorSlot() + 1).fill(undefined);
}

function pushTo(table: Array<Dispatch[] | undefined>, slot: number, entry: Dispatch): void {
  const list = table[slot];
  if (list) list.push(entry);
  else table[slot] = [entry];
}

function callVisitors(handlers: readonly Dispatch[], node: SyntaxNode, failed: Map<ResolvedRule, unknown>): void {
  for (const d of handlers) {
    if (failed.has(d.rule)) continue;
    try {
      d.fn(node);
    } catch (error) {
      failed.set(d.rule, error);
    }
  }
}

/**
 * One pass over the nodes in pre-order (their order in the tree's arrays), calling exit visitors once a
 * node's subtree is behind. No recursion, so nesting depth cannot overflow the stack.
 */
function walk(
  tree: SyntaxTree,
  enter: ReadonlyArray<Dispatch[] | undefined>,
  exit: ReadonlyArray<Dispatch[] | undefined>,
  failed: Map<ResolvedRule, unknown>,
): void {
  const { count, kinds, subtreeEnds } = tree;
  // Read before the loop: a call first made on a file's first ERROR node would deoptimise the loop.
  const errorKindSlot = errorSlot();
  const pendingIndex: number[] = [];
  const pendingHandlers: Dispatch[][] = [];
  for (let i = 0; i < count; i += 1) {
    while (pendingIndex.length > 0 && subtreeEnds[pendingIndex[pendingIndex.length - 1]!]! <= i) {
      callVisitors(pendingHandlers.pop()!, tree.node(pendingIndex.pop()!), failed);
    }
    const kind = kinds[i]!;
    const slot = kind === ERROR_SYMBOL ? errorKindSlot : kind;
    const onEnter = enter[slot];
    if (onEnter !== undefined) callVisitors(onEnter, tree.node(i), failed);
    const onExit = exit[slot];
    if (onExit !== undefined) {
      pendingIndex.push(i);
      pendingHandlers.push(onExit);
    }
  }
  while (pendingIndex.length > 0) callVisitors(pendingHandlers.pop()!, tree.node(pendingIndex.pop()!), failed);
}

/** What the rules of one file share: the source, its analyses and the reports so far. */
interface FileState {
  source: SourceFile;
  fileType: FileType;
  analyses: Map<string, unknown>;
  reports: RawReport[];
}

/** One rule's view of a file. A class, so the per-file cost of 59 contexts is 59 small objects, not closures. */
class FileRuleContext implements CollectContext {
  readonly id: string;
  readonly filename: string;
  readonly sourceText: string;
  readonly source: SourceFile;
  readonly options: Record<string, unknown>;
  readonly fileType: FileType;
  readonly severity: Finding['severity'];

  constructor(
    private readonly file: FileState,
    private readonly rule: ResolvedRule,
  ) {
    this.id = rule.id;
    this.filename = file.source.path;
    this.sourceText = file.source.text;
    this.source = file.source;
    this.options = rule.options;
    this.fileType = file.fileType;
    this.severity = rule.severity;
  }

  locationOf(nodeOrRange: SyntaxNode | TextRange): FileLocation {
    const start = 'startIndex' in nodeOrRange ? nodeOrRange.startIndex : nodeOrRange.start;
    const end = 'startIndex' in nodeOrRange ? nodeOrRange.endIndex : nodeOrRange.end;
    const from = this.source.positionAt(start);
    const to = this.source.positionAt(end);
    return { line: from.line, column: from.column, endLine: to.line, endColumn: to.column };
  }

  getText(nodeOrRange: SyntaxNode | TextRange): string {
    if ('startIndex' in nodeOrRange) return this.sourceText.slice(nodeOrRange.startIndex, nodeOrRange.endIndex);
    return this.sourceText.slice(nodeOrRange.start, nodeOrRange.end);
  }

  getAnalysis<T>(analysis: Analysis<T>): T {
    const analyses = this.file.analyses;
    if (analyses.has(analysis.name)) return analyses.get(analysis.name) as T;
    const value = analysis.compute(this.source);
    analyses.set(analysis.name, value);
    return value;
  }

  report(descriptor: ReportDescriptor): void {
    if (!descriptor.node && !descriptor.range) {
      throw new Error(`${this.rule.id}: report() needs a node or a range`);
    }
    this.file.reports.push({ rule: this.rule, descriptor, message: reportMessage(this.rule, descriptor) });
  }
}

/** The text of a report: `message`, or `meta.messages[messageId]` with `{{name}}` filled from `data`. */
export function reportMessage(rule: ResolvedRule, d: Pick<ReportDescriptor, 'message' | 'messageId' | 'data'>): string {
  if (d.messageId === undefined) {
    if (d.message === undefined) throw new Error(`${rule.id}: report() needs a message or a messageId`);
    return d.message;
  }
  const template = rule.rule.meta.messages?.[d.messageId];
  if (template === undefined) throw new Error(`${rule.id}: report() names messageId "${d.messageId}", which meta.messages does not have`);
  return fillMessage(template, d.data);
}

/** `{{name}}` placeholders of a message filled from `data` (a placeholder without a value is left as it is). */
export function fillMessage(template: string, data: Readonly<Record<string, string | number>> | undefined): string {
  return template.replace(/\{\{\s*([A-Za-z_$][\w$]*)\s*\}\}/g, (whole, name: string) => {
    const value = data?.[name];
    return value === undefined ? whole : String(value);
  });
}

function toFinding(source: SourceFile, ruleId: string, severity: Finding['severity'], d: ReportDescriptor, message: string): Finding {
  const start = d.node ? d.node.startIndex : d.range!.start;
  const end = d.node ? d.node.endIndex : d.range!.end;
  const from = source.positionAt(start);
  const to = source.positionAt(end);
  const finding: Finding = {
    ruleId,
    severity,
    message,
    line: from.line,
    column: from.column,
    endLine: to.line,
    endColumn: to.column,
  };
  if (d.messageId !== undefined) finding.messageId = d.messageId;
  if (d.symbol !== undefined) finding.symbol = d.symbol;
  if (d.fix) {
    const fix: ReportedFix = {
      description: d.fix.description,
      edits: d.fix.edits.map((edit) => {
        const a = source.positionAt(edit.range.start);
        const b = source.positionAt(edit.range.end);
        return {
          start: edit.range.start,
          end: edit.range.end,
          line: a.line,
          column: a.column,
          endLine: b.line,
          endColumn: b.column,
          text: edit.text,
        };
      }),
    };
    finding.fix = fix;
  }
  return finding;
}
