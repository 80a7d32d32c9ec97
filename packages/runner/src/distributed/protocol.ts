import { createHash } from 'node:crypto';
import type { RuleSetting } from '@nixforge/core';
import { stableStringify } from '../cache/index.js';
import type { WorkerFileReport } from '../scan/index.js';

/**
 * The wire format of a distributed scan. A work item is one message on `nixforge.work.<run>`: a 4-byte big-endian
 * length, the JSON header (WorkItemHeader), then the inline files' bytes back to back. Results are JSON messages
 * on `nixforge.workresult.<run>`. Everything a worker returns per file (WorkerFileReport, whatever it grows to)
 * travels as plain JSON, so the coordinator emits exactly what a local worker thread would have returned.
 */
export const PROTOCOL_VERSION = 1;

/** Where a worker finds one file's bytes. */
export type FileSource =
  /** In this message, at [offset, offset + length) of the payload after the header. */
  | { inline: [number, number] }
  /** In the Object Store bucket (files over the inline limit). */
  | { object: string }
  /** On the worker's own checkout: this path relative to its `--shared-root`. */
  | { shared: string };

export interface WorkFile {
  displayPath: string;
  absolutePath: string;
  /** hashContent of the bytes (sha256, base64url): checked by workers that read the file themselves. */
  hash: string;
  size: number;
  source: FileSource;
}

/** A configured plugin as the coordinator loaded it: how it was named and a hash of its module file. */
export interface PluginIdentity {
  specifier: string;
  fingerprint: string;
}

export interface WorkItemHeader {
  protocol: number;
  run: string;
  /** Index of the item within its run (unique; split items get new ones). */
  item: number;
  /** nixforge version of the coordinator; workers of another version refuse the item. */
  version: string;
  /** configurationHash(version, rules, plugins): a worker that computes another one refuses the item. */
  configHash: string;
  rules: Record<string, RuleSetting>;
  plugins: PluginIdentity[];
  maxFileSize: number;
  fileTimeoutMs: number;
  withSourceLines: boolean;
  /** Epoch ms after which the run is abandoned: workers drop the item unanalysed. */
  expiresAt: number;
  /** The coordinator's shared root (absolute); a worker without `--shared-root` reads the same path. */
  sharedRoot?: string;
  /** Workers look reports up in, and add them to, the shared KV result cache. */
  sharedCache?: boolean;
  files: WorkFile[];
}

export type WorkerMessage =
  /** A worker took the item (progress: in flight, workers seen). */
  | { type: 'started'; run: string; item: number; worker: string }
  /** Periodic while a worker holds items of this run. */
  | { type: 'heartbeat'; run: string; worker: string; items: number }
  | { type: 'result'; run: string; item: number; worker: string; reports: WorkerFileReport[]; cacheHits?: number }
  /** The reports were too large for one message: they are in the Object Store under `object`. */
  | { type: 'result-object'; run: string; item: number; worker: string; object: string; cacheHits?: number }
  /** The worker cannot reproduce the item's configuration; it gave the item back. */
  | { type: 'refused'; run: string; item: number; worker: string; reason: string };

export const WORK_SUBJECT_PREFIX = 'nixforge.work';
export const RESULT_SUBJECT_PREFIX = 'nixforge.workresult';

export function workSubject(run: string): string {
  return `${WORK_SUBJECT_PREFIX}.${run}`;
}

export function resultSubject(run: string): string {
  return `${RESULT_SUBJECT_PREFIX}.${run}`;
}

/** The hash every item carries and every worker recomputes from its own version and plugins. */
export function configurationHash(version: string, rules: Record<string, RuleSetting>, pluginFingerprints: readonly string[]): string {
  const text = stableStringify({ version, rules, plugins: [...pluginFingerprints].sort() });
  return createHash('sha256').update(text).digest('base64url');
}

export function encodeWorkItem(header: WorkItemHeader, blobs: readonly Uint8Array[]): Uint8Array {
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const total = 4 + json.length + blobs.reduce((sum, blob) => sum + blob.length, 0);
  const out = Buffer.allocUnsafe(total);
  out.writeUInt32BE(json.length, 0);
  json.copy(out, 4);
  let offset = 4 + json.length;
  for (const blob of blobs) {
    out.set(blob, offset);
    offset += blob.length;
  }
  return out;
}

export class ProtocolError extends Error {}

export function decodeWorkItem(payload: Uint8Array): { header: WorkItemHeader; body: Uint8Array } {
  if (payload.length < 4) throw new ProtocolError('work item shorter than its length prefix');
  const view = Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength);
  const length = view.readUInt32BE(0);
  if (4 + length > payload.length) throw new ProtocolError('work item header runs past the message');
  let header: WorkItemHeader;
  try {
    header = JSON.parse(view.subarray(4, 4 + length).toString('utf8')) as WorkItemHeader;
  } catch (error) {
    throw new ProtocolError(`work item header is not JSON: ${(error as Error).message}`);
  }
  if (header.protocol !== PROTOCOL_VERSION) throw new ProtocolError(`work item protocol ${String(header.protocol)}, this worker speaks ${PROTOCOL_VERSION}`);
  return { header, body: payload.subarray(4 + length) };
}
