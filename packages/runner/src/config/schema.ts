/** JSON schema of nixforge.config.json (draft-07, checked with ajv). */
export const CONFIG_SCHEMA = {
  $id: 'https://nixforge.dev/schemas/config.json',
  type: 'object',
  additionalProperties: false,
  properties: {
    $schema: { type: 'string' },
    plugins: {
      description: 'Plugins to load: paths (relative to this file) or npm package names.',
      type: 'array',
      items: { type: 'string', minLength: 1 },
    },
    extends: {
      description: 'Preset(s) the rules start from: recommended (default), strict, style, all; in a list, later entries win.',
      oneOf: [
        { enum: ['recommended', 'strict', 'style', 'all'] },
        { type: 'array', minItems: 1, items: { enum: ['recommended', 'strict', 'style', 'all'] } },
      ],
    },
    rules: {
      description: 'Rule or plugin id -> level, or [level, options]; overrides the presets.',
      type: 'object',
      additionalProperties: {
        oneOf: [
          { enum: ['off', 'info', 'warning', 'error'] },
          {
            type: 'array',
            minItems: 1,
            maxItems: 2,
            items: [{ enum: ['off', 'info', 'warning', 'error'] }, { type: 'object' }],
          },
        ],
      },
    },
    ignores: {
      description: 'Glob patterns (gitignore syntax) of files and directories not to scan.',
      type: 'array',
      items: { type: 'string', minLength: 1 },
    },
    threads: { description: 'Worker threads (default: number of cores).', type: 'integer', minimum: 1, maximum: 256 },
    failOn: {
      description: 'Lowest severity that makes the run fail (exit 1); "never" never fails on findings.',
      enum: ['info', 'warning', 'error', 'never'],
    },
    events: {
      description: 'Append every scan\'s events as NDJSON to this file (relative to this file), as `--events FILE` does.',
      type: 'string',
      minLength: 1,
    },
  },
} as const;
