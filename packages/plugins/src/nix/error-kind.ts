/** The `nix/*` rule a diagnostic belongs to. */
export type NixErrorKind =
  | 'syntax-error'
  | 'undefined-variable'
  | 'duplicate-attribute'
  | 'duplicate-formal'
  | 'dynamic-inherit'
  | 'invalid-integer';
