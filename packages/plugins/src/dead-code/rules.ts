import { defineRule, type Declaration, type DeclarationKind, type Fix, type RuleContext } from '@nixforge/core';
import { ruleDocsUrl } from '../security/docs-url.js';
import { livenessOf, type Liveness } from './liveness.js';
import { DEFAULT_OPTIONS, isExempt, type DeadCodeOptions } from './options.js';
import { inDisabledLet } from './disabled-let.js';
import { formalInterface, lambdaArgInterface } from './interface.js';
import { prefixLambdaArg, removeFormal, removeLetBinding, removePatternName } from './fixes.js';

interface DeadCodeRuleSpec {
  name: string;
  kinds: readonly DeclarationKind[];
  description: string;
  explanation: string;
  bad: string;
  good: string;
  message: (declaration: Declaration) => string;
  fix: (declaration: Declaration, liveness: Liveness, context: RuleContext<DeadCodeOptions>) => Fix | undefined;
  /** Dead names this rule leaves alone besides the shared exemptions. */
  skip?: (declaration: Declaration, liveness: Liveness, context: RuleContext<DeadCodeOptions>) => boolean;
}

function deadCodeRule(spec: DeadCodeRuleSpec) {
  return defineRule<DeadCodeOptions>({
    meta: {
      description: spec.description,
      severity: 'warning',
      fixable: true,
      defaultOptions: { ...DEFAULT_OPTIONS },
      docs: { explanation: spec.explanation, bad: spec.bad, good: spec.good, url: ruleDocsUrl('dead-code', spec.name) },
    },
    create(context) {
      return {
        onEnd() {
          const liveness = livenessOf(context as RuleContext);
          for (const declaration of liveness.reportable) {
            if (!spec.kinds.includes(declaration.kind) || isExempt(declaration, context.options)) continue;
            if (!context.options.reportInterfaceArgs && isInterface(declaration, liveness, context)) continue;
            if (spec.skip?.(declaration, liveness, context)) continue;
            const fix = spec.fix(declaration, liveness, context);
            context.report({
              range: declaration.nameRange,
              message: spec.message(declaration),
              symbol: declaration.name,
              ...(fix ? { fix } : {}),
            });
          }
        },
      };
    },
  });
}

/** True for an unused name the caller of its function decides about (see interface.ts). */
function isInterface(declaration: Declaration, liveness: Liveness, context: RuleContext<DeadCodeOptions>): boolean {
  if (declaration.kind === 'formal') {
    const reason = formalInterface(declaration, (d) => !liveness.dead.has(d), context.source, context.fileType);
    return reason !== undefined && !(reason === 'package-argument' && context.options.reportPackageArgs);
  }
  if (declaration.kind === 'lambda-arg') return lambdaArgInterface(declaration, context.source) !== undefined;
  return false;
}

export const unusedLet = deadCodeRule({
  name: 'unused-let',
  kinds: ['let', 'inherit', 'inherit-from', 'legacy-let'],
  description: 'A let binding (or inherited name) is never used.',
  explanation:
    'Nothing reads this binding, or only other unused bindings do. Remove it. `_`-prefixed let names are ' +
    'reported too (set `noUnderscore` to skip them); `# deadnix: skip` on the line before silences one. ' +
    'A `let` none of whose bindings is used, whose use is commented out after `in` (`in # directives;`), ' +
    'is a block disabled on purpose and is not reported.',
  bad: 'let unused = 1; used = 2; in used',
  good: 'let used = 2; in used',
  message: (d) => `unused let binding \`${d.name}\``,
  fix: (d, liveness, context) => removeLetBinding(d, liveness.dead, context.source),
  skip: (d, liveness, context) => inDisabledLet(d, liveness.dead, context.source),
});

export const unusedLambdaArg = deadCodeRule({
  name: 'unused-lambda-arg',
  kinds: ['lambda-arg'],
  description: 'A function argument is never used.',
  explanation:
    'The function ignores its argument. The fix renames it to `_name`, which says so (names starting with ' +
    '`_` are not reported); removing it would change how the function is called. Arguments fixed by the ' +
    'arity of a callback are not reported (`final: prev:` overlays, `mapAttrs (n: v: ...)`, ' +
    '`foldl\' (acc: x: ...)`, `map (x: ...)`): the name cannot go, and `_n` is only a style choice. ' +
    'Set `reportInterfaceArgs` to report them too, as deadnix does.',
  bad: 'let always = x: 1; in always 2',
  good: 'let always = _x: 1; in always 2',
  message: (d) => `unused function argument \`${d.name}\``,
  fix: (d, liveness) => prefixLambdaArg(d, liveness.scopes),
});

export const unusedFormal = deadCodeRule({
  name: 'unused-formal',
  kinds: ['formal'],
  description: 'A name in a `{ ... }:` argument pattern is never used.',
  explanation:
    'The function destructures an attribute it never reads. The fix removes it when the pattern has `...`, so ' +
    'callers that still pass it keep working. Names the caller decides about are not reported (set ' +
    '`reportInterfaceArgs` to report them, as deadnix does): module arguments (`{ config, lib, pkgs, ... }:` ' +
    'and `specialArgs` names), flake `outputs` inputs, formals forwarded through a used `@` name, defaulted ' +
    'arguments of entry points (`release.nix`, `default.nix`, `shell.nix`), formals of `callPackage` packages ' +
    '(set `reportPackageArgs` for those: dead dependencies, but callers and overrides may pass them), and closed patterns of inner ' +
    'functions (`map ({ name, value }: ...)`), whose caller passes exactly those names.',
  bad: '{ lib, unused, ... }: lib.id',
  good: '{ lib, ... }: lib.id',
  message: (d) => `unused argument \`${d.name}\` in pattern`,
  fix: (d, _liveness, context) => removeFormal(d, context.source),
});

export const unusedPatternName = deadCodeRule({
  name: 'unused-pattern-name',
  kinds: ['pattern-name'],
  description: 'The `@` name of an argument pattern is never used.',
  explanation: '`args@{ ... }` binds the whole argument set; when nothing reads `args`, drop the `@` binding.',
  bad: 'args@{ lib, ... }: lib.id',
  good: '{ lib, ... }: lib.id',
  message: (d) => `unused pattern name \`${d.name}\``,
  fix: (d, _liveness, context) => removePatternName(d, context.source),
});
