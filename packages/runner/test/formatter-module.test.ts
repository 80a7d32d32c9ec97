import { describe, expect, it } from 'vitest';
import { makeTree, runCli } from './helpers/cli.js';

const COUNT_FORMATTER = `export default {
  needsSourceLines: true,
  create: (context) => ({
    begin: () => \`begin \${context.version} \${context.rules.length > 0}\\n\`,
    file: (report) => report.findings.map((f) => \`\${report.path}:\${f.line}: \${f.ruleId} [\${report.sourceLines?.[f.line] ?? '?'}]\\n\`).join(''),
    end: (summary) => \`\${summary.findings} findings\\n\`,
  }),
};
`;

describe('scan --format with a formatter module', () => {
  it('loads the module, streams every file through it and passes source lines when asked', async () => {
    const dir = makeTree({
      'default.nix': 'let unused = 1; in x: x == true\n',
      'count.mjs': COUNT_FORMATTER,
      'nixforge.config.json': JSON.stringify({ rules: { 'dead-code/unused-let': 'warning' } }),
    });
    const run = await runCli(['scan', '--format', './count.mjs', '--no-progress', '.'], dir);
    expect(run.stdout.split('\n')[0]).toMatch(/^begin \d+\.\d+\.\d+ true$/);
    expect(run.stdout).toContain('default.nix:1: dead-code/unused-let [let unused = 1; in x: x == true]');
    expect(run.stdout.trimEnd().split('\n').at(-1)).toMatch(/^\d+ findings$/);
    expect(run.code).toBe(0);
  });

  it('accepts a module whose default export is the create function', async () => {
    const dir = makeTree({
      'default.nix': '{ a = 1; }\n',
      'plain.mjs': "export default () => ({ begin: () => '[', file: (r) => r.path, end: () => ']\\n' });\n",
    });
    const run = await runCli(['scan', '-f', './plain.mjs', '--no-progress', '.'], dir);
    expect(run.stdout).toBe('[default.nix]\n');
    expect(run.code).toBe(0);
  });

  it('names the module when it cannot be loaded or exports no reporter (exit 2)', async () => {
    const dir = makeTree({ 'default.nix': '{ a = 1; }\n', 'empty.mjs': 'export const x = 1;\n' });
    const missing = await runCli(['scan', '--format', './missing.mjs', '.'], dir);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("cannot load the formatter module './missing.mjs'");
    const empty = await runCli(['scan', '--format', './empty.mjs', '.'], dir);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain("the formatter module './empty.mjs' exports no reporter");
    const unknown = await runCli(['scan', '--format', 'xml', '.'], dir);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("--format: unknown format 'xml'");
  });
});
