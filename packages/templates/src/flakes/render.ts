import path from 'node:path';
import { loadTemplate } from '../handlebars-env.js';
import { assertParses, type GeneratedFile } from '../generated-file.js';
import { TemplateDefinitionError, type FlakeTemplate } from './manifest.js';
import { resolveVariables, type VariableValue } from './variables.js';

/**
 * Renders every `.hbs` file of a template with its resolved variables (the `--set` values, converted and
 * checked). Each `.nix` output is parsed before it is returned. Paths are the template's, without `.hbs`.
 */
export function renderFlakeTemplate(template: FlakeTemplate, assignments: ReadonlyMap<string, string>): { files: GeneratedFile[]; variables: Record<string, VariableValue> } {
  const variables = resolveVariables(template, assignments);
  const files = template.files.map((file) => {
    let content: string;
    try {
      content = loadTemplate(path.join(template.dir, file))({ ...variables, template: template.name });
    } catch (error) {
      throw new TemplateDefinitionError(`${path.join(template.dir, file)}: ${(error as Error).message.split('\n')[0]}`);
    }
    return assertParses({ path: file.slice(0, -'.hbs'.length), content });
  });
  return { files, variables };
}
