import { dirname } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { applyFixes, SourceFile, symbolsOfType, toFix, type Finding, type ResolvedRule } from '@nixforge/core';
import { builtinPlugins, computeNixDiagnostics } from '@nixforge/plugins';
import { findConfigFile } from '../config/index.js';
import { UsageError, errorMessage } from '../errors.js';
import { fixText } from '../fix/index.js';
import type { CliIO } from '../io.js';
import { analyzeFileTask, installNativeGuard, useNativeStateCell, prepareScan, type PreparedScan } from '../scan/index.js';
import { ruleDocsUrl } from '../reporters/index.js';
import { ProjectStore } from './project-store.js';
import type {
  ActionFactsRequest,
  ActionFactsResult,
  AnalyzeRequest,
  AnalyzeResult,
  DocumentInput,
  FixAllRequest,
  FixAllResult,
  ProjectFindings,
  ProjectOpenRequest,
  ProjectOpenResult,
  ProjectSyncRequest,
  ProjectSyncResult,
  RuleInfo,
  RuleSettings,
  WorkerEnvelope,
  WorkerReply,
  WorkerStartData,
} from './protocol.js';

/**
 * The language server's analysis thread. Configuration and plugins are loaded here, through the same
 * functions `nixforge scan` uses, so a plugin's code never runs on the server's message loop; the main thread
 * may terminate this worker at a safe point (timeout) or replace it (configuration change).
 */

const start = workerData as WorkerStartData;
installNativeGuard();
useNativeStateCell(new Int32Array(start.progress));

const BOM = '\uFEFF';
const BUILTIN_PLUGINS = new Set(builtinPlugins.map((plugin) => plugin.name));

/** Rule sets by configuration file and editor settings; the worker is replaced when configuration changes. */
const prepared = new Map<string, Promise<PreparedScan>>();
const configByDir = new Map<string, string | undefined>();

function ioFor(cwd: string): CliIO {
  return { stdout: process.stderr, stderr: process.stderr, cwd, env: process.env };
}

/** The rule set for a document: nearest configuration (or the configured file), plugins, presets, settings. */
function preparedFor(input: DocumentInput): Promise<PreparedScan> {
  return preparedForDir(dirname(input.path), input.settings);
}

function preparedForDir(dir: string, settings: RuleSettings): Promise<PreparedScan> {
  let configPath = settings.configFile;
  if (configPath === undefined) {
    if (!configByDir.has(dir)) configByDir.set(dir, findConfigFile(dir));
    configPath = configByDir.get(dir);
  }
  // Without a configuration file every directory gets the same rule set: one key, so documents share it
  // with the project (whose facts an analysis can then give directly).
  const key = JSON.stringify([configPath ?? '', settings.plugins ?? [], settings.rules ?? {}]);
  let result = prepared.get(key);
  if (!result) {
    const options = { plugins: settings.plugins ?? [], rules: settings.rules ?? {}, excludes: [], threads: 1 };
    result = prepareScan(configPath !== undefined ? { ...options, configPath } : options, ioFor(dir));
    prepared.set(key, result);
    // A configuration error is answered every time until the configuration changes (and the worker restarts).
  }
  return result;
}

function ruleInfos(rules: readonly ResolvedRule[], findings: readonly Finding[]): Record<string, RuleInfo> {
  const wanted = new Set(findings.map((f) => f.ruleId));
  const infos: Record<string, RuleInfo> = {};
  for (const rule of rules) {
    if (!wanted.has(rule.id)) continue;
    const { description, severity, fixable, docs } = rule.rule.meta;
    const info: RuleInfo = { description, severity };
    if (fixable !== undefined) info.fixable = fixable;
    if (docs !== undefined) info.docs = { ...docs };
    const plugin = rule.id.slice(0, rule.id.indexOf('/'));
    if (docs?.url !== undefined || BUILTIN_PLUGINS.has(plugin)) info.docsUrl = ruleDocsUrl({ id: rule.id, meta: rule.rule.meta });
    infos[rule.id] = info;
  }
  return infos;
}

async function analyze(request: AnalyzeRequest): Promise<AnalyzeResult> {
  let setup: PreparedScan;
  try {
    setup = await preparedFor(request);
  } catch (error) {
    if (error instanceof UsageError) return { fileType: 'unknown', findings: [], configError: error.message, rules: {} };
    throw error;
  }
  const report = await analyzeFileTask(
    { absolutePath: request.path, displayPath: request.displayPath, text: request.text },
    setup.rules,
    start.maxFileSize,
    false,
  );
  const result: AnalyzeResult = { fileType: report.fileType, findings: report.findings, rules: ruleInfos(setup.rules, report.findings) };
  if (report.error) result.error = report.error;
  if (request.project && project) {
    for (const path of await project.discoverIfNew(request.path)) dirty = (await project.collectFromDisk(path)) || dirty;
  }
  if (request.project && project?.has(request.path)) {
    // The document's own rule set is the project's (the usual case): its analysis already collected the facts.
    if (setup === project.prepared) {
      project.editorOwns(request.path);
      dirty = project.setFacts(request.path, report.fileType, report.facts) || dirty;
    } else {
      dirty = (await project.collect(request.path, request.text)) || dirty;
    }
    const checked = checkProject(request.project.check, false);
    if (checked) result.project = checked;
  }
  return result;
}

/** The workspace's project (see ProjectStore); replaced by every `project-open`. */
let project: ProjectStore | undefined;
/** Facts changed since the checks last ran. */
let dirty = false;

function checkProject(check: boolean, force: boolean): ProjectFindings | undefined {
  if (!project || !check || !(dirty || force)) return undefined;
  dirty = false;
  const findings = project.check();
  return { findings, rules: ruleInfos(project.rules, Object.values(findings).flat()) };
}

async function projectOpen(request: ProjectOpenRequest): Promise<ProjectOpenResult> {
  project = undefined;
  dirty = false;
  let setup: PreparedScan;
  try {
    setup = await preparedForDir(request.root, request.settings);
  } catch (error) {
    if (error instanceof UsageError) return { active: false, files: [], configError: error.message };
    throw error;
  }
  const store = new ProjectStore(request.root, setup, start.maxFileSize);
  if (!store.active) return { active: false, files: [] };
  const files = (await store.discover()).added;
  project = store;
  return { active: true, files };
}

async function projectSync(request: ProjectSyncRequest): Promise<ProjectSyncResult> {
  if (!project) return {};
  if (request.rediscover) {
    const given = new Set(request.files.map((file) => file.path));
    const { added, removed } = await project.discover();
    if (removed > 0) dirty = true;
    for (const path of added) {
      if (!given.has(path)) dirty = (await project.collectFromDisk(path)) || dirty;
    }
  }
  for (const file of request.files) {
    let changed: boolean;
    if (file.text !== undefined) changed = await project.collect(file.path, file.text);
    else if (file.closed) changed = await project.collect(file.path, undefined);
    else changed = await project.collectFromDisk(file.path);
    dirty = changed || dirty;
  }
  const checked = checkProject(request.check, request.force === true);
  return checked ? { project: checked } : {};
}

function withoutBom(text: string): string {
  return text.startsWith(BOM) ? text.slice(1) : text;
}

function nixErrorCount(path: string, text: string): number {
  const source = new SourceFile(path, text);
  try {
    return computeNixDiagnostics(source).length;
  } finally {
    source.dispose();
  }
}

/** Offsets covered by multi-line strings and comments, where a new line would change the code. */
function multiLineTokens(source: SourceFile): Array<[number, number]> {
  const kinds = new Set([...symbolsOfType('string_expression'), ...symbolsOfType('indented_string_expression'), ...symbolsOfType('comment')]);
  const tree = source.tree;
  const spans: Array<[number, number]> = [];
  for (let i = 0; i < tree.count; i += 1) {
    if (!kinds.has(tree.kinds[i]!)) continue;
    const from = tree.starts[i]!;
    const to = tree.ends[i]!;
    if (source.text.indexOf('\n', from) < to && source.text.indexOf('\n', from) >= 0) spans.push([from, to]);
  }
  return spans;
}

function actionFacts(request: ActionFactsRequest): ActionFactsResult {
  const text = withoutBom(request.text);
  let before: number | undefined;
  const safe = request.fixes.map((fix) => {
    before ??= nixErrorCount(request.path, text);
    const errorsBefore = before;
    return applyFixes(text, [toFix(fix)], (candidate) => nixErrorCount(request.path, candidate) <= errorsBefore).applied.length === 1;
  });
  let insertable: boolean[] = [];
  if (request.lines.length > 0) {
    const source = new SourceFile(request.path, text, request.path);
    try {
      const spans = multiLineTokens(source);
      insertable = request.lines.map((line) => {
        const offset = source.lineStarts[line - 1];
        if (offset === undefined) return false;
        return !spans.some(([from, to]) => from < offset && offset < to);
      });
    } finally {
      source.dispose();
    }
  }
  return { safe, insertable };
}

async function fixAll(request: FixAllRequest): Promise<FixAllResult> {
  const setup = await preparedFor(request);
  const hasBom = request.text.startsWith(BOM);
  const fixed = fixText(request.path, withoutBom(request.text), setup.rules);
  return { text: (hasBom ? BOM : '') + fixed.text, applied: fixed.applied };
}

async function handle(envelope: WorkerEnvelope): Promise<WorkerReply> {
  const { id, request } = envelope;
  try {
    if (request.kind === 'analyze') return { id, ok: true, result: await analyze(request) };
    if (request.kind === 'action-facts') return { id, ok: true, result: actionFacts(request) };
    if (request.kind === 'project-open') return { id, ok: true, result: await projectOpen(request) };
    if (request.kind === 'project-sync') return { id, ok: true, result: await projectSync(request) };
    return { id, ok: true, result: await fixAll(request) };
  } catch (error) {
    return { id, ok: false, message: errorMessage(error) };
  }
}

parentPort!.on('message', (envelope: WorkerEnvelope) => {
  void handle(envelope).then((reply) => parentPort!.postMessage(reply));
});
parentPort!.postMessage('ready');
