import type { NixforgeEvent } from './envelope.js';

/**
 * Turns any string into one NATS subject token (also a valid KV key part): letters, digits, `_` and `-` stay,
 * every other UTF-8 byte becomes `=XX`. Reversible, so `home-manager` stays readable and `a.b` cannot split a token.
 */
export function subjectToken(value: string): string {
  if (value === '') return '=';
  let token = '';
  for (const byte of Buffer.from(value, 'utf8')) {
    const isPlain =
      (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5a) || (byte >= 0x61 && byte <= 0x7a) || byte === 0x5f || byte === 0x2d;
    token += isPlain ? String.fromCharCode(byte) : `=${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return token;
}

/** The repository (or topology) an event subject names: everything before its first `/`. */
export function subjectScope(subject: string): string {
  const slash = subject.indexOf('/');
  return slash === -1 ? subject : subject.slice(0, slash);
}

/**
 * The NATS subject an event is published on: its type, then the token of its scope (see SUBJECTS.md). An event from
 * another producer may have no subject (CloudEvents makes it optional): its scope is empty, the token `=`.
 */
export function natsSubjectOf(event: Pick<NixforgeEvent, 'type'> & { subject?: string }): string {
  return `${event.type}.${subjectToken(subjectScope(event.subject ?? ''))}`;
}
