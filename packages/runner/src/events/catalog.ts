import type { Finding, Severity } from '@nixforge/core';
import type { ScanSummary } from '../scan-observer.js';
import type { STREAM_AREAS } from './streams.js';

/*
 * The event catalog: every event type nixforge emits, its payload type, its NATS subject and its stream. The sinks,
 * the README's table and the tests read it; adding an event type is an entry here (EVENT_TYPES name, payload interface,
 * EventPayloads line, EVENT_CATALOG row) plus its emitter and test.
 */

/**
 * Event types nixforge emits, by the name code uses for them (re-exported by envelope.ts). Types of the topology
 * service's input live under `nixforge.topology.`.
 */
export const EVENT_TYPES = {
  scanStarted: 'nixforge.scan.started',
  scanFinding: 'nixforge.scan.finding',
  scanFile: 'nixforge.scan.file',
  scanCompleted: 'nixforge.scan.completed',
  scanAborted: 'nixforge.scan.aborted',
  generateConfig: 'nixforge.generate.config',
  /** serve: a host left inconsistent by a topology event; its files stay as they were until it is complete. */
  generatePending: 'nixforge.generate.pending',
  gitNixFilesChanged: 'nixforge.git.nixfiles.changed',
  gitFlakeLockUpdated: 'nixforge.git.flakelock.updated',
} as const;

// ---- Payloads (`data`) ----

/** `data` of `nixforge.scan.started`. */
export interface ScanStartedData {
  repository: string;
  root: string;
  targets: string[];
  rules: string[];
  threads: number;
  startedAt: string;
}

/** `data` of `nixforge.scan.finding`: the finding (as in the JSON report, without the fix itself) plus where it is. */
export type ScanFindingData = { repository: string; path: string; fileType: string } & Omit<Finding, 'fix'> & { hasFix: boolean };

/** `data` of `nixforge.scan.file`: one file's totals. */
export interface ScanFileData {
  repository: string;
  path: string;
  fileType: string;
  findings: number;
  bySeverity: Record<Severity, number>;
  error?: { code: string; message: string };
}

/** `data` of `nixforge.scan.completed` and `nixforge.scan.aborted` (the latter adds `reason`). */
export type ScanCompletedData = ScanSummary & { repository: string; reason?: string };

/** `data` of `nixforge.generate.config`. */
export interface GenerateConfigData {
  project: string;
  path: string;
  outDir: string;
  host?: string;
  bytes: number;
  sha256: string;
}

/** `data` of `nixforge.generate.pending`. */
export interface GeneratePendingData {
  project: string;
  host: string;
  /** The host's module, left as it was (absent from the output when the host was never complete). */
  path: string;
  outDir: string;
  /** What keeps the host from being rendered, `path: message` each. */
  problems: string[];
}

/** `data` of `nixforge.git.nixfiles.changed`. */
export interface NixFilesChangedData {
  commit: string;
  parents: string[];
  author: { name: string; email: string };
  /** Commit time (committer date), RFC 3339. */
  time: string;
  message: string;
  files: FileChange[];
}

/** `data` of `nixforge.git.flakelock.updated`. */
export interface FlakeLockUpdatedData {
  commit: string;
  time: string;
  inputs: FlakeInputChange[];
}

/** How a Nix file changed in one commit. */
export interface FileChange {
  path: string;
  change: 'added' | 'modified' | 'deleted' | 'renamed';
  /** For `renamed`: where the file was before. */
  oldPath?: string;
}

/** What pins one flake input: the `locked` fields nixforge reports. Absent fields are left out. */
export interface LockedRevision {
  rev?: string;
  narHash?: string;
  lastModified?: number;
}

/** One input's change between two versions of flake.lock. */
export interface FlakeInputChange {
  /** The input path from the root flake: `nixpkgs`, or `home-manager/nixpkgs` for an input of an input. */
  name: string;
  change: 'added' | 'removed' | 'updated';
  from?: LockedRevision;
  to?: LockedRevision;
}

/** The payload type of each event type. */
export interface EventPayloads {
  'nixforge.scan.started': ScanStartedData;
  'nixforge.scan.finding': ScanFindingData;
  'nixforge.scan.file': ScanFileData;
  'nixforge.scan.completed': ScanCompletedData;
  'nixforge.scan.aborted': ScanCompletedData;
  'nixforge.generate.config': GenerateConfigData;
  'nixforge.generate.pending': GeneratePendingData;
  'nixforge.git.nixfiles.changed': NixFilesChangedData;
  'nixforge.git.flakelock.updated': FlakeLockUpdatedData;
}

export type EventType = keyof EventPayloads;

/** What the catalog says about one event type (the README's Subjects table is this, row by row). */
export interface EventTypeInfo {
  /** The JetStream stream area (`NIXFORGE_<AREA>`) that stores it. */
  stream: keyof typeof STREAM_AREAS;
  /** The `<scope>` placeholder of its NATS subject `<type>.<scope>`: what the subject's first segment names. */
  scope: 'repo' | 'project' | 'topology';
  /** What one event stands for. */
  onePer: string;
  /** Which event causes it. */
  causedBy: string;
  /** Its `data`, in words. */
  data: string;
}

export const EVENT_CATALOG: { readonly [T in EventType]: EventTypeInfo } = {
  'nixforge.scan.started': {
    stream: 'SCAN',
    scope: 'repo',
    onePer: 'scan run',
    causedBy: 'itself (starts the run)',
    data: '`repository, root, targets, rules, threads, startedAt`',
  },
  'nixforge.scan.finding': {
    stream: 'SCAN',
    scope: 'repo',
    onePer: 'finding',
    causedBy: "the run's `started`",
    data: '`repository, path, fileType, ruleId, severity, message, line, column, endLine, endColumn, symbol?, hasFix`',
  },
  'nixforge.scan.file': {
    stream: 'SCAN',
    scope: 'repo',
    onePer: 'analysed file',
    causedBy: "the run's `started`",
    data: '`repository, path, fileType, findings, bySeverity, error?`',
  },
  'nixforge.scan.completed': {
    stream: 'SCAN',
    scope: 'repo',
    onePer: 'finished run',
    causedBy: "the run's `started`",
    data: 'the run summary: `repository, files, filesWithFindings, filesWithErrors, findings, bySeverity, byRule, durationMs, exitCode, aborted`',
  },
  'nixforge.scan.aborted': {
    stream: 'SCAN',
    scope: 'repo',
    onePer: 'interrupted run',
    causedBy: "the run's `started`",
    data: 'the summary so far plus `reason`',
  },
  'nixforge.generate.config': {
    stream: 'GENERATE',
    scope: 'project',
    onePer: 'written file',
    causedBy: 'the first config event of the run, or (serve) the consumed topology event',
    data: '`project, path, outDir, host?, bytes, sha256`',
  },
  'nixforge.generate.pending': {
    stream: 'GENERATE',
    scope: 'project',
    onePer: 'host `serve` holds back (each time its problems change)',
    causedBy: 'the consumed topology event',
    data: "`project, host, path, outDir, problems` (`path: message` each; the host's files stay as they were)",
  },
  'nixforge.git.nixfiles.changed': {
    stream: 'GIT',
    scope: 'repo',
    onePer: 'commit changing `.nix` files',
    causedBy: 'see `nixforge history`',
    data: 'see `nixforge history`',
  },
  'nixforge.git.flakelock.updated': {
    stream: 'GIT',
    scope: 'repo',
    onePer: 'commit changing `flake.lock`',
    causedBy: 'see `nixforge history`',
    data: 'see `nixforge history`',
  },
};

/**
 * The events nixforge reads rather than emits: `nixforge.topology.<Type>`, the input of `nixforge serve`, with the
 * generator's event data (`<Type>` is one of @nixforge/templates' TOPOLOGY_EVENT_TYPES).
 */
export const TOPOLOGY_EVENT_FAMILY = {
  type: 'nixforge.topology.<Type>',
  stream: 'TOPOLOGY',
  scope: 'topology',
  onePer: 'topology change (input of `nixforge serve`)',
  causedBy: "the producer's choice",
} as const satisfies Omit<EventTypeInfo, 'data'> & { type: string };

export const EVENT_TYPE_NAMES: readonly EventType[] = Object.keys(EVENT_CATALOG) as EventType[];

/** The catalog entry of a type nixforge emits, or undefined for any other type. */
export function eventTypeInfo(type: string): EventTypeInfo | undefined {
  return Object.hasOwn(EVENT_CATALOG, type) ? EVENT_CATALOG[type as EventType] : undefined;
}

/** The NATS subject pattern of an event type, as the README writes it: `<type>.<scope>`. */
export function subjectPattern(type: string, scope: EventTypeInfo['scope']): string {
  return `${type}.<${scope}>`;
}

// Every type in EVENT_TYPES has a catalog entry, and every catalog entry is one of EVENT_TYPES.
type EmittedType = (typeof EVENT_TYPES)[keyof typeof EVENT_TYPES];
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const _catalogCoversEventTypes: Same<EmittedType, EventType> = true;
void _catalogCoversEventTypes;
