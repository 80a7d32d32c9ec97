import { readFile } from 'node:fs/promises';
import { parseNix, type Tree } from '@nixforge/core';

/** A batch for the parse-only baseline: read and parse each file, optionally walking every node. */
export interface ParseBatch {
  paths: string[];
  walk: boolean;
}

/** Visits every node with one cursor, reading its type as the rule engine's dispatch does. */
export function walkAll(tree: Tree): number {
  const cursor = tree.walk();
  let nodes = 0;
  outer: for (;;) {
    if (cursor.nodeType.length > 0) nodes += 1;
    if (cursor.gotoFirstChild()) continue;
    while (!cursor.gotoNextSibling()) {
      if (!cursor.gotoParent()) break outer;
    }
  }
  return nodes;
}

/** piscina entry: returns the number of nodes visited (0 when not walking), so the work cannot be skipped. */
export default async function parseBatch(batch: ParseBatch): Promise<number> {
  let nodes = 0;
  for (const path of batch.paths) {
    const tree = parseNix(await readFile(path, 'utf8'));
    if (batch.walk) nodes += walkAll(tree);
  }
  return nodes;
}
