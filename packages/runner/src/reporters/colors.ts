import picocolors from 'picocolors';

/** The styles reporters use; every one is the identity when colour is off, so plain output is unchanged. */
export type Styles = ReturnType<typeof picocolors.createColors>;

export const PLAIN: Styles = picocolors.createColors(false);

/**
 * Whether to colour output written to `stream`, following the conventions other tools share:
 * `FORCE_COLOR` set to anything but `0`/`false` turns colour on, `FORCE_COLOR=0` off; otherwise a non-empty
 * `NO_COLOR` (no-color.org) turns it off; otherwise colour is used only on a terminal whose TERM is not `dumb`.
 * `--color` / `--no-color` (the `flag`) override all of these.
 */
export function wantsColor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv, flag?: boolean): boolean {
  if (flag !== undefined) return flag;
  const force = env.FORCE_COLOR;
  if (force !== undefined) return force !== '0' && force.toLowerCase() !== 'false';
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  return stream.isTTY === true && env.TERM !== 'dumb';
}

export function stylesFor(enabled: boolean): Styles {
  return enabled ? picocolors.createColors(true) : PLAIN;
}
