import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import type { Rule } from './plugin-api.js';

let ajv: Ajv | undefined;
const validators = new WeakMap<object, ValidateFunction>();

function validatorOf(schema: Record<string, unknown>): ValidateFunction {
  let validate = validators.get(schema);
  if (validate === undefined) {
    ajv ??= new Ajv({ allErrors: false, strict: false });
    validate = ajv.compile(schema);
    validators.set(schema, validate);
  }
  return validate;
}

function describeError(error: ErrorObject): string {
  if (error.keyword === 'additionalProperties') {
    const key = (error.params as { additionalProperty: string }).additionalProperty;
    return `${error.instancePath.replace(/^\//, '').replace(/\//g, '.')}${error.instancePath ? '.' : ''}${key}: unknown option`;
  }
  const key = error.instancePath.replace(/^\//, '').replace(/\//g, '.');
  return `${key || '(options)'}: ${error.message ?? 'invalid value'}`;
}

/**
 * Checks the options a configuration gives a rule, before any file is read. With `meta.schema` (a JSON Schema of
 * the options object) the options must satisfy it; without one, every key must be a key of `meta.defaultOptions`.
 * Returns the problem as `<key>: <what is wrong>`, or undefined when the options are fine.
 */
export function ruleOptionsProblem(rule: Rule<any>, options: Record<string, unknown>): string | undefined {
  const schema = rule.meta.schema;
  if (schema !== undefined) {
    const validate = validatorOf(schema);
    if (validate(options)) return undefined;
    const errors = validate.errors ?? [];
    const best = [...errors].sort((a, b) => b.instancePath.length - a.instancePath.length)[0];
    return best ? describeError(best) : 'invalid options';
  }
  const known = rule.meta.defaultOptions ?? {};
  for (const key of Object.keys(options)) {
    if (!Object.hasOwn(known, key)) {
      const names = Object.keys(known);
      return `${key}: unknown option (${names.length > 0 ? `options: ${names.join(', ')}` : 'the rule takes none'})`;
    }
  }
  return undefined;
}
