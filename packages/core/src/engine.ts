import { TreeSitter, type Query, type QueryMatch, type SyntaxNode } from './tree-sitter.js';
import { loadNixLanguage } from './native.js';
import type { Analysis, NodeVisitor, ReportDescriptor, RuleContext, RuleVisitors } from './plugin-api.js';
import type { TextRange } from './positions.js';
import type { ResolvedRule } from './rule-set.js';
import type { SourceFile } from './source.js';
import { compareFindings, type Finding, type ReportedFix } from './findings.js';
import { detectFileType, type FileType } from './file-type.js';
import { readSuppressions } from './suppressions.js';

/** Rule id of the finding reported when a rule throws. */
export const RULE_ERROR_ID = 'internal/rule-error';

const queryCache = new Map<string, Query>();

function compiledQuery(source: string): Query {
  let query = queryCache.get(source);
  if (!query) {
    query = new TreeSitter.Query(loadNixLanguage() as never, source);
    queryCache.set(source, query);
  }
  return query;
}

const COMMENT_QUERY = '(comment) @comment';

interface RawReport {
  rule: ResolvedRule;
  descriptor: ReportDescriptor;
}

interface Dispatch {
  rule: ResolvedRule;
  fn: NodeVisitor;
}

export interface AnalysisResult {
  fileType: FileType;
  findings: Finding[];
}

/**
 * Runs every rule on one file: one query pass per rule that declares a query, then a single TreeCursor walk
 * that dispatches each node to all visitors registered for its type. Node objects are only created for
 * types some rule visits. A rule that throws is reported as `internal/rule-error` and stops running on this
 * file; the other rules are unaffected.
 */
export function analyzeSource(source: SourceFile, rules: readonly ResolvedRule[]): AnalysisResult {
  const tree = source.tree;
  const fileType = detectFileType(source);
  const reports: RawReport[] = [];
  const failed = new Map<ResolvedRule, unknown>();
  const analyses = new Map<string, unknown>();

  const guard = (rule: ResolvedRule, call: () => void): void => {
    if (failed.has(rule)) return;
    try {
      call();
    } catch (error) {
      failed.set(rule, error);
    }
  };

  const enter = new Map<string, Dispatch[]>();
  const exit = new Map<string, Dispatch[]>();
  const matchHandlers: Array<{ rule: ResolvedRule; query: string; fn: (m: QueryMatch) => void }> = [];
  const endHandlers: Array<{ rule: ResolvedRule; fn: () => void }> = [];

  for (const rule of rules) {
    const context = makeContext(source, rule, fileType, analyses, reports);
    let visitors: RuleVisitors | undefined;
    guard(rule, () => {
      visitors = rule.rule.create(context);
    });
    if (!visitors) continue;
    for (const [key, fn] of Object.entries(visitors)) {
      if (typeof fn !== 'function') continue;
      if (key === 'onMatch') {
        if (rule.rule.query) matchHandlers.push({ rule, query: rule.rule.query, fn: fn as (m: QueryMatch) => void });
      } else if (key === 'onEnd') {
        endHandlers.push({ rule, fn: fn as () => void });
      } else if (key.endsWith(':exit')) {
        pushTo(exit, key.slice(0, -5), { rule, fn: fn as NodeVisitor });
      } else {
        pushTo(enter, key, { rule, fn: fn as NodeVisitor });
      }
    }
  }

  const root = tree.rootNode;
  for (const handler of matchHandlers) {
    guard(handler.rule, () => {
      for (const match of compiledQuery(handler.query).matches(root)) {
        if (failed.has(handler.rule)) break;
        handler.fn(match);
      }
    });
  }

  if (enter.size > 0 || exit.size > 0) walk(tree.walk(), enter, exit, guard);

  for (const handler of endHandlers) guard(handler.rule, handler.fn);

  // Comments are only needed for suppression directives; most files have none, so skip the query then.
  const mayHaveDirectives = reports.length > 0 && hasDirectiveText(source.text);
  const comments: TextRange[] = mayHaveDirectives
    ? compiledQuery(COMMENT_QUERY)
        .captures(root)
        .map((c) => ({ start: c.node.startIndex, end: c.node.endIndex }))
    : [];
  const suppressions = readSuppressions(source, comments);

  const findings: Finding[] = [];
  for (const { rule, descriptor } of reports) {
    const finding = toFinding(source, rule.id, rule.severity, descriptor);
    if (!suppressions.isSuppressed(finding.ruleId, finding.line)) findings.push(finding);
  }
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
  findings.sort(compareFindings);
  return { fileType, findings };
}

function hasDirectiveText(text: string): boolean {
  return text.includes('nixforge-disable') || text.includes('deadnix');
}

function pushTo(map: Map<string, Dispatch[]>, key: string, entry: Dispatch): void {
  const list = map.get(key);
  if (list) list.push(entry);
  else map.set(key, [entry]);
}

interface PendingExit {
  depth: number;
  node: SyntaxNode;
  handlers: Dispatch[];
}

/** Iterative pre/post-order walk: no recursion, so nesting depth cannot overflow the stack. */
function walk(
  cursor: ReturnType<SourceFile['tree']['walk']>,
  enter: Map<string, Dispatch[]>,
  exit: Map<string, Dispatch[]>,
  guard: (rule: ResolvedRule, call: () => void) => void,
): void {
  const pending: PendingExit[] = [];
  let depth = 0;
  for (;;) {
    const type = cursor.nodeType;
    const onEnter = enter.get(type);
    const onExit = exit.get(type);
    if (onEnter !== undefined || onExit !== undefined) {
      const node = cursor.currentNode;
      if (onEnter) for (const d of onEnter) guard(d.rule, () => d.fn(node));
      if (onExit) pending.push({ depth, node, handlers: onExit });
    }
    if (cursor.gotoFirstChild()) {
      depth += 1;
      continue;
    }
    for (;;) {
      while (pending.length > 0 && pending[pending.length - 1]!.depth === depth) {
        const done = pending.pop()!;
        for (const d of done.handlers) guard(d.rule, () => d.fn(done.node));
      }
      if (cursor.gotoNextSibling()) break;
      if (!cursor.gotoParent()) return;
      depth -= 1;
    }
  }
}

function makeContext(
  source: SourceFile,
  rule: ResolvedRule,
  fileType: FileType,
  analyses: Map<string, unknown>,
  reports: RawReport[],
): RuleContext {
  return {
    id: rule.id,
    filename: source.path,
    sourceText: source.text,
    source,
    options: rule.options,
    fileType,
    severity: rule.severity,
    getText(nodeOrRange) {
      if ('startIndex' in nodeOrRange) return source.text.slice(nodeOrRange.startIndex, nodeOrRange.endIndex);
      return source.text.slice(nodeOrRange.start, nodeOrRange.end);
    },
    getAnalysis<T>(analysis: Analysis<T>): T {
      if (analyses.has(analysis.name)) return analyses.get(analysis.name) as T;
      const value = analysis.compute(source);
      analyses.set(analysis.name, value);
      return value;
    },
    report(descriptor) {
      if (!descriptor.node && !descriptor.range) {
        throw new Error(`${rule.id}: report() needs a node or a range`);
      }
      reports.push({ rule, descriptor });
    },
  };
}

function toFinding(source: SourceFile, ruleId: string, severity: Finding['severity'], d: ReportDescriptor): Finding {
  const start = d.node ? d.node.startIndex : d.range!.start;
  const end = d.node ? d.node.endIndex : d.range!.end;
  const from = source.positionAt(start);
  const to = source.positionAt(end);
  const finding: Finding = {
    ruleId,
    severity,
    message: d.message,
    line: from.line,
    column: from.column,
    endLine: to.line,
    endColumn: to.column,
  };
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
