import type { GrammarTables } from '../syntax-tree.js';
import type {
  CompiledPattern,
  NodePattern,
  Pattern,
  Predicate,
  PredicateArgument,
  Quantifier,
  Sequence,
  SequenceItem,
} from './ast.js';

/** Predicates the matcher evaluates (tree-sitter's node binding names, `any-` variants included). */
const PREDICATE_OPERATORS = new Set([
  'eq?', 'not-eq?', 'any-eq?', 'any-not-eq?',
  'match?', 'not-match?', 'any-match?', 'any-not-match?',
  'any-of?', 'not-any-of?',
]);

/** What parsing a query source produces. */
export interface ParsedQuery {
  patterns: CompiledPattern[];
  captureNames: string[];
}

function isIdentifierStart(ch: string): boolean {
  return /[A-Za-z0-9_-]/.test(ch);
}

function isIdentifierPart(ch: string): boolean {
  return /[A-Za-z0-9_\-.?!]/.test(ch);
}

/** Resolves type and field names against the grammar, remembering the answers. */
class GrammarNames {
  private readonly namedSymbols = new Map<string, Uint8Array>();
  private readonly anonymousSymbols = new Map<string, Uint8Array>();

  constructor(readonly tables: GrammarTables) {
    const size = tables.symbolNames.length;
    tables.symbolNames.forEach((name, id) => {
      const map = tables.symbolNamed[id] ? this.namedSymbols : this.anonymousSymbols;
      let set = map.get(name);
      if (set === undefined) {
        set = new Uint8Array(size);
        map.set(name, set);
      }
      set[id] = 1;
    });
  }

  symbols(name: string, named: boolean): Uint8Array | undefined {
    return (named ? this.namedSymbols : this.anonymousSymbols).get(name);
  }

  field(name: string): number {
    const id = this.tables.fieldNames.indexOf(name);
    return id <= 0 ? 0 : id;
  }
}

/** A recursive-descent parser for tree-sitter's query language. Pattern nesting is shallow, so recursion is fine. */
class QueryParser {
  private pos = 0;
  private readonly captureIds = new Map<string, number>();
  readonly captureNames: string[] = [];
  private predicates: Predicate[] = [];

  constructor(
    private readonly source: string,
    private readonly names: GrammarNames,
  ) {}

  parse(): ParsedQuery {
    const patterns: CompiledPattern[] = [];
    for (;;) {
      this.skipSpace();
      if (this.pos >= this.source.length) break;
      const offset = this.pos;
      this.predicates = [];
      const item = this.parseItem(true);
      if (item.quantifier !== '') this.fail(`a top-level pattern cannot have a quantifier ('${item.quantifier}')`, offset);
      const root = item.pattern;
      patterns.push({ root, predicates: this.predicates, offset });
    }
    if (patterns.length === 0) this.fail('the query has no patterns', 0);
    return { patterns, captureNames: this.captureNames };
  }

  /** Throws an Error naming the line and column of `at` (default: the current position). */
  private fail(message: string, at: number = this.pos): never {
    const before = this.source.slice(0, at);
    const line = before.split('\n').length;
    const column = at - (before.lastIndexOf('\n') + 1) + 1;
    throw new Error(`Invalid query at line ${line}, column ${column}: ${message}`);
  }

  private describeNext(): string {
    if (this.pos >= this.source.length) return 'the end of the query';
    return JSON.stringify(this.source.slice(this.pos, this.pos + 12).split('\n')[0]);
  }

  private skipSpace(): void {
    const s = this.source;
    while (this.pos < s.length) {
      const ch = s[this.pos]!;
      if (ch === ';') {
        while (this.pos < s.length && s[this.pos] !== '\n') this.pos += 1;
      } else if (/\s/.test(ch)) {
        this.pos += 1;
      } else {
        break;
      }
    }
  }

  private peek(): string {
    return this.source[this.pos] ?? '';
  }

  private expect(ch: string): void {
    this.skipSpace();
    if (this.peek() !== ch) this.fail(`expected '${ch}' but found ${this.describeNext()}`);
    this.pos += 1;
  }

  private readIdentifier(what: string): string {
    const start = this.pos;
    if (!isIdentifierStart(this.peek())) this.fail(`expected ${what} but found ${this.describeNext()}`);
    while (this.pos < this.source.length && isIdentifierPart(this.source[this.pos]!)) this.pos += 1;
    return this.source.slice(start, this.pos);
  }

  private readString(): string {
    const start = this.pos;
    this.pos += 1; // opening quote
    let value = '';
    for (;;) {
      if (this.pos >= this.source.length) this.fail('unterminated string', start);
      const ch = this.source[this.pos]!;
      this.pos += 1;
      if (ch === '"') return value;
      if (ch === '\\') {
        const escaped = this.source[this.pos] ?? '';
        this.pos += 1;
        value += escaped === 'n' ? '\n' : escaped === 't' ? '\t' : escaped === 'r' ? '\r' : escaped === '0' ? '\0' : escaped;
      } else {
        value += ch;
      }
    }
  }

  private captureId(name: string): number {
    let id = this.captureIds.get(name);
    if (id === undefined) {
      id = this.captureNames.length;
      this.captureIds.set(name, id);
      this.captureNames.push(name);
    }
    return id;
  }

  private resolveField(name: string, at: number): number {
    const id = this.names.field(name);
    if (id === 0) this.fail(`unknown field name "${name}"`, at);
    return id;
  }

  /**
   * One pattern with its optional field prefix and its suffixes (quantifier, captures). `topLevel` forbids
   * what only makes sense among children (fields, anchors and quantifiers are checked by the caller).
   */
  private parseItem(topLevel: boolean): { pattern: Pattern; quantifier: Quantifier } {
    this.skipSpace();
    let field = 0;
    const start = this.pos;
    if (isIdentifierStart(this.peek()) && !(this.peek() === '_' && !isIdentifierPart(this.source[this.pos + 1] ?? ''))) {
      const name = this.readIdentifier('a field name');
      this.skipSpace();
      if (this.peek() !== ':') this.fail(`expected a pattern but found the bare name "${name}" (write (${name}) for a node or ${name}: for a field)`, start);
      if (topLevel) this.fail(`a top-level pattern cannot have a field ("${name}:")`, start);
      this.pos += 1;
      field = this.resolveField(name, start);
      this.skipSpace();
    }
    const pattern = this.parsePrimary();
    if (field !== 0) applyField(pattern, field);

    let quantifier: Quantifier = '';
    for (;;) {
      this.skipSpace();
      const ch = this.peek();
      if (ch === '?' || ch === '*' || ch === '+') {
        if (quantifier !== '') this.fail(`a pattern can have one quantifier only, found a second '${ch}'`);
        quantifier = ch;
        this.pos += 1;
      } else if (ch === '@') {
        this.pos += 1;
        const name = this.readIdentifier('a capture name after @');
        applyCapture(pattern, this.captureId(name));
      } else {
        break;
      }
    }
    return { pattern, quantifier };
  }

  private parsePrimary(): Pattern {
    const at = this.pos;
    const ch = this.peek();
    if (ch === '"') {
      const value = this.readString();
      const symbols = this.names.symbols(value, false);
      if (symbols === undefined) this.fail(`unknown node type "${value}" (no anonymous node has this text)`, at);
      return nodePattern({ symbols, typeName: value });
    }
    if (ch === '_') {
      this.pos += 1;
      return nodePattern({ named: false });
    }
    if (ch === '[') {
      this.pos += 1;
      const branches: Pattern[] = [];
      for (;;) {
        this.skipSpace();
        if (this.peek() === ']') break;
        if (this.pos >= this.source.length) this.fail("expected ']' to close the alternation", at);
        const item = this.parseItem(false);
        branches.push(item.quantifier === '' ? item.pattern : { kind: 'group', sequence: { items: [{ pattern: item.pattern, quantifier: item.quantifier, anchored: false }] } });
      }
      this.pos += 1;
      if (branches.length === 0) this.fail('an alternation needs at least one branch', at);
      return { kind: 'alternation', branches };
    }
    if (ch === '(') return this.parseParenthesised();
    this.fail(`expected a pattern but found ${this.describeNext()}`);
  }

  /** `(type ...)`, `(_ ...)`, `(MISSING ...)`, `(ERROR ...)` or a group `((a) (b))`. */
  private parseParenthesised(): Pattern {
    const at = this.pos;
    this.pos += 1;
    this.skipSpace();
    const ch = this.peek();
    if (ch === '(' || ch === '[' || ch === '"' || ch === '.') {
      const sequence = this.parseSequence(at);
      if (sequence.items.length === 0) this.fail('a group needs at least one pattern', at);
      return { kind: 'group', sequence };
    }
    if (ch === ')') this.fail('empty parentheses: expected a node type, _ or a group', at);
    const typeAt = this.pos;
    let pattern: NodePattern;
    if (ch === '_' && !isIdentifierPart(this.source[this.pos + 1] ?? '')) {
      this.pos += 1;
      pattern = nodePattern({ named: true });
    } else {
      const name = this.readIdentifier('a node type');
      if (this.peek() === '/') this.fail(`supertype patterns (${name}/...) are not supported`, typeAt);
      if (name === 'ERROR') {
        pattern = nodePattern({ error: true, typeName: 'ERROR' });
      } else if (name === 'MISSING') {
        this.skipSpace();
        if (this.peek() === ')') {
          pattern = nodePattern({ missing: true });
        } else {
          const innerAt = this.pos;
          const named = this.peek() !== '"';
          const inner = named ? this.readIdentifier('a node type after MISSING') : this.readString();
          const symbols = this.names.symbols(inner, named);
          if (symbols === undefined) this.fail(`unknown node type ${named ? inner : JSON.stringify(inner)} after MISSING`, innerAt);
          pattern = nodePattern({ missing: true, symbols, typeName: inner });
        }
      } else {
        const symbols = this.names.symbols(name, true);
        if (symbols === undefined) {
          const hint = this.names.symbols(name, false) ? ` (an anonymous node; write "${name}")` : '';
          this.fail(`unknown node type "${name}"${hint}`, typeAt);
        }
        pattern = nodePattern({ symbols, typeName: name });
      }
    }
    pattern.children = this.parseSequence(at, pattern);
    return pattern;
  }

  /**
   * Child items up to the closing `)`, with anchors, negated fields (when `owner` is a node) and predicates.
   * The closing parenthesis is consumed.
   */
  private parseSequence(openAt: number, owner?: NodePattern): Sequence {
    const items: SequenceItem[] = [];
    let anchored = false;
    for (;;) {
      this.skipSpace();
      const ch = this.peek();
      if (ch === '') this.fail("expected ')' to close the pattern", openAt);
      if (ch === ')') {
        this.pos += 1;
        if (anchored) {
          const last = items[items.length - 1];
          if (last === undefined) this.fail("an anchor '.' needs a pattern before or after it", this.pos - 1);
          applyLastChild(last.pattern);
        }
        return { items };
      }
      if (ch === '.') {
        if (anchored) this.fail("two anchors '.' in a row");
        this.pos += 1;
        anchored = true;
        continue;
      }
      if (ch === '!') {
        const at = this.pos;
        this.pos += 1;
        if (owner === undefined) this.fail('a negated field (!field) belongs inside a node pattern', at);
        owner.negatedFields.push(this.resolveField(this.readIdentifier('a field name after !'), at + 1));
        continue;
      }
      if (ch === '(' && this.source[this.pos + 1] === '#') {
        this.parsePredicate();
        continue;
      }
      const { pattern, quantifier } = this.parseItem(false);
      items.push({ pattern, quantifier, anchored });
      anchored = false;
    }
  }

  private parsePredicate(): void {
    const at = this.pos;
    this.pos += 2; // "(#"
    const operator = this.readIdentifier('a predicate name after #');
    const args: PredicateArgument[] = [];
    for (;;) {
      this.skipSpace();
      const ch = this.peek();
      if (ch === ')') {
        this.pos += 1;
        break;
      }
      if (ch === '') this.fail(`expected ')' to close the predicate #${operator}`, at);
      if (ch === '@') {
        this.pos += 1;
        const nameAt = this.pos;
        const name = this.readIdentifier('a capture name after @');
        const capture = this.captureIds.get(name);
        if (capture === undefined) this.fail(`the predicate #${operator} refers to @${name}, which no pattern captures before it`, nameAt);
        args.push({ capture });
      } else if (ch === '"') {
        args.push({ text: this.readString() });
      } else {
        args.push({ text: this.readIdentifier('a predicate argument') });
      }
    }
    this.predicates.push(checkPredicate(operator, args, (message) => this.fail(message, at)));
  }
}

function checkPredicate(operator: string, args: PredicateArgument[], fail: (message: string) => never): Predicate {
  if (!PREDICATE_OPERATORS.has(operator)) fail(`unknown predicate #${operator} (supported: ${[...PREDICATE_OPERATORS].map((o) => `#${o}`).join(' ')})`);
  const first = args[0];
  if (first === undefined || !('capture' in first)) fail(`the first argument of #${operator} must be a capture`);
  if (operator.endsWith('any-of?')) {
    if (args.slice(1).some((arg) => !('text' in arg))) fail(`the values of #${operator} must be strings`);
    return { operator, arguments: args, values: args.slice(1).map((arg) => (arg as { text: string }).text) };
  }
  if (args.length !== 2) fail(`#${operator} takes 2 arguments, got ${args.length}`);
  if (operator.endsWith('match?')) {
    const pattern = args[1]!;
    if (!('text' in pattern)) fail(`the second argument of #${operator} must be a string (a regular expression)`);
    let regex: RegExp;
    try {
      regex = new RegExp(pattern.text);
    } catch (error) {
      fail(`#${operator}: invalid regular expression ${JSON.stringify(pattern.text)}: ${(error as Error).message}`);
    }
    return { operator, arguments: args, regex };
  }
  const second = args[1]!;
  return 'text' in second ? { operator, arguments: args, values: [second.text] } : { operator, arguments: args };
}

function nodePattern(init: Partial<NodePattern>): NodePattern {
  return {
    kind: 'node',
    symbols: null,
    typeName: null,
    error: false,
    acceptsError: false,
    named: true,
    missing: false,
    field: 0,
    negatedFields: [],
    children: { items: [] },
    required: [],
    captures: [],
    lastChild: false,
    ...init,
  };
}

/** Captures and fields written on a group or alternation apply to its first step (every branch), as in tree-sitter. */
function applyCapture(pattern: Pattern, capture: number): void {
  forFirstNodes(pattern, (node) => node.captures.push(capture));
}

function applyField(pattern: Pattern, field: number): void {
  forFirstNodes(pattern, (node) => {
    node.field = field;
  });
}

function forFirstNodes(pattern: Pattern, apply: (node: NodePattern) => void): void {
  if (pattern.kind === 'node') apply(pattern);
  else if (pattern.kind === 'alternation') for (const branch of pattern.branches) forFirstNodes(branch, apply);
  else if (pattern.sequence.items[0]) forFirstNodes(pattern.sequence.items[0].pattern, apply);
}

function applyLastChild(pattern: Pattern): void {
  if (pattern.kind === 'node') pattern.lastChild = true;
  else if (pattern.kind === 'alternation') for (const branch of pattern.branches) applyLastChild(branch);
  else {
    const items = pattern.sequence.items;
    if (items.length > 0) applyLastChild(items[items.length - 1]!.pattern);
  }
}

const namesByGrammar = new WeakMap<GrammarTables, GrammarNames>();

/** Parses `source` against the grammar's tables; throws an Error with line, column and cause when it is invalid. */
export function parseQuery(source: string, tables: GrammarTables): ParsedQuery {
  let names = namesByGrammar.get(tables);
  if (names === undefined) {
    names = new GrammarNames(tables);
    namesByGrammar.set(tables, names);
  }
  return new QueryParser(source, names).parse();
}
