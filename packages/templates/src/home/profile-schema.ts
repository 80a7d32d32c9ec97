import { Type, type Static } from '@sinclair/typebox';
import { RecordOf, StringEnum } from '@nixforge/core';

const STATE_VERSION = '^\\d{2}\\.\\d{2}$';
/** Text without NUL characters, which no Nix string can hold. */
const NO_NUL = '^[^\\u0000]*$';

/** `programs.<name>` or `services.<name>`: `true` to enable, or an object of options (`enable` defaults to true). */
function moduleEntries(kind: 'program' | 'service') {
  return RecordOf(
    Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_-]*$', expected: `${kind} name` }),
    Type.Union([Type.Boolean(), Type.Record(Type.String(), Type.Unknown())], { expected: 'true/false or an object of options' }),
    { expected: `an object of ${kind}s by name` },
  );
}

/**
 * A Home Manager profile as read from YAML or JSON (`nixforge generate home --profile FILE`). `HomeProfile` is
 * generated from it; what a schema cannot say (no secrets in option values) is checked by parseHomeProfile.
 */
export const HOME_PROFILE_SCHEMA = Type.Object(
  {
    user: Type.String({ pattern: '^[a-z_][a-z0-9_-]{0,30}$', expected: 'a login name (lower case letters, digits, _ and -)' }),
    /** Defaults to `/home/<user>`. */
    homeDirectory: Type.Optional(Type.String({ pattern: '^/[^\\u0000\\n]*$', expected: 'an absolute path' })),
    stateVersion: Type.String({ pattern: STATE_VERSION, expected: 'a release such as "24.11"' }),
    /** nixpkgs/home-manager release to follow (`nixos-<release>`, `release-<release>`); defaults to stateVersion. */
    release: Type.Optional(Type.String({ pattern: STATE_VERSION, expected: 'a release such as "25.05"' })),
    /** The system for `homeConfigurations`; defaults to `x86_64-linux`. */
    system: Type.Optional(StringEnum(['x86_64-linux', 'aarch64-linux', 'x86_64-darwin', 'aarch64-darwin'])),
    /** nixpkgs attribute paths, e.g. `ripgrep`, `python3Packages.black`. */
    packages: Type.Optional(
      Type.Array(Type.String({ pattern: "^[A-Za-z_][A-Za-z0-9_'-]*(\\.[A-Za-z_][A-Za-z0-9_'-]*)*$", expected: 'a nixpkgs attribute path such as "ripgrep"' }), {
        expected: 'a list of nixpkgs attribute names',
      }),
    ),
    /** `programs.<name>`: `true` to enable, or an object of options (`enable` defaults to true). */
    programs: Type.Optional(moduleEntries('program')),
    /** `services.<name>`, like programs. */
    services: Type.Optional(moduleEntries('service')),
    shellAliases: Type.Optional(
      RecordOf(Type.String({ pattern: '^[^\\s=\'"`$\\\\]+$', expected: 'alias name' }), Type.String({ pattern: NO_NUL, expected: 'a string' }), { expected: 'an object' }),
    ),
    sessionVariables: Type.Optional(
      RecordOf(Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_]*$', expected: 'variable name' }), Type.Union([Type.String({ pattern: NO_NUL }), Type.Number()], { expected: 'a string or number' }), {
        expected: 'an object',
      }),
    ),
  },
  { additionalProperties: false, expected: 'a profile object { user, stateVersion, ... }' },
);

export type HomeProfile = Static<typeof HOME_PROFILE_SCHEMA>;
