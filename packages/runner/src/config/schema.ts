import { Type, type Static } from '@sinclair/typebox';
import { RecordOf, StringEnum, type RuleSetting } from '@nixforge/core';

const PRESETS = StringEnum(['recommended', 'strict', 'style', 'all']);
const LEVELS = ['off', 'info', 'warning', 'error'] as const;

/** A rule's level, or `[level, options]`; typed as the engine's RuleSetting. */
const RULE_SETTING = Type.Unsafe<RuleSetting>({
  oneOf: [
    { enum: [...LEVELS] },
    { type: 'array', minItems: 1, maxItems: 2, items: [{ enum: [...LEVELS] }, { type: 'object' }], expected: '[level] or [level, options]' },
  ],
});

/**
 * JSON schema of nixforge.config.json (TypeBox: the `NixforgeConfig` type below is generated from it, checked with
 * ajv through @nixforge/core's schemaValidator).
 */
export const CONFIG_SCHEMA = Type.Object(
  {
    $schema: Type.Optional(Type.String()),
    plugins: Type.Optional(
      Type.Array(Type.String({ minLength: 1, expected: 'a plugin path or npm package name' }), { description: 'Plugins to load: paths (relative to this file) or npm package names.' }),
    ),
    extends: Type.Optional(
      Type.Union([PRESETS, Type.Array(PRESETS, { minItems: 1 })], {
        description: 'Preset(s) the rules start from: recommended (default), strict, style, all; in a list, later entries win.',
      }),
    ),
    rules: Type.Optional(RecordOf(Type.String(), RULE_SETTING, { description: 'Rule or plugin id -> level, or [level, options]; overrides the presets.' })),
    ignores: Type.Optional(
      Type.Array(Type.String({ minLength: 1, expected: 'a glob pattern' }), { description: 'Glob patterns (gitignore syntax) of files and directories not to scan.' }),
    ),
    threads: Type.Optional(Type.Integer({ minimum: 1, maximum: 256, expected: 'a number of worker threads (an integer from 1 to 256)', description: 'Worker threads (default: number of cores).' })),
    failOn: Type.Optional(
      StringEnum(['info', 'warning', 'error', 'never'], { description: 'Lowest severity that makes the run fail (exit 1); "never" never fails on findings.' }),
    ),
    events: Type.Optional(
      Type.String({ minLength: 1, expected: 'a file path', description: "Append every scan's events as NDJSON to this file (relative to this file), as `--events FILE` does." }),
    ),
  },
  { $id: 'https://nixforge.dev/schemas/config.json', additionalProperties: false },
);

/** The configuration file's content, validated. `extends`: later presets win; `events`: relative to the file. */
export type NixforgeConfig = Static<typeof CONFIG_SCHEMA>;

/** Lowest severity that fails a run, or never. */
export type FailOn = NonNullable<NixforgeConfig['failOn']>;
