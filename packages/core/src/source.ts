import { resolve } from 'node:path';
import type { Tree } from './tree-sitter.js';
import { parseNix } from './parser.js';
import { computeLineStarts, offsetAt, positionAt, type Position } from './positions.js';

const BOM = '\uFEFF';

/**
 * A Nix file being analysed: its text (without a UTF-8 BOM), positions, and its syntax tree.
 * The tree is parsed on first use; call `dispose()` when done so the tree can be freed.
 */
export class SourceFile {
  /** Path as reported to users (relative to the working directory of the run when possible). */
  readonly path: string;
  /** Absolute path of the file, for rules that read files next to it (flake.lock, imports). */
  readonly absolutePath: string;
  /** File text with a leading BOM removed; positions are counted in this text, so a BOM shifts nothing. */
  readonly text: string;
  /** True when the file started with a UTF-8 BOM (kept when fixes are written back). */
  readonly hasBom: boolean;
  private lineStartsCache: Uint32Array | undefined;
  private treeCache: Tree | undefined;
  private disposed = false;

  constructor(path: string, text: string, absolutePath?: string) {
    this.path = path;
    this.absolutePath = absolutePath ?? resolve(path);
    this.hasBom = text.startsWith(BOM);
    this.text = this.hasBom ? text.slice(1) : text;
  }

  get lineStarts(): Uint32Array {
    this.lineStartsCache ??= computeLineStarts(this.text);
    return this.lineStartsCache;
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }

  get tree(): Tree {
    if (this.disposed) throw new Error(`nixforge: source ${this.path} was used after dispose()`);
    this.treeCache ??= parseNix(this.text);
    return this.treeCache;
  }

  /** 1-based line and UTF-16 column of an offset. */
  positionAt(offset: number): Position {
    return positionAt(this.lineStarts, this.text, offset);
  }

  offsetAt(position: Position): number {
    return offsetAt(this.lineStarts, this.text, position);
  }

  /** The text of line `line` (1-based) without its line break. */
  lineText(line: number): string {
    const starts = this.lineStarts;
    const start = starts[line - 1];
    if (start === undefined) return '';
    const next = starts[line];
    let end = next === undefined ? this.text.length : next - 1;
    if (end > start && this.text.charCodeAt(end - 1) === 0x0d) end -= 1;
    return this.text.slice(start, end);
  }

  /** Drops the tree; the source can no longer be parsed. */
  dispose(): void {
    this.treeCache = undefined;
    this.disposed = true;
  }
}
