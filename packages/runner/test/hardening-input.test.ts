import { beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { binaryBytes, invalidUtf8Bytes, withBom, withCrlf } from '@nixforge/fixtures';
import { makeTree, runCli, type CliRun } from './helpers/cli.js';

const HOSTILE = fileURLToPath(new URL('./plugins/hostile.mjs', import.meta.url));

interface JsonFinding {
  ruleId: string;
  message: string;
  line: number;
  column: number;
}
interface JsonFile {
  path: string;
  error?: { code: string; message: string };
  findings: JsonFinding[];
}

const SOURCE = '{\n  a = 1;\n  b = missing;\n}\n';

/** Nix's own verdict on a file: the message and position of `nix-instantiate --parse`, or undefined if it accepts it. */
function nixVerdict(path: string): { message: string; line: number; column: number } | undefined | 'no-nix' {
  const result = spawnSync('nix-instantiate', ['--parse', path], { encoding: 'utf8' });
  if (result.error) return 'no-nix';
  if (result.status === 0) return undefined;
  const message = /error: (.*)/.exec(result.stderr)?.[1] ?? '';
  const at = /at .*:(\d+):(\d+)/.exec(result.stderr);
  return { message, line: Number(at?.[1]), column: Number(at?.[2]) };
}

describe('hardening: hostile files in one run', () => {
  let root: string;
  let run: CliRun;
  let byPath: Map<string, JsonFile>;

  beforeAll(async () => {
    const { bytes: badUtf8 } = invalidUtf8Bytes();
    root = makeTree({
      'binary.nix': binaryBytes(),
      'bad-utf8.nix': badUtf8,
      'bom.nix': withBom(SOURCE),
      'crlf.nix': withCrlf(SOURCE),
      'empty.nix': '',
      'comment-only.nix': '   \n# nothing here\n',
      'good.nix': SOURCE,
      'x.nix/inner.nix': SOURCE,
      'gone-a.nix': '',
      'gone-b.nix': SOURCE,
      'replaced.nix': SOURCE,
    });
    // gone-a.nix deletes gone-b.nix while it is analysed: discovery saw gone-b.nix, reading it fails.
    writeFileSync(join(root, 'gone-a.nix'), `# delete ${join(root, 'gone-b.nix')}\n{ }\n`);
    symlinkSync('loop-2.nix', join(root, 'loop-1.nix'));
    symlinkSync('loop-1.nix', join(root, 'loop-2.nix'));
    symlinkSync('nowhere.nix', join(root, 'dangling.nix'));
    mkdirSync(join(root, 'cycle'));
    symlinkSync('..', join(root, 'cycle', 'up'));
    run = await runCli(['scan', '.', '-f', 'json', '--no-events', '--threads', '1', '--plugin', HOSTILE, '--rule', 'hostile/reports-files=off'], root);
    byPath = new Map((JSON.parse(run.stdout) as { files: JsonFile[] }).files.map((file) => [file.path, file]));
  });

  it('reports every file, in path order, and exits 1 (findings), unreadable files reported but not failing the run', () => {
    expect([...byPath.keys()]).toEqual([
      'bad-utf8.nix',
      'binary.nix',
      'bom.nix',
      'comment-only.nix',
      'crlf.nix',
      'dangling.nix',
      'empty.nix',
      'gone-a.nix',
      'gone-b.nix',
      'good.nix',
      'loop-1.nix',
      'loop-2.nix',
      'replaced.nix',
      'x.nix/inner.nix',
    ]);
    expect(run.code).toBe(1);
  });

  it('skips binary content named .nix with a binary error', () => {
    expect(byPath.get('binary.nix')!.error).toEqual({ code: 'binary', message: 'skipped: binary content (NUL bytes), not Nix source' });
  });

  it('analyses invalid UTF-8 with a warning at the first bad byte', () => {
    const file = byPath.get('bad-utf8.nix')!;
    expect(file.error).toBeUndefined();
    const warning = file.findings.find((f) => f.ruleId === 'internal/invalid-utf8')!;
    const { badOffset } = invalidUtf8Bytes();
    expect(warning).toMatchObject({ line: 1, column: badOffset + 1 });
    expect(warning.message).toContain(`offset ${badOffset}`);
  });

  it('treats a BOM and CRLF line ends as plain text: no syntax error, positions unshifted', () => {
    const expected = [{ ruleId: 'nix/undefined-variable', line: 3, column: 7 }];
    for (const path of ['good.nix', 'bom.nix', 'crlf.nix']) {
      const file = byPath.get(path)!;
      expect(file.findings.map(({ ruleId, line, column }) => ({ ruleId, line, column }))).toEqual(expected);
    }
  });

  it('reports an empty or comment-only file as Nix does', () => {
    expect(byPath.get('empty.nix')!.findings).toMatchObject([{ ruleId: 'nix/syntax-error', message: 'syntax error, unexpected end of file', line: 1, column: 1 }]);
    expect(byPath.get('comment-only.nix')!.findings).toMatchObject([{ ruleId: 'nix/syntax-error', message: 'syntax error, unexpected end of file', line: 2, column: 15 }]);
    for (const path of ['empty.nix', 'comment-only.nix']) {
      const verdict = nixVerdict(join(root, path));
      if (verdict === 'no-nix') continue;
      const finding = byPath.get(path)!.findings[0]!;
      expect(verdict).toEqual({ message: finding.message, line: finding.line, column: finding.column });
    }
  });

  it('reports symlink loops and dangling symlinks, and never walks a directory cycle twice', () => {
    for (const path of ['loop-1.nix', 'loop-2.nix']) expect(byPath.get(path)!.error).toEqual({ code: 'read-error', message: 'dangling or looping symlink (ELOOP)' });
    expect(byPath.get('dangling.nix')!.error).toEqual({ code: 'read-error', message: 'dangling or looping symlink (ENOENT)' });
    expect([...byPath.keys()].some((path) => path.startsWith('cycle/'))).toBe(false);
  });

  it('walks a directory named x.nix instead of reading it', () => {
    expect(byPath.has('x.nix')).toBe(false);
    expect(byPath.get('x.nix/inner.nix')!.findings.map((f) => f.ruleId)).toEqual(['nix/undefined-variable']);
  });

  it('reports a file deleted between discovery and reading, and goes on', () => {
    expect(byPath.get('gone-b.nix')!.error).toEqual({ code: 'read-error', message: 'file disappeared before it could be read' });
    expect(byPath.get('good.nix')!.error).toBeUndefined();
    expect(byPath.get('replaced.nix')!.findings).toHaveLength(1);
  });
});

describe('hardening: hostile paths given explicitly', () => {
  it('walks a directory named x.nix given as an argument', async () => {
    const root = makeTree({ 'x.nix/a.nix': SOURCE });
    const run = await runCli(['scan', 'x.nix', '-f', 'json', '--no-events'], root);
    expect((JSON.parse(run.stdout) as { files: JsonFile[] }).files.map((f) => f.path)).toEqual(['x.nix/a.nix']);
    expect(run.code).toBe(1);
  });
});
