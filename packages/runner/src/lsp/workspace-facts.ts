import type { Finding } from '@nixforge/core';

/**
 * Where cross-file knowledge enters the language server.
 *
 * Today every document is analysed on its own by the engine, and the `deps` rules read what they need of
 * other files from disk as they run (imports resolved against the file system, `flake.lock` beside
 * `flake.nix`, other files' import lists through their per-thread cache validated by mtime). The editor's
 * unsaved text of *other* files is therefore not seen; saved files are. The server calls `changed` for every
 * file change the client reports and re-lints the open documents it returns.
 *
 * When rules gain a project phase (`collect` facts per file, `check(project)` over all of them), an
 * implementation of this interface keeps the facts of the workspace's files (collected from disk, and from
 * the editor's text for open documents) and answers `projectFindings` for a document from `check(project)`;
 * the server merges those findings with the engine's, and nothing else in the server changes.
 */
export interface WorkspaceFacts {
  /** Files changed on disk (created, changed or deleted); returns the open documents whose findings may change. */
  changed(paths: readonly string[], openDocuments: readonly string[]): string[];
  /** Findings of the project phase for one document (absolute path), after its per-file analysis. */
  projectFindings(path: string): Finding[];
}

/** The current behaviour: per-file `deps` rules that read the disk; any `.nix` or `flake.lock` change may matter. */
export class DiskReadingFacts implements WorkspaceFacts {
  changed(paths: readonly string[], openDocuments: readonly string[]): string[] {
    const relevant = paths.some((path) => path.endsWith('.nix') || path.endsWith('/flake.lock'));
    if (!relevant) return [];
    // An open document's own text comes from the editor, so its change on disk alone means nothing for it,
    // but the other open documents may import it.
    const changed = new Set(paths);
    return openDocuments.filter((path) => !changed.has(path));
  }

  projectFindings(): Finding[] {
    return [];
  }
}
