import { Type, type Static } from '@sinclair/typebox';
import { RecordOf, StringEnum } from '@nixforge/core';

/** The kinds of value a template variable takes; `--set key=value` text is converted and checked by kind. */
export const VARIABLE_TYPES = ['string', 'boolean', 'integer', 'enum', 'list'] as const;
export type VariableType = (typeof VARIABLE_TYPES)[number];

/** A variable as `template.json` declares it (its name is the key). */
export const VARIABLE_SCHEMA = Type.Object(
  {
    type: StringEnum(VARIABLE_TYPES, { expected: `one of ${VARIABLE_TYPES.join(', ')}` }),
    description: Type.String(),
    /** For strings (and list items): a regular expression the whole value must match. */
    pattern: Type.Optional(Type.String()),
    /** For enums: the allowed values. */
    values: Type.Optional(Type.Array(Type.String(), { minItems: 1, expected: 'a non-empty list of strings' })),
    /** Used when the user does not set the variable; a variable without a default is required. Checked by kind when used. */
    default: Type.Optional(Type.Unknown()),
  },
  { expected: 'an object { type, description, default? }' },
);

/** `template.json` of a flake template. Other fields are allowed. */
export const MANIFEST_SCHEMA = Type.Object(
  {
    description: Type.String(),
    variables: Type.Optional(
      RecordOf(Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_]*$', expected: 'variable name (an identifier: letters, digits, _)' }), VARIABLE_SCHEMA, {
        expected: 'an object of variable declarations',
      }),
    ),
  },
  { expected: 'an object { description, variables }' },
);

export type TemplateManifest = Static<typeof MANIFEST_SCHEMA>;
