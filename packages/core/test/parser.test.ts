import { describe, expect, it } from 'vitest';
import { Worker } from 'node:worker_threads';
import { SourceFile, findSyntaxErrors, findTrailingCommas, neutraliseTrailingCommas, parseNix, prepareForGrammar } from '../src/index.js';

describe('parser', () => {
  it('parses RFC-style formals with trailing commas without errors', () => {
    const text = '{ lib, stdenv, # comment\n}:\nstdenv.mkDerivation { pname = "x"; }';
    expect(parseNix(text).rootNode.hasError).toBe(false);
  });

  it('keeps offsets when neutralising commas', () => {
    const text = '{ a, b, }: { s = "a, }"; t = \'\'x, } ${ {y=1;}.y }\'\'; }';
    const out = neutraliseTrailingCommas(text);
    expect(out.length).toBe(text.length);
    expect(findTrailingCommas(text)).toEqual([6]);
  });

  it('does not treat commas in strings, comments and interpolations as formals', () => {
    for (const text of ['"a,}"', "''a,}''", '# a,}\n1', '/* a, } */ 1', '"${ "a,}" }"', "''''$a,}''", "a'' , }"]) {
      expect(findTrailingCommas(text), text).toEqual(text === "a'' , }" ? [4] : []);
    }
  });

  it('finds commas inside interpolations nested in strings', () => {
    const text = '"${ ({ a, }: a) { a = 1; } }"';
    expect(findTrailingCommas(text)).toEqual([8]);
    expect(parseNix(text).rootNode.hasError).toBe(false);
  });

  it('ends a # comment at a lone CR as Nix does, keeping offsets, and leaves CR LF, strings and clean text alone', () => {
    const text = '{ a, }: [ # one\ra # two\r\n"x\ry" /* z\r */ ]';
    const prepared = prepareForGrammar(text);
    expect(prepared).toBe('{ a  }: [ # one\na # two\r\n"x\ry" /* z\r */ ]');
    expect(prepared.length).toBe(text.length);
    expect(parseNix(text).rootNode.hasError).toBe(false);
    const clean = '{ a }: [ a ]';
    expect(prepareForGrammar(clean)).toBe(clean);
  });

  it('does not report empty inherit as a syntax error', () => {
    for (const text of ['{ inherit; a = 1; }', 'let inherit (x); in 1']) {
      expect(findSyntaxErrors(new SourceFile('x.nix', text)), text).toEqual([]);
    }
  });

  it('reports real syntax errors at the right place', () => {
    const source = new SourceFile('x.nix', 'let a = 1;\nin a +');
    const errors = findSyntaxErrors(source);
    expect(errors.length).toBe(1);
    expect(source.positionAt(errors[0]!.node.startIndex).line).toBe(2);
  });

  it('loads the grammar in 4 worker threads at once', async () => {
    const code = `
      const { parentPort } = require('node:worker_threads');
      import(${JSON.stringify(new URL('../dist/index.js', import.meta.url).href)}).then((core) => {
        const tree = core.parseNix('{ a = 1; b = [ 1 2 ]; }');
        parentPort.postMessage(tree.rootNode.firstNamedChild.type);
      }).catch((e) => parentPort.postMessage('error: ' + e.message));`;
    const results = await Promise.all(
      [0, 1, 2, 3].map(
        () =>
          new Promise<string>((resolve, reject) => {
            const worker = new Worker(code, { eval: true });
            worker.once('message', (m: string) => {
              resolve(m);
              void worker.terminate();
            });
            worker.once('error', reject);
          }),
      ),
    );
    expect(results).toEqual(['attrset_expression', 'attrset_expression', 'attrset_expression', 'attrset_expression']);
  });
});

describe('source positions', () => {
  it('counts columns in UTF-16 code units on multi-byte text and CRLF', () => {
    const source = new SourceFile('x.nix', '"héllo 𝄞" + x\r\n  + y');
    const tree = source.tree;
    const binary = tree.rootNode.firstNamedChild!;
    const y = binary.lastNamedChild!;
    const x = binary.firstNamedChild!.lastNamedChild!;
    expect(source.positionAt(x.startIndex)).toEqual({ line: 1, column: 14 });
    expect(source.positionAt(y.startIndex)).toEqual({ line: 2, column: 5 });
    expect(source.lineText(1)).toBe('"héllo 𝄞" + x');
  });

  it('skips a BOM without shifting positions', () => {
    const source = new SourceFile('x.nix', '\uFEFFa: a');
    expect(source.hasBom).toBe(true);
    expect(source.text).toBe('a: a');
    expect(source.tree.rootNode.hasError).toBe(false);
    expect(source.positionAt(3)).toEqual({ line: 1, column: 4 });
  });

  it('round-trips offsets and positions', () => {
    const source = new SourceFile('x.nix', 'a\nbb\r\nccc');
    for (let offset = 0; offset <= source.text.length; offset += 1) {
      const pos = source.positionAt(offset);
      if (source.text[offset - 1] === '\r') continue;
      expect(source.offsetAt(pos)).toBe(offset);
    }
  });

  it('refuses to reparse after dispose', () => {
    const source = new SourceFile('x.nix', '1');
    expect(source.tree.rootNode.type).toBe('source_code');
    source.dispose();
    expect(() => source.tree).toThrow(/after dispose/);
  });
});
