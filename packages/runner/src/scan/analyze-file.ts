import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { analyzeSource, SourceFile, type Finding, type ResolvedRule } from '@nixforge/core';
import { hashContent } from '../cache/index.js';
import { fixFile } from '../fix/index.js';
import type { FileFixResult, FileTask, WorkerFileReport } from './task.js';

const SNIFF_BYTES = 8192;

function looksBinary(bytes: Uint8Array): boolean {
  const end = Math.min(bytes.length, SNIFF_BYTES);
  for (let i = 0; i < end; i += 1) if (bytes[i] === 0) return true;
  return false;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
const lossyUtf8 = new TextDecoder('utf-8', { fatal: false });

/**
 * Byte offset of the first invalid UTF-8 sequence, found by decoding growing prefixes (only for bad files).
 * Each probe uses a fresh streaming decoder: a shared one would keep a partial sequence buffered and
 * corrupt the next file this worker decodes.
 */
function firstInvalidByte(bytes: Uint8Array): number {
  let low = 0;
  let high = bytes.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, mid + 1), { stream: true });
      low = mid + 1;
    } catch {
      high = mid;
    }
  }
  // `low` is where the decoder noticed the problem; a sequence left incomplete just before it is where it began.
  for (let k = low - 1; k >= Math.max(0, low - 3); k -= 1) {
    const byte = bytes[k]!;
    if ((byte & 0xc0) === 0x80) continue;
    const length = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return k + length > low ? k : low;
  }
  return low;
}

/** Line and UTF-16 column of a byte offset, as SourceFile counts them (a leading BOM takes no column). */
function positionOfByte(bytes: Uint8Array, offset: number): { line: number; column: number } {
  let prefix = lossyUtf8.decode(bytes.subarray(0, offset));
  if (prefix.startsWith('\uFEFF')) prefix = prefix.slice(1);
  const lastNewline = prefix.lastIndexOf('\n');
  let line = 1;
  for (let i = prefix.indexOf('\n'); i >= 0; i = prefix.indexOf('\n', i + 1)) line += 1;
  return { line, column: prefix.length - lastNewline };
}

/**
 * Reads a file unless it is over `maxFileSize`. Synchronous on purpose: this runs in a worker thread that has
 * nothing else to do meanwhile, and for small files the promise-based API costs several times the read.
 */
function readBounded(path: string, maxFileSize: number): { bytes?: Uint8Array; size: number } {
  const fd = openSync(path, 'r');
  try {
    const info = fstatSync(fd);
    if (!info.isFile()) throw Object.assign(new Error('not a regular file'), { code: 'EISDIR' });
    if (info.size > maxFileSize) return { size: info.size };
    const bytes = Buffer.allocUnsafe(info.size);
    let filled = 0;
    while (filled < bytes.length) {
      const read = readSync(fd, bytes, filled, bytes.length - filled, null);
      if (read === 0) break;
      filled += read;
    }
    return { bytes: filled === bytes.length ? bytes : bytes.subarray(0, filled), size: filled };
  } finally {
    closeSync(fd);
  }
}

function boundedBytes(bytes: Uint8Array, maxFileSize: number): { bytes?: Uint8Array; size: number } {
  return bytes.length > maxFileSize ? { size: bytes.length } : { bytes, size: bytes.length };
}

const UTF8_BOM = [0xef, 0xbb, 0xbf];

function bomOf(bytes: Uint8Array): string {
  return UTF8_BOM.every((byte, i) => bytes[i] === byte) ? '\uFEFF' : '';
}

function errorReport(task: FileTask, code: string, message: string): WorkerFileReport {
  return { path: task.displayPath, fileType: 'unknown', error: { code, message }, findings: [] };
}

/**
 * Reads, checks and analyses one file. Never throws for a bad file: every problem becomes part of its report.
 * The source (and its tree) is disposed before returning, so only findings leave the worker.
 */
export async function analyzeFileTask(
  task: FileTask,
  rules: readonly ResolvedRule[],
  maxFileSize: number,
  withSourceLines: boolean,
): Promise<WorkerFileReport> {
  let text: string;
  let contentHash: string;
  let fix: FileFixResult | undefined;
  const extraFindings: Finding[] = [];
  if (task.text !== undefined) {
    text = task.text;
    contentHash = hashContent(Buffer.from(text, 'utf8'));
  } else {
    let read;
    try {
      read = task.bytes !== undefined ? boundedBytes(task.bytes, maxFileSize) : readBounded(task.absolutePath, maxFileSize);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const reason =
        code === 'ENOENT' ? 'file disappeared before it could be read' : code === 'EISDIR' ? 'not a regular file' : `cannot read file (${code ?? String(error)})`;
      return errorReport(task, 'read-error', reason);
    }
    if (!read.bytes) {
      return errorReport(task, 'too-large', `skipped: ${read.size} bytes is over --max-file-size ${maxFileSize}`);
    }
    const bytes = read.bytes;
    if (looksBinary(bytes)) return errorReport(task, 'binary', 'skipped: binary content (NUL bytes), not Nix source');
    contentHash = hashContent(bytes);
    try {
      text = strictUtf8.decode(bytes);
    } catch {
      text = lossyUtf8.decode(bytes);
      const at = firstInvalidByte(bytes);
      const { line, column } = positionOfByte(bytes, at);
      extraFindings.push({
        ruleId: 'internal/invalid-utf8',
        // Nix strings may hold any bytes (Nix's own tests do): worth knowing, not a likely bug.
        severity: 'info',
        message: `file is not valid UTF-8 (first bad byte at offset ${at}); analysed with replacement characters`,
        line,
        column,
        endLine: line,
        endColumn: column + 1,
      });
    }
    // Fixes apply to files read from disk and decoded exactly (a lossy decoding would be written back lossy).
    if (task.fix && !task.factsOnly && task.bytes === undefined && extraFindings.length === 0) {
      const bom = bomOf(bytes);
      try {
        const fixed = await fixFile({ absolutePath: task.absolutePath, shownPath: task.displayPath, text, hasBom: bom !== '' }, rules, task.fix === 'diff');
        fix = { applied: fixed.applied, diff: fixed.diff };
        if (fixed.text !== text) {
          text = fixed.text;
          contentHash = hashContent(Buffer.from(bom + text, 'utf8'));
        }
      } catch (error) {
        fix = { applied: 0, diff: '', error: error instanceof Error ? error.message : String(error) };
      }
    }
  }

  const source = new SourceFile(task.displayPath, text, task.absolutePath);
  try {
    const result = analyzeSource(source, rules, task.factsOnly ? { factsOnly: true } : {});
    const findings = extraFindings.length > 0 && !task.factsOnly ? [...extraFindings, ...result.findings] : result.findings;
    const report: WorkerFileReport = { path: task.displayPath, fileType: result.fileType, findings, contentHash };
    if (result.facts) report.facts = result.facts;
    if (task.factsOnly) report.factsOnly = true;
    if (fix) report.fix = fix;
    if (withSourceLines && findings.length > 0) {
      const lines: Record<number, string> = {};
      for (const finding of findings) lines[finding.line] ??= source.lineText(finding.line).slice(0, 400);
      report.sourceLines = lines;
    }
    return report;
  } catch (error) {
    return errorReport(task, 'internal-error', `analysis failed: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    source.dispose();
  }
}
