import { Type } from '@sinclair/typebox';
import { describe, expect, it } from 'vitest';
import { RecordOf, SchemaValidationError, StringEnum, schemaValidator } from '../src/index.js';

const Port = Type.Integer({ minimum: 1, maximum: 65535, expected: 'a port (an integer from 1 to 65535)' });
const Host = Type.Object(
  {
    name: Type.String({ pattern: '^[a-z]+$', expected: 'a host name' }),
    role: StringEnum(['server', 'router']),
    ports: Type.Optional(Type.Array(Port)),
    aliases: Type.Optional(RecordOf(Type.String({ pattern: '^\\S+$', expected: 'alias name' }), Type.String())),
    extends: Type.Optional(Type.Union([StringEnum(['a', 'b']), Type.Array(StringEnum(['a', 'b']), { minItems: 1 })])),
    level: Type.Optional(Type.Union([Type.Literal('on'), Type.Integer()], { expected: '"on" or a level number' })),
  },
  { additionalProperties: false },
);
const hosts = schemaValidator(Type.Object({ nodes: Type.Array(Host) }, { additionalProperties: false }));

describe('schemaValidator', () => {
  it('accepts a valid value and types it', () => {
    const value = hosts.parse({ nodes: [{ name: 'gw', role: 'router', ports: [22], aliases: { g: 'gw' }, extends: ['a'], level: 'on' }] });
    expect(value.nodes[0]!.role).toBe('router');
  });

  it('names every problem by its path, in the words of the schema', () => {
    const problems = hosts.problems({ nodes: [{ name: 'GW', role: 'toaster', ports: [22, 0], aliases: { 'a b': 'x' }, colour: 1 }, { role: 'server' }, 'x'] });
    expect(problems.map((p) => `${p.path}: ${p.message}`)).toEqual(
      expect.arrayContaining([
        'nodes[0].name: expected a host name, got "GW"',
        'nodes[0].role: must be one of "server", "router"',
        'nodes[0].ports[1]: expected a port (an integer from 1 to 65535), got 0',
        'nodes[0].aliases.a b: not a valid alias name',
        'nodes[0].colour: unknown field (expected name, role, ports, aliases, extends, level)',
        'nodes[1].name: missing (expected a host name)',
        'nodes[2]: expected an object, got "x"',
      ]),
    );
    expect(problems).toHaveLength(7);
  });

  it('reports a failed union once: its own words, or the branch the value came closest to', () => {
    expect(hosts.problems({ nodes: [{ name: 'a', role: 'server', level: 'off' }] })).toEqual([{ path: 'nodes[0].level', message: 'expected "on" or a level number, got "off"' }]);
    expect(hosts.problems({ nodes: [{ name: 'a', role: 'server', extends: 'c' }] })).toEqual([{ path: 'nodes[0].extends', message: 'must be one of "a", "b"' }]);
    expect(hosts.problems({ nodes: [{ name: 'a', role: 'server', extends: ['a', 'c'] }] })).toEqual([{ path: 'nodes[0].extends[1]', message: 'must be one of "a", "b"' }]);
  });

  it('throws a SchemaValidationError listing the problems one per line', () => {
    expect(() => hosts.parse({ nodes: [{ name: 1, role: 'server' }], extra: true })).toThrow(SchemaValidationError);
    expect(() => hosts.parse({ nodes: [{ name: 1, role: 'server' }] })).toThrow('nodes[0].name: expected a host name, got 1');
  });
});
