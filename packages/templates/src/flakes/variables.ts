import type { FlakeTemplate, TemplateVariable } from './manifest.js';

/** A value after conversion from `--set` text or a manifest default. */
export type VariableValue = string | number | boolean | string[];

/** `--set` input that does not fit the template; lists every problem, one per line, each naming the variable. */
export class TemplateVariableError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
    this.name = 'TemplateVariableError';
  }
}

/** Splits `key=value` assignments; the value may contain `=`. */
export function parseAssignments(assignments: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  const problems: string[] = [];
  for (const assignment of assignments) {
    const index = assignment.indexOf('=');
    if (index <= 0) problems.push(`--set ${assignment}: expected key=value`);
    else out.set(assignment.slice(0, index), assignment.slice(index + 1));
  }
  if (problems.length > 0) throw new TemplateVariableError(problems);
  return out;
}

function fullMatch(pattern: string | undefined, value: string): boolean {
  return pattern === undefined || new RegExp(`^(?:${pattern})$`, 'u').test(value);
}

function convert(variable: TemplateVariable, raw: VariableValue, problems: string[]): VariableValue | undefined {
  const at = `${variable.name}`;
  const text = Array.isArray(raw) ? raw.join(',') : String(raw);
  if (text.includes('\0')) {
    problems.push(`${at}: NUL characters are not allowed`);
    return undefined;
  }
  switch (variable.type) {
    case 'boolean':
      if (raw === true || text === 'true') return true;
      if (raw === false || text === 'false') return false;
      problems.push(`${at}: expected true or false, got "${text}"`);
      return undefined;
    case 'integer':
      if (/^-?\d{1,15}$/.test(text)) return Number(text);
      problems.push(`${at}: expected an integer, got "${text}"`);
      return undefined;
    case 'enum':
      if (variable.values!.includes(text)) return text;
      problems.push(`${at}: expected one of ${variable.values!.join(', ')}, got "${text}"`);
      return undefined;
    case 'list': {
      const items = Array.isArray(raw) ? raw.map(String) : text.split(',').map((item) => item.trim()).filter((item) => item.length > 0);
      const bad = items.filter((item) => !fullMatch(variable.pattern, item));
      if (bad.length === 0) return items;
      problems.push(`${at}: ${bad.map((item) => `"${item}"`).join(', ')} do${bad.length === 1 ? 'es' : ''} not match ${variable.pattern}`);
      return undefined;
    }
    case 'string':
      if (fullMatch(variable.pattern, text)) return text;
      problems.push(`${at}: "${text}" does not match ${variable.pattern}`);
      return undefined;
  }
}

/**
 * Resolves a template's variables from `--set` values and defaults, converting and checking each one.
 * Unknown names, missing required variables and bad values are all reported together.
 */
export function resolveVariables(template: FlakeTemplate, assignments: ReadonlyMap<string, string>): Record<string, VariableValue> {
  const problems: string[] = [];
  const known = new Set(template.variables.map((v) => v.name));
  for (const key of assignments.keys()) {
    if (!known.has(key)) problems.push(`${key}: template ${template.name} has no such variable (it has ${[...known].join(', ') || 'none'})`);
  }
  const values: Record<string, VariableValue> = {};
  for (const variable of template.variables) {
    const raw = assignments.get(variable.name) ?? variable.default;
    if (raw === undefined) {
      problems.push(`${variable.name}: required (${variable.description}); pass --set ${variable.name}=...`);
      continue;
    }
    const value = convert(variable, raw, problems);
    if (value !== undefined) values[variable.name] = value;
  }
  if (problems.length > 0) throw new TemplateVariableError(problems);
  return values;
}
