import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Handlebars from 'handlebars';
import { nixAttrName, nixAttrPath, nixCommentText, nixIndentedString, nixString } from './nix/escape.js';
import { renderNixValue, type NixValue } from './nix/value.js';

/** The templates shipped with this package; `src/` and `dist/` are siblings of `templates/`. */
export const BUILTIN_TEMPLATES_DIR = fileURLToPath(new URL('../templates/', import.meta.url));

/** Handlebars passes an options hash as the last argument of every helper. */
type HelperOptions = Handlebars.HelperOptions;

function hashIndent(options: HelperOptions | undefined): number {
  const indent = options?.hash?.indent;
  return typeof indent === 'number' ? indent : 0;
}

/**
 * A Handlebars instance with HTML escaping off and Nix-aware helpers:
 * - `{{str x}}` a double-quoted Nix string; `{{istr x indent=2}}` an indented string where it is exact;
 * - `{{attr name}}` an attribute name, quoted when it is not an identifier; `{{attrPath parts}}` a dotted path;
 * - `{{nix value indent=2}}` any JSON value as Nix with sorted keys;
 * - `{{comment text}}` text safe inside a `#` comment; `concat` and `eq` for building values and conditions.
 */
export function createNixHandlebars(): typeof Handlebars {
  const hb = Handlebars.create();
  hb.registerHelper('str', (value: unknown) => nixString(String(value)));
  hb.registerHelper('istr', (value: unknown, options: HelperOptions) => nixIndentedString(String(value), hashIndent(options)));
  hb.registerHelper('attr', (value: unknown) => nixAttrName(String(value)));
  hb.registerHelper('attrPath', (value: unknown) => nixAttrPath(Array.isArray(value) ? value.map(String) : String(value).split('.')));
  hb.registerHelper('nix', (value: unknown, options: HelperOptions) => renderNixValue(value as NixValue, hashIndent(options)));
  hb.registerHelper('comment', (value: unknown) => nixCommentText(String(value)));
  // `{{str (concat "github:NixOS/nixpkgs/" ref)}}`: joins its arguments (the options hash comes last).
  hb.registerHelper('concat', (...args: unknown[]) => args.slice(0, -1).map(String).join(''));
  hb.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  return hb;
}

const shared = createNixHandlebars();
const compiled = new Map<string, Handlebars.TemplateDelegate>();

/** Compiles (once) a template file; `noEscape` because the output is Nix, not HTML, and strict to catch typos. */
export function loadTemplate(file: string): Handlebars.TemplateDelegate {
  let template = compiled.get(file);
  if (!template) {
    template = shared.compile(readFileSync(file, 'utf8'), { noEscape: true, strict: true });
    compiled.set(file, template);
  }
  return template;
}

/** A built-in template by its path under `templates/`. */
export function builtinTemplate(relativePath: string): Handlebars.TemplateDelegate {
  return loadTemplate(BUILTIN_TEMPLATES_DIR + relativePath);
}
