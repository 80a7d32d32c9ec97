import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { formatProblem, schemaValidator } from '@nixforge/core';
import { BUILTIN_TEMPLATES_DIR } from '../handlebars-env.js';
import { MANIFEST_SCHEMA, type TemplateManifest, type VariableType } from './manifest-schema.js';

export type { VariableType } from './manifest-schema.js';

/** A variable a flake template declares in its `template.json`. */
export interface TemplateVariable {
  name: string;
  type: VariableType;
  description: string;
  /** Used when the user does not set the variable; a variable without a default is required. */
  default?: string | number | boolean | string[];
  /** For strings (and list items): a regular expression the whole value must match. */
  pattern?: string;
  /** For enums: the allowed values. */
  values?: string[];
}

/** A flake template: a directory with `template.json` and `.hbs` files rendered to the same names without `.hbs`. */
export interface FlakeTemplate {
  name: string;
  description: string;
  variables: TemplateVariable[];
  /** Absolute directory of the template. */
  dir: string;
  /** Template files relative to `dir` (posix), each ending in `.hbs`. */
  files: string[];
  /** `builtin`, or the user template directory it came from. */
  origin: string;
}

/** A template directory or manifest that cannot be used; names the file and field. */
export class TemplateDefinitionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TemplateDefinitionError';
  }
}

const TEMPLATE_NAME = /^[a-z0-9][a-z0-9_-]*$/;
const manifestValidator = schemaValidator(MANIFEST_SCHEMA);

export const BUILTIN_FLAKES_DIR = path.join(BUILTIN_TEMPLATES_DIR, 'flakes');

function listTemplateFiles(dir: string): string[] {
  const out: string[] = [];
  const stack: string[] = [''];
  while (stack.length > 0) {
    const relative = stack.pop()!;
    for (const entry of readdirSync(path.join(dir, relative), { withFileTypes: true })) {
      const child = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory()) stack.push(child);
      else if (entry.isFile() && entry.name.endsWith('.hbs')) out.push(child);
    }
  }
  return out.sort();
}

/** A declared variable, checked by MANIFEST_SCHEMA; what a schema cannot say (a valid pattern, enum values) here. */
function parseVariable(manifest: string, name: string, spec: NonNullable<TemplateManifest['variables']>[string]): TemplateVariable {
  const at = `${manifest}: variables.${name}`;
  const variable: TemplateVariable = { name, type: spec.type, description: spec.description };
  if (spec.pattern !== undefined) {
    try {
      new RegExp(spec.pattern);
    } catch (error) {
      throw new TemplateDefinitionError(`${at}.pattern: ${(error as Error).message}`);
    }
    variable.pattern = spec.pattern;
  }
  if (spec.type === 'enum') {
    if (spec.values === undefined) throw new TemplateDefinitionError(`${at}.values: an enum needs a non-empty list of strings`);
    variable.values = spec.values;
  }
  if (spec.default !== undefined) variable.default = spec.default as TemplateVariable['default'];
  return variable;
}

/** Reads one template directory; throws `TemplateDefinitionError` naming the manifest and field. */
export function loadFlakeTemplate(dir: string, origin: string): FlakeTemplate {
  const name = path.basename(dir);
  const manifest = path.join(dir, 'template.json');
  if (!TEMPLATE_NAME.test(name)) throw new TemplateDefinitionError(`${dir}: template names are lower case letters, digits, - and _`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(manifest, 'utf8'));
  } catch (error) {
    throw new TemplateDefinitionError(`${manifest}: ${(error as Error).message}`);
  }
  const problems = manifestValidator.problems(parsed);
  if (problems.length > 0) throw new TemplateDefinitionError(problems.map((problem) => `${manifest}: ${formatProblem(problem)}`).join('\n'));
  const { description, variables } = parsed as TemplateManifest;
  const declared = Object.entries(variables ?? {}).map(([key, value]) => parseVariable(manifest, key, value));
  const files = listTemplateFiles(dir);
  if (files.length === 0) throw new TemplateDefinitionError(`${dir}: no .hbs files`);
  return { name, description, variables: declared, dir, files, origin };
}

/** All templates: built-ins first, then each user directory in order; a later template replaces one of the same name. */
export function loadFlakeTemplates(userDirs: readonly string[] = []): Map<string, FlakeTemplate> {
  const templates = new Map<string, FlakeTemplate>();
  const sources: Array<{ dir: string; origin: string }> = [{ dir: BUILTIN_FLAKES_DIR, origin: 'builtin' }, ...userDirs.map((dir) => ({ dir, origin: dir }))];
  for (const { dir, origin } of sources) {
    if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new TemplateDefinitionError(`${dir}: not a template directory`);
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (entry.isDirectory() && existsSync(path.join(dir, entry.name, 'template.json'))) {
        templates.set(entry.name, loadFlakeTemplate(path.join(dir, entry.name), origin));
      }
    }
  }
  return templates;
}
