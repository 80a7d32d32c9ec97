import { parseCommandArgs } from './args.js';
import { EXIT, type CliIO } from '../io.js';
import { loadTemplatesOrFail } from './generate.js';

function describeDefault(value: unknown): string {
  if (value === undefined) return 'required';
  if (Array.isArray(value)) return `default ${value.join(',') || '(empty)'}`;
  return `default ${value === '' ? '(empty)' : String(value)}`;
}

/** `nixforge templates [--template-dir DIR ...] [--json]`: lists flake templates and their variables. */
export async function run(args: string[], io: CliIO): Promise<number> {
  const { values } = parseCommandArgs(args, { 'template-dir': { type: 'string', multiple: true }, json: { type: 'boolean' } });
  const templates = [...loadTemplatesOrFail(values['template-dir'] ?? [], io).values()];
  if (values.json) {
    const out = templates.map(({ name, description, variables, origin }) => ({ name, description, origin, variables }));
    io.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
    return EXIT.clean;
  }
  const lines: string[] = [];
  for (const template of templates) {
    const origin = template.origin === 'builtin' ? '' : ` [${template.origin}]`;
    lines.push(`${template.name}${origin}: ${template.description}`);
    for (const variable of template.variables) {
      const kind = variable.type === 'enum' ? `one of ${variable.values!.join('|')}` : variable.type;
      lines.push(`  ${variable.name} (${kind}, ${describeDefault(variable.default)}): ${variable.description}`);
    }
  }
  lines.push('', 'Use: nixforge generate flake --template NAME --out DIR [--set key=value ...]');
  io.stdout.write(`${lines.join('\n')}\n`);
  return EXIT.clean;
}
