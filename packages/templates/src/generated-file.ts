import { SourceFile, findSyntaxErrors } from '@nixforge/core';

/** One generated file: `path` is relative to the output directory, with `/` separators. */
export interface GeneratedFile {
  path: string;
  content: string;
}

/** A generated file failed to parse: a bug in a template or helper, never the user's input. */
export class GeneratedSyntaxError extends Error {
  constructor(readonly path: string, detail: string) {
    super(`${path}: generated Nix does not parse: ${detail}`);
    this.name = 'GeneratedSyntaxError';
  }
}

/** Parses a generated `.nix` file with our parser; throws when it has a syntax error. Other files pass. */
export function assertParses(file: GeneratedFile): GeneratedFile {
  if (!file.path.endsWith('.nix')) return file;
  const source = new SourceFile(file.path, file.content);
  try {
    const errors = findSyntaxErrors(source);
    if (errors.length > 0) {
      const first = errors[0]!;
      const { row, column } = first.node.startPosition;
      throw new GeneratedSyntaxError(file.path, `${row + 1}:${column + 1}: ${first.message}`);
    }
  } finally {
    source.dispose();
  }
  return file;
}
