import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { Type, type SchemaOptions, type Static, type TSchema, type TUnsafe } from '@sinclair/typebox';

/**
 * One problem of a value checked against a schema: where (`nodes[3].name`; empty for the value itself) and what is
 * wrong (`expected a port (an integer from 1 to 65535), got 0`).
 */
export interface SchemaProblem {
  path: string;
  message: string;
}

/** `path: message`, or the message alone for the value itself. */
export function formatProblem(problem: SchemaProblem): string {
  return problem.path ? `${problem.path}: ${problem.message}` : problem.message;
}

/** A value refused by a schema; the message lists every problem as `path: problem`, one per line. */
export class SchemaValidationError extends Error {
  constructor(readonly problems: readonly SchemaProblem[]) {
    super(problems.map(formatProblem).join('\n'));
    this.name = 'SchemaValidationError';
  }
}

/** A compiled schema: the problems of a value, or the value typed as the schema's static type. */
export interface SchemaValidator<T> {
  /** Every problem of `value`; empty when it is valid. */
  problems(value: unknown): SchemaProblem[];
  /** `value` typed, or a `SchemaValidationError` listing its problems. */
  parse(value: unknown): T;
}

/**
 * Schemas may carry `expected`: the words for a valid value (`'a port (an integer from 1 to 65535)'`), used in place
 * of ajv's own message as `expected <words>, got <value>`. On a `propertyNames` schema it names the kind of key
 * (`'alias name'`: `not a valid alias name`). It is an annotation only: it never changes what is valid.
 */
const EXPECTED = 'expected';

/**
 * One of a list of strings, as a JSON Schema `enum` (TypeBox's unions of literals become `anyOf` of `const`s, whose
 * errors name one literal at a time); its static type is the union of the strings.
 */
export function StringEnum<const T extends readonly string[]>(values: T, options: SchemaOptions & { expected?: string } = {}): TUnsafe<T[number]> {
  return Type.Unsafe<T[number]>({ ...options, enum: [...values] });
}

/**
 * An object of any keys that match `key` (checked with `propertyNames`, so a bad key is named: `not a valid <key's
 * expected>`), each holding a `value` (TypeBox's `Record` checks no key pattern and cannot name a bad key).
 */
export function RecordOf<V extends TSchema>(key: TSchema, value: V, options: SchemaOptions & { expected?: string } = {}): TUnsafe<Record<string, Static<V>>> {
  return Type.Unsafe<Record<string, Static<V>>>({ ...options, type: 'object', propertyNames: key, additionalProperties: value });
}

let shared: Ajv | undefined;

function ajv(): Ajv {
  // verbose: errors carry the failing value and the schema around the failing keyword (its `expected` words).
  // strictTuples off: a tuple may have optional trailing items (`[level, options?]`).
  shared ??= new Ajv({ allErrors: true, verbose: true, strict: true, strictTuples: false, allowUnionTypes: true }).addKeyword({ keyword: EXPECTED, schemaType: 'string' });
  return shared;
}

/** A value as a message shows it: JSON, shortened; `missing` for undefined. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'missing';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** `/nodes/3/name` as `nodes[3].name`. */
export function jsonPointerToPath(pointer: string): string {
  return pointer
    .split('/')
    .slice(1)
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((acc, part) => (/^\d+$/.test(part) ? `${acc}[${part}]` : acc ? `${acc}.${part}` : part), '');
}

function child(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

function expectedOf(schema: unknown): string | undefined {
  const words = (schema as Record<string, unknown> | undefined)?.[EXPECTED];
  return typeof words === 'string' ? words : undefined;
}

const TYPE_WORDS: Record<string, string> = {
  object: 'an object',
  array: 'a list',
  string: 'a string',
  integer: 'an integer',
  number: 'a number',
  boolean: 'true or false',
  null: 'null',
};

function typeWords(type: unknown): string {
  const types = Array.isArray(type) ? type : [type];
  return types.map((t) => TYPE_WORDS[String(t)] ?? String(t)).join(' or ');
}

/** The project's message for one ajv error. */
function problemOf(error: ErrorObject): SchemaProblem {
  const path = jsonPointerToPath(error.instancePath);
  const params = error.params as Record<string, unknown>;
  const expected = expectedOf(error.parentSchema);
  if (error.propertyName !== undefined) return { path: child(path, error.propertyName), message: `not a valid ${expected ?? 'name'}` };
  switch (error.keyword) {
    case 'additionalProperties': {
      const known = Object.keys((error.parentSchema as { properties?: object } | undefined)?.properties ?? {});
      return { path: child(path, String(params.additionalProperty)), message: known.length > 0 ? `unknown field (expected ${known.join(', ')})` : 'unknown field' };
    }
    case 'required': {
      const property = String(params.missingProperty);
      const words = expectedOf((error.parentSchema as { properties?: Record<string, unknown> } | undefined)?.properties?.[property]);
      return { path: child(path, property), message: words ? `missing (expected ${words})` : 'missing' };
    }
    case 'enum':
      if (expected) break;
      return { path, message: `must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}` };
    case 'const':
      if (expected) break;
      return { path, message: `must be ${JSON.stringify(params.allowedValue)}, got ${describeValue(error.data)}` };
    case 'type':
      return { path, message: `expected ${expected ?? typeWords(params.type)}, got ${describeValue(error.data)}` };
  }
  return { path, message: expected ? `expected ${expected}, got ${describeValue(error.data)}` : (error.message ?? 'is invalid') };
}

function depth(error: ErrorObject): number {
  return error.instancePath.split('/').length;
}

/** A branch that refused the value's kind (its type, or not one of its values) at the union itself. */
function refusesKind(union: ErrorObject, branchPath: string, errors: readonly ErrorObject[]): boolean {
  return errors.some((e) => e.schemaPath.startsWith(branchPath) && e.instancePath === union.instancePath && KIND_KEYWORDS.has(e.keyword));
}

const KIND_KEYWORDS = new Set(['type', 'enum', 'const']);

/**
 * The error of the branch the value came closest to: the deepest one, and at equal depth one of a branch that took
 * the value's kind (`[level, options, extra]` is an array with one item too many, not "not a level").
 */
function closestBranchError(union: ErrorObject, branches: readonly ErrorObject[]): ErrorObject {
  const branchOf = (e: ErrorObject): string => e.schemaPath.slice(0, e.schemaPath.indexOf('/', union.schemaPath.length + 1) + 1) || e.schemaPath;
  const score = (e: ErrorObject): number => depth(e) * 2 + (refusesKind(union, branchOf(e), branches) ? 0 : 1);
  return branches.reduce((best, e) => (score(e) > score(best) ? e : best));
}

/**
 * Folds each failed `anyOf`/`oneOf` with the errors of its branches into one problem: `expected <words>` when the
 * union says what it expects, else the deepest branch error (the branch the value came closest to). Innermost
 * unions first, so nested unions fold into their parents.
 */
function foldUnions(errors: readonly ErrorObject[]): ErrorObject[] {
  let remaining = [...errors];
  const unions = remaining.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf').sort((a, b) => b.schemaPath.length - a.schemaPath.length);
  for (const union of unions) {
    if (!remaining.includes(union)) continue;
    const prefix = `${union.schemaPath}/`;
    const branches = remaining.filter((e) => e.schemaPath.startsWith(prefix) && e.instancePath.startsWith(union.instancePath));
    const folded = expectedOf(union.parentSchema) || branches.length === 0 ? union : closestBranchError(union, branches);
    remaining = remaining.filter((e) => e !== union && !branches.includes(e));
    remaining.push(folded);
  }
  // A propertyNames failure is reported twice: by the key's own schema and by `propertyNames`; keep the first.
  return remaining.filter((e) => e.keyword !== 'propertyNames' || !remaining.some((o) => o !== e && o.propertyName === (e.params as { propertyName?: string }).propertyName));
}

/** Checks of string values by name, for `format` in schemas (`{ format: 'topology-cidr' }`); names are global. */
export type StringFormats = Readonly<Record<string, (value: string) => boolean>>;

/**
 * Compiles a schema (TypeBox or plain JSON Schema draft-07) on first use; problems come in the schema's order.
 * `formats` registers the string checks the schema names (once per name: prefix names with the package's concern).
 */
export function schemaValidator<S extends TSchema>(schema: S, formats: StringFormats = {}): SchemaValidator<Static<S>> {
  let compiled: ValidateFunction | undefined;
  const problems = (value: unknown): SchemaProblem[] => {
    if (!compiled) {
      const instance = ajv();
      for (const [name, validate] of Object.entries(formats)) if (!instance.formats[name]) instance.addFormat(name, { type: 'string', validate });
      compiled = instance.compile(schema);
    }
    if (compiled(value)) return [];
    const seen = new Set<string>();
    return foldUnions(compiled.errors ?? [])
      .map(problemOf)
      .filter((problem) => {
        const key = formatProblem(problem);
        return seen.has(key) ? false : (seen.add(key), true);
      });
  };
  return {
    problems,
    parse(value) {
      const found = problems(value);
      if (found.length > 0) throw new SchemaValidationError(found);
      return value as Static<S>;
    },
  };
}
