import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TOPOLOGY_EVENT_TYPES } from '@nixforge/templates';
import { EVENT_CATALOG, EVENT_TYPE_NAMES, TOPOLOGY_EVENT_FAMILY, eventTypeInfo, subjectPattern, type EventTypeInfo } from '../src/events/catalog.js';
import { EVENT_TYPES } from '../src/events/envelope.js';
import { STREAM_AREAS } from '../src/events/streams.js';
import { makeTree, runCli } from './helpers/cli.js';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const README = readFileSync(join(HERE, '..', '..', '..', 'README.md'), 'utf8');
const SUBJECTS_MD = readFileSync(join(HERE, '..', 'src', 'events', 'SUBJECTS.md'), 'utf8');

function row(type: string, info: Omit<EventTypeInfo, 'data'>, data: string): string {
  return `| \`${type}\` | \`${subjectPattern(type, info.scope)}\` | ${info.onePer} | ${info.causedBy} | ${data} |`;
}

/** The `| \`nixforge.…` rows of the table under `### Subjects`. */
function subjectRows(markdown: string): string[] {
  const start = markdown.indexOf('### Subjects');
  const end = markdown.indexOf('\n### ', start + 1);
  return markdown.slice(start, end).split('\n').filter((line) => line.startsWith('| `nixforge.'));
}

const topologyRow = row(
  TOPOLOGY_EVENT_FAMILY.type,
  TOPOLOGY_EVENT_FAMILY,
  `the generator's event data; \`<Type>\` is ${TOPOLOGY_EVENT_TYPES.map((type) => `\`${type}\``).join(', ')}`,
);

describe('the event catalog', () => {
  it('has an entry for every type in EVENT_TYPES and no other', () => {
    expect([...EVENT_TYPE_NAMES].sort()).toEqual(Object.values(EVENT_TYPES).sort());
    expect(eventTypeInfo('nixforge.scan.finding')?.stream).toBe('SCAN');
    expect(eventTypeInfo('nixforge.unknown')).toBeUndefined();
    expect(eventTypeInfo('toString')).toBeUndefined();
  });

  it("puts every type in a stream whose subjects match the type's subjects", () => {
    for (const [type, info] of [...Object.entries(EVENT_CATALOG), [TOPOLOGY_EVENT_FAMILY.type, TOPOLOGY_EVENT_FAMILY] as const]) {
      const filter = STREAM_AREAS[info.stream];
      expect(filter.endsWith('.>'), filter).toBe(true);
      expect(`${type}.x`.startsWith(filter.slice(0, -1)), `${type} in ${filter}`).toBe(true);
    }
  });

  it('is the Subjects table of the README and of SUBJECTS.md, row by row', () => {
    const expected = [...Object.entries(EVENT_CATALOG).map(([type, info]) => row(type, info, info.data)), topologyRow];
    expect(subjectRows(README)).toEqual(expected);
    expect(subjectRows(SUBJECTS_MD)).toEqual(expected);
  });

  it('covers every event a scan writes', async () => {
    const dir = makeTree({ 'default.nix': 'let unused = 1; in { a = 1; }\n' });
    const run = await runCli(['scan', '--events', 'events.ndjson', '--no-progress', '.'], dir);
    expect(run.code).toBe(0);
    const types = new Set(readFileSync(join(dir, 'events.ndjson'), 'utf8').trim().split('\n').map((line) => (JSON.parse(line) as { type: string }).type));
    expect(types.size).toBeGreaterThanOrEqual(3);
    for (const type of types) expect(eventTypeInfo(type), type).toBeDefined();
  });
});
