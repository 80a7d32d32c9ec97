import { builtinTemplate } from '../handlebars-env.js';
import { assertParses, type GeneratedFile } from '../generated-file.js';
import { collapseSingleKeyPath, compareKeys, type NixValue } from '../nix/value.js';
import type { DotfilesConversion } from './dotfiles.js';
import { moduleOptions, packageExpr, type HomeProfile } from './profile.js';

/** Home Manager output: `home.nix`, `flake.nix` and copies of kept dotfiles, plus notes for the user. */
export interface HomeGeneration {
  files: GeneratedFile[];
  notes: string[];
}

function isRecord(value: NixValue | undefined): value is Record<string, NixValue> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.getPrototypeOf(value) === Object.prototype;
}

/** Merges `extra` under `base`: nested sets merge, `base` (the profile) wins on conflicts. */
function mergeUnder(base: Record<string, NixValue>, extra: Record<string, NixValue>): Record<string, NixValue> {
  const out: Record<string, NixValue> = { ...extra };
  for (const [key, value] of Object.entries(base)) {
    const other = out[key];
    out[key] = isRecord(value) && isRecord(other) ? mergeUnder(value, other) : value;
  }
  return out;
}

/**
 * Renders a profile (and converted dotfiles) as `home.nix` and a flake with `homeConfigurations.<user>`, where
 * home-manager follows nixpkgs. Every `.nix` file is parsed before it is returned.
 */
export function renderHome(profile: HomeProfile, dotfiles?: DotfilesConversion): HomeGeneration {
  const sections: Array<{ path: string[]; value: NixValue }> = [];
  const add = (path: string[], value: NixValue) => sections.push(collapseSingleKeyPath(path, value));
  if (profile.packages && profile.packages.length > 0) add(['home', 'packages'], [...new Set(profile.packages)].sort(compareKeys).map(packageExpr));
  if (profile.shellAliases && Object.keys(profile.shellAliases).length > 0) add(['home', 'shellAliases'], profile.shellAliases);
  if (profile.sessionVariables && Object.keys(profile.sessionVariables).length > 0) add(['home', 'sessionVariables'], profile.sessionVariables);
  if (dotfiles && Object.keys(dotfiles.homeFiles).length > 0) add(['home', 'file'], dotfiles.homeFiles);

  const programs = new Map<string, Record<string, NixValue>>();
  for (const [name, options] of Object.entries(dotfiles?.programs ?? {})) programs.set(name, options);
  for (const [name, value] of Object.entries(profile.programs ?? {})) programs.set(name, mergeUnder(moduleOptions(value), programs.get(name) ?? {}));
  for (const name of [...programs.keys()].sort(compareKeys)) if (name !== 'home-manager') add(['programs', name], programs.get(name)!);
  for (const [name, value] of Object.entries(profile.services ?? {}).sort(([a], [b]) => compareKeys(a, b))) add(['services', name], moduleOptions(value));

  const system = profile.system ?? 'x86_64-linux';
  const view = {
    user: profile.user,
    homeDirectory: profile.homeDirectory ?? (system.endsWith('darwin') ? `/Users/${profile.user}` : `/home/${profile.user}`),
    stateVersion: profile.stateVersion,
    release: profile.release ?? profile.stateVersion,
    system,
    usesPkgs: (profile.packages?.length ?? 0) > 0,
    sections,
  };
  const files: GeneratedFile[] = [
    { path: 'flake.nix', content: builtinTemplate('home/flake.nix.hbs')(view) },
    { path: 'home.nix', content: builtinTemplate('home/home.nix.hbs')(view) },
    ...(dotfiles?.files ?? []),
  ];
  return { files: files.map(assertParses).sort((a, b) => compareKeys(a.path, b.path)), notes: dotfiles?.notes ?? [] };
}
