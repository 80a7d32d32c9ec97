import type { HistoryEntry } from './collect.js';
import type { LockedRevision } from './flake-lock.js';
import type { HistoryReport } from './report.js';

const CHANGE_LETTER = { added: 'A', modified: 'M', deleted: 'D', renamed: 'R' } as const;

/** One commit of the readable timeline: date, short oid, author, subject, then its files and input changes. */
export function formatEntry(entry: HistoryEntry): string {
  const { commit } = entry;
  const date = new Date(commit.committer.timestamp * 1000).toISOString().slice(0, 10);
  const subject = commit.message.split('\n', 1)[0] ?? '';
  const lines = [`${date} ${commit.oid.slice(0, 10)} ${commit.author.name} <${commit.author.email}>  ${subject}`];
  for (const file of entry.files) {
    lines.push(`    ${CHANGE_LETTER[file.change]} ${file.oldPath !== undefined ? `${file.oldPath} -> ` : ''}${file.path}`);
  }
  for (const input of entry.flakeLock ?? []) {
    const detail = input.change === 'updated' ? `${pin(input.from)} -> ${pin(input.to)}` : input.change === 'added' ? pin(input.to) : pin(input.from);
    lines.push(`    flake.lock: ${input.name} ${input.change} ${detail}`);
  }
  return `${lines.join('\n')}\n`;
}

function pin(revision: LockedRevision | undefined): string {
  if (revision?.rev !== undefined) return revision.rev.slice(0, 10);
  if (revision?.narHash !== undefined) return revision.narHash.slice(0, 20);
  return '?';
}

/** The report part of `--format text`. */
export function formatReport(report: HistoryReport): string {
  const lines = [
    '',
    `${report.repository} ${report.branch} at ${report.head.slice(0, 10)} (${report.firstParent ? 'first-parent' : 'all parents'})`,
    `commits walked: ${report.commits.walked}, with Nix changes: ${report.commits.nixChanges}, flake.lock updates: ${report.commits.flakeLockUpdates}`,
  ];
  if (report.rewritten) lines.push(`note: ${report.rewritten}`);
  if (report.inputs.length > 0) {
    lines.push('', 'flake inputs:');
    for (const input of report.inputs) {
      const parts = [`${input.updates} update${input.updates === 1 ? '' : 's'}`];
      if (input.meanIntervalDays !== undefined) parts.push(`every ${input.meanIntervalDays} days on average`);
      if (input.lastUpdate !== undefined) parts.push(`last ${input.lastUpdate.slice(0, 10)}`);
      if (input.ageDays !== undefined) parts.push(`pinned ${input.ageDays} days ago`);
      if (input.removed) parts.push('removed');
      lines.push(`  ${input.stale ? '! ' : '  '}${input.name}: ${parts.join(', ')}${input.stale ? ` (stale: older than ${report.staleAfterDays} days)` : ''}`);
    }
  }
  if (report.mostChangedFiles.length > 0) {
    lines.push('', 'most changed files:');
    for (const file of report.mostChangedFiles) lines.push(`  ${String(file.changes).padStart(6)}  ${file.path}`);
    lines.push('', 'most changed directories:');
    for (const directory of report.mostChangedDirectories) lines.push(`  ${String(directory.changes).padStart(6)}  ${directory.path}`);
  }
  return `${lines.join('\n')}\n`;
}
