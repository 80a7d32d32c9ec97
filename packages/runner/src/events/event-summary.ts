import { TOPOLOGY_EVENT_FAMILY, eventTypeInfo, type EventPayloads, type EventType } from './catalog.js';

/** What `events tail --format text` prints after `time type subject id`: the gist of one event type's data. */
const SUMMARIES: { readonly [T in EventType]: (data: Partial<EventPayloads[T]>) => string } = {
  'nixforge.scan.started': (data) => `${data.repository ?? '?'}: ${data.targets?.join(' ') ?? '?'} with ${data.rules?.length ?? '?'} rules`,
  'nixforge.scan.finding': (data) => `${data.path ?? '?'}:${data.line ?? '?'}:${data.column ?? '?'} ${data.severity ?? '?'} ${data.ruleId ?? '?'} ${data.message ?? ''}`,
  'nixforge.scan.file': (data) => `${data.path ?? '?'}: ${data.findings ?? '?'} finding(s)${data.error ? `, error ${data.error.code}` : ''}`,
  'nixforge.scan.completed': (data) => `${data.files ?? '?'} files, ${data.findings ?? '?'} findings, exit ${data.exitCode ?? '?'}`,
  'nixforge.scan.aborted': (data) => `${data.files ?? '?'} files so far: ${data.reason ?? 'aborted'}`,
  'nixforge.generate.config': (data) => `${data.path ?? '?'}${data.host ? ` (host ${data.host})` : ''}, ${data.bytes ?? '?'} bytes`,
  'nixforge.generate.pending': (data) => `host ${data.host ?? '?'} pending: ${data.problems?.join('; ') ?? '?'}`,
  'nixforge.git.nixfiles.changed': (data) => `${data.commit?.slice(0, 12) ?? '?'}: ${data.files?.length ?? '?'} .nix file(s)`,
  'nixforge.git.flakelock.updated': (data) => `${data.commit?.slice(0, 12) ?? '?'}: ${data.inputs?.map((input) => `${input.name} ${input.change}`).join(', ') ?? '?'}`,
};

const TOPOLOGY_PREFIX = TOPOLOGY_EVENT_FAMILY.type.replace('<Type>', '');

/**
 * The gist of an event for people, read off the event catalog: a finding's place, rule and message, a file's
 * count, a commit's files. Empty for types outside the catalog; data from other producers may lack fields or be
 * malformed, which gives `?` in its place, never an error.
 */
export function summarizeEvent(type: string, data: unknown): string {
  if (eventTypeInfo(type) === undefined) return type.startsWith(TOPOLOGY_PREFIX) ? 'topology change' : '';
  if (typeof data !== 'object' || data === null) return '';
  try {
    return (SUMMARIES[type as EventType] as (data: object) => string)(data).trim();
  } catch {
    return '';
  }
}

/**
 * Why an event of this type does not belong in nixforge's streams, or undefined when it does: a type of the
 * catalog, or a `nixforge.topology.<Type>` event (`serve`'s input; any `<Type>`, as `serve` decides what it reads).
 */
export function uncatalogedTypeProblem(type: string): string | undefined {
  if (eventTypeInfo(type) !== undefined || type.startsWith(TOPOLOGY_PREFIX)) return undefined;
  if (!type.startsWith('nixforge.')) return `type '${type}' is not a nixforge.* type, so no nixforge stream would store it`;
  return `type '${type}' is not in nixforge's event catalog (see 'Subjects' in the README)`;
}
