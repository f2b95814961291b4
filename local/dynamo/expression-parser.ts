/**
 * DynamoDB's expression languages — condition (ConditionExpression, FilterExpression, KeyConditionExpression), update
 * (UpdateExpression) and projection (ProjectionExpression) — parsed by a small hand-written tokenizer and
 * recursive-descent parser into syntax trees that still name `#names` and `:values` by their placeholders. A tree
 * depends only on the expression's text, so it is parsed once and cached: the handlers send the same few strings on
 * every request, with different ExpressionAttributeValues (expression-binding.ts checks those against the tree).
 *
 * The parser records the errors DynamoDB reports that depend on the text alone (reserved words, unknown functions,
 * functions used where they are not allowed, redundant parentheses, repeated update clauses) as `staticError`; a
 * syntax error is thrown with DynamoDB's wording (`Syntax error; token: ":v", near: "= :v AND"`).
 */
import { isReservedWord } from './reserved-words';

/** A step of a document path: an attribute name as written, a `#name` placeholder, or a list index. */
export type PathStep = string | { readonly ref: string } | number;

export interface PathNode {
  readonly kind: 'path';
  readonly steps: readonly PathStep[];
}
export interface ValueNode {
  readonly kind: 'value';
  readonly ref: string;
}
export interface FunctionNode {
  readonly kind: 'function';
  readonly name: string;
  readonly args: readonly Operand[];
}
export interface ArithmeticNode {
  readonly kind: 'arithmetic';
  readonly operator: '+' | '-';
  readonly left: Operand;
  readonly right: Operand;
}
export type Operand = PathNode | ValueNode | FunctionNode | ArithmeticNode;

export type Comparator = '=' | '<>' | '<' | '<=' | '>' | '>=';
export type Condition =
  | { readonly kind: 'and' | 'or'; readonly left: Condition; readonly right: Condition }
  | { readonly kind: 'not'; readonly operand: Condition }
  | { readonly kind: 'compare'; readonly operator: Comparator; readonly left: Operand; readonly right: Operand }
  | { readonly kind: 'between'; readonly subject: Operand; readonly low: Operand; readonly high: Operand }
  | { readonly kind: 'in'; readonly subject: Operand; readonly list: readonly Operand[] }
  | { readonly kind: 'call'; readonly call: FunctionNode };

/** A condition that AND, OR and NOT combine: a comparison, BETWEEN, IN or a function call. */
export type ConditionLeaf = Exclude<Condition, { readonly kind: 'and' | 'or' | 'not' }>;

/** A condition's leaves, left to right (the order DynamoDB checks them in). */
export function* conditionLeaves(condition: Condition): Generator<ConditionLeaf> {
  switch (condition.kind) {
    case 'and':
    case 'or':
      yield* conditionLeaves(condition.left);
      yield* conditionLeaves(condition.right);
      return;
    case 'not':
      yield* conditionLeaves(condition.operand);
      return;
    default:
      yield condition;
  }
}

export type UpdateAction =
  | { readonly kind: 'set'; readonly path: PathNode; readonly value: Operand }
  | { readonly kind: 'remove'; readonly path: PathNode }
  | { readonly kind: 'add' | 'delete'; readonly path: PathNode; readonly value: ValueNode };

export interface Parsed<T> {
  readonly tree: T;
  /** The first error DynamoDB reports from the text alone, after syntax: it outranks every value-dependent one. */
  readonly staticError?: string;
}

export class ExpressionSyntaxError extends Error {}

/** Functions of condition expressions and how many operands each takes. */
export const CONDITION_FUNCTIONS: Readonly<Record<string, number>> = {
  attribute_exists: 1,
  attribute_not_exists: 1,
  attribute_type: 2,
  begins_with: 2,
  contains: 2,
  size: 1,
};
/** Functions of update expressions and how many operands each takes. */
export const UPDATE_FUNCTIONS: Readonly<Record<string, number>> = { if_not_exists: 2, list_append: 2 };

// ---------------------------------------------------------------------------------------------------------------
// Tokens

type TokenKind = 'name' | 'ref' | 'value' | 'index' | 'punct' | 'eof';
interface Token {
  readonly kind: TokenKind;
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

const COMPARATORS = ['=', '<>', '<', '<=', '>', '>='];
const PUNCTUATION = ['<>', '<=', '>=', '=', '<', '>', '(', ')', '[', ']', ',', '.', '+', '-'];

function isNameStart(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95;
}
function isNamePart(code: number): boolean {
  return isNameStart(code) || (code >= 48 && code <= 57);
}
function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const fail = (start: number, end: number): never => {
    const token: Token = { kind: 'punct', text: source.slice(start, end), start, end };
    throw syntaxError(source, [...tokens, token], tokens.length);
  };
  while (i < source.length) {
    const code = source.charCodeAt(i);
    if (code === 32 || code === 9 || code === 10 || code === 13) {
      i++;
      continue;
    }
    const start = i;
    if (isNameStart(code)) {
      while (i < source.length && isNamePart(source.charCodeAt(i))) i++;
      tokens.push({ kind: 'name', text: source.slice(start, i), start, end: i });
    } else if (code === 35 || code === 58) {
      // #name and :value: one or more letters, digits or underscores.
      i++;
      while (i < source.length && isNamePart(source.charCodeAt(i))) i++;
      if (i === start + 1) fail(start, i);
      tokens.push({ kind: code === 35 ? 'ref' : 'value', text: source.slice(start, i), start, end: i });
    } else if (isDigit(code)) {
      while (i < source.length && isDigit(source.charCodeAt(i))) i++;
      tokens.push({ kind: 'index', text: source.slice(start, i), start, end: i });
    } else {
      const punct = PUNCTUATION.find((p) => source.startsWith(p, i));
      if (punct === undefined) fail(start, start + 1);
      i += punct!.length;
      tokens.push({ kind: 'punct', text: punct!, start, end: i });
    }
  }
  tokens.push({ kind: 'eof', text: '<EOF>', start: source.length, end: source.length });
  return tokens;
}

/** DynamoDB's syntax error: the offending token and the text from the token before it to the token after it. */
function syntaxError(source: string, tokens: readonly Token[], at: number): ExpressionSyntaxError {
  const token = tokens[at]!;
  const before = tokens[at - 1] ?? token;
  const after = tokens[at + 1] !== undefined && tokens[at + 1]!.kind !== 'eof' ? tokens[at + 1]! : token;
  const near = source.slice(before.start, Math.max(after.end, before.end));
  return new ExpressionSyntaxError(`Syntax error; token: "${token.text}", near: "${near}"`);
}

// ---------------------------------------------------------------------------------------------------------------
// Parser

/** Static error categories in DynamoDB's order of precedence, per expression language. */
const CONDITION_STATIC_ORDER = ['parens', 'unknownFunction', 'misusedFunction', 'reserved'] as const;
const UPDATE_STATIC_ORDER = ['reserved', 'unknownFunction', 'section'] as const;
const PROJECTION_STATIC_ORDER = ['reserved'] as const;
type StaticCategory = 'parens' | 'unknownFunction' | 'misusedFunction' | 'reserved' | 'section';

class Parser {
  private position = 0;
  private errors: Partial<Record<StaticCategory, string>> = {};
  private furthest: { at: number; error: ExpressionSyntaxError } | undefined;
  private readonly parenthesized = new WeakSet<object>();
  /** Positions where a parenthesized condition was tried and was not one: tried once only, so parsing stays linear. */
  private readonly notConditionGroups = new Set<number>();

  constructor(
    private readonly source: string,
    private readonly tokens: readonly Token[],
    private readonly functions: Readonly<Record<string, number>>,
    /** Words of the language itself, never attribute or function names: AND, OR, NOT… or SET, REMOVE… */
    private readonly keywords: ReadonlySet<string>,
  ) {}

  private isName(offset = 0): boolean {
    const token = this.peek(offset);
    return token.kind === 'name' && !this.keywords.has(token.text.toUpperCase());
  }

  staticError(order: readonly StaticCategory[]): string | undefined {
    for (const category of order) if (this.errors[category] !== undefined) return this.errors[category];
    return undefined;
  }

  private flag(category: StaticCategory, message: string): void {
    this.errors[category] ??= message;
  }

  private peek(offset = 0): Token {
    return this.tokens[Math.min(this.position + offset, this.tokens.length - 1)]!;
  }

  private advance(): Token {
    const token = this.peek();
    if (token.kind !== 'eof') this.position++;
    return token;
  }

  private fail(): never {
    const error = syntaxError(this.source, this.tokens, this.position);
    if (this.furthest === undefined || this.position >= this.furthest.at) {
      this.furthest = { at: this.position, error };
    }
    throw this.furthest.error;
  }

  private isPunct(text: string, offset = 0): boolean {
    const token = this.peek(offset);
    return token.kind === 'punct' && token.text === text;
  }

  private isKeyword(word: string): boolean {
    const token = this.peek();
    return token.kind === 'name' && token.text.toUpperCase() === word;
  }

  private expectPunct(text: string): void {
    if (!this.isPunct(text)) this.fail();
    this.advance();
  }

  expectEnd(): void {
    if (this.peek().kind !== 'eof') this.fail();
  }

  // Condition: OR binds loosest, then AND, then NOT; comparisons, BETWEEN, IN and functions are the leaves.

  condition(): Condition {
    const tree = this.or();
    this.checkMisusedSize(tree);
    return tree;
  }

  private or(): Condition {
    let left = this.and();
    while (this.isKeyword('OR')) {
      this.advance();
      const right = this.and();
      this.checkMisusedSize(left);
      this.checkMisusedSize(right);
      left = { kind: 'or', left, right };
    }
    return left;
  }

  private and(): Condition {
    let left = this.not();
    while (this.isKeyword('AND')) {
      this.advance();
      const right = this.not();
      this.checkMisusedSize(left);
      this.checkMisusedSize(right);
      left = { kind: 'and', left, right };
    }
    return left;
  }

  /** NOT applies to one comparison or parenthesized condition: `NOT NOT a` is a syntax error in DynamoDB. */
  private not(): Condition {
    if (this.isKeyword('NOT')) {
      this.advance();
      const operand = this.primary();
      this.checkMisusedSize(operand);
      return { kind: 'not', operand };
    }
    return this.primary();
  }

  private primary(): Condition {
    if (this.isPunct('(') && !this.notConditionGroups.has(this.position)) {
      const saved = { position: this.position, errors: { ...this.errors } };
      try {
        this.advance();
        const inner = this.or();
        this.expectPunct(')');
        // `(size(a)) > :n`: what the parentheses held was an operand.
        if (this.startsComparison()) this.fail();
        if (this.parenthesized.has(inner)) this.flag('parens', 'The expression has redundant parentheses;');
        // A new node, so that only directly nested parentheses count as redundant.
        const wrapped: Condition = { ...inner };
        this.parenthesized.add(wrapped);
        return wrapped;
      } catch (error) {
        if (!(error instanceof ExpressionSyntaxError)) throw error;
        // Not a parenthesized condition: a comparison whose first operand is in parentheses.
        this.notConditionGroups.add(saved.position);
        this.position = saved.position;
        this.errors = saved.errors;
      }
    }
    return this.comparison();
  }

  private startsComparison(): boolean {
    const token = this.peek();
    return (
      (token.kind === 'punct' && COMPARATORS.includes(token.text)) || this.isKeyword('BETWEEN') || this.isKeyword('IN')
    );
  }

  private comparison(): Condition {
    const left = this.conditionOperand();
    const token = this.peek();
    if (token.kind === 'punct' && COMPARATORS.includes(token.text)) {
      this.advance();
      const right = this.conditionOperand();
      this.checkMisusedFunctions([left, right]);
      return { kind: 'compare', operator: token.text as Comparator, left, right };
    }
    if (this.isKeyword('BETWEEN')) {
      this.advance();
      const low = this.conditionOperand();
      if (!this.isKeyword('AND')) this.fail();
      this.advance();
      const high = this.conditionOperand();
      this.checkMisusedFunctions([left, low, high]);
      return { kind: 'between', subject: left, low, high };
    }
    if (this.isKeyword('IN')) {
      this.advance();
      this.expectPunct('(');
      const list = [this.conditionOperand()];
      while (this.isPunct(',')) {
        this.advance();
        list.push(this.conditionOperand());
      }
      this.expectPunct(')');
      this.checkMisusedFunctions([left, ...list]);
      return { kind: 'in', subject: left, list };
    }
    if (left.kind === 'function' && !this.parenthesized.has(left)) return { kind: 'call', call: left };
    return this.fail();
  }

  private conditionOperand(): Operand {
    if (this.isPunct('(')) {
      this.advance();
      const inner = this.conditionOperand();
      this.expectPunct(')');
      // One pair around an operand is allowed, a second one is redundant.
      if (this.parenthesized.has(inner)) this.flag('parens', 'The expression has redundant parentheses;');
      this.parenthesized.add(inner);
      return inner;
    }
    if (this.isName() && this.isPunct('(', 1)) {
      const call = this.call(() => this.conditionOperand());
      this.checkMisusedFunctions(call.args);
      return call;
    }
    return this.pathOrValue();
  }

  private checkMisusedFunctions(operands: readonly Operand[]): void {
    for (const operand of operands) {
      if (operand.kind === 'function' && operand.name !== 'size') {
        this.flag(
          'misusedFunction',
          `The function is not allowed to be used this way in an expression; function: ${operand.name}`,
        );
        return;
      }
    }
  }

  private checkMisusedSize(condition: Condition): void {
    if (condition.kind === 'call' && condition.call.name === 'size') {
      this.flag('misusedFunction', 'The function is not allowed to be used this way in an expression; function: size');
    }
  }

  private call(argument: () => Operand): FunctionNode {
    const name = this.advance().text;
    this.expectPunct('(');
    const args = [argument()];
    while (this.isPunct(',')) {
      this.advance();
      args.push(argument());
    }
    this.expectPunct(')');
    if (!Object.hasOwn(this.functions, name)) this.flag('unknownFunction', `Invalid function name; function: ${name}`);
    return { kind: 'function', name, args };
  }

  private pathOrValue(): PathNode | ValueNode {
    const token = this.peek();
    if (token.kind === 'value') {
      this.advance();
      return { kind: 'value', ref: token.text };
    }
    return this.path();
  }

  path(): PathNode {
    const steps: PathStep[] = [this.pathName()];
    for (;;) {
      if (this.isPunct('.')) {
        this.advance();
        steps.push(this.pathName());
      } else if (this.isPunct('[')) {
        this.advance();
        const index = this.peek();
        if (index.kind !== 'index') this.fail();
        this.advance();
        this.expectPunct(']');
        steps.push(Number(index.text));
      } else {
        return { kind: 'path', steps };
      }
    }
  }

  private pathName(): PathStep {
    const token = this.peek();
    if (token.kind === 'ref') {
      this.advance();
      return { ref: token.text };
    }
    if (!this.isName()) this.fail();
    this.advance();
    if (isReservedWord(token.text)) {
      this.flag('reserved', `Attribute name is a reserved keyword; reserved keyword: ${token.text}`);
    }
    return token.text;
  }

  // Update: clauses SET, REMOVE, ADD, DELETE, each at most once, in any order.

  update(): UpdateAction[] {
    const actions: UpdateAction[] = [];
    const seen = new Set<string>();
    do {
      const clause = this.peek().kind === 'name' ? this.peek().text.toUpperCase() : '';
      if (!['SET', 'REMOVE', 'ADD', 'DELETE'].includes(clause)) this.fail();
      this.advance();
      if (seen.has(clause)) {
        this.flag('section', `The "${clause}" section can only be used once in an update expression;`);
      }
      seen.add(clause);
      do {
        if (actions.length > 0 && this.isPunct(',')) this.advance();
        actions.push(this.updateAction(clause));
      } while (this.isPunct(','));
    } while (this.peek().kind !== 'eof');
    return actions;
  }

  private updateAction(clause: string): UpdateAction {
    const path = this.path();
    if (clause === 'SET') {
      this.expectPunct('=');
      return { kind: 'set', path, value: this.setValue() };
    }
    if (clause === 'REMOVE') return { kind: 'remove', path };
    const token = this.peek();
    if (token.kind !== 'value') this.fail();
    this.advance();
    return { kind: clause === 'ADD' ? 'add' : 'delete', path, value: { kind: 'value', ref: token.text } };
  }

  private setValue(): Operand {
    const left = this.updateOperand();
    if (this.isPunct('+') || this.isPunct('-')) {
      const operator = this.advance().text as '+' | '-';
      const right = this.updateOperand();
      return { kind: 'arithmetic', operator, left, right };
    }
    return left;
  }

  private updateOperand(): Operand {
    if (this.isPunct('(')) {
      this.advance();
      const inner = this.setValue();
      this.expectPunct(')');
      return inner;
    }
    if (this.isName() && this.isPunct('(', 1)) return this.call(() => this.updateOperand());
    const token = this.peek();
    if (token.kind === 'value') {
      this.advance();
      return { kind: 'value', ref: token.text };
    }
    return this.path();
  }

  // Projection: paths separated by commas.

  projection(): PathNode[] {
    const paths = [this.path()];
    while (this.isPunct(',')) {
      this.advance();
      paths.push(this.path());
    }
    return paths;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Cached entry points

const CACHE_LIMIT = 2000;
/** DynamoDB's limit on an expression's length. */
export const MAX_EXPRESSION_BYTES = 4096;

function cached<T>(cache: Map<string, Parsed<T> | ExpressionSyntaxError>, source: string, parse: () => Parsed<T>) {
  let entry = cache.get(source);
  if (entry === undefined) {
    if (Buffer.byteLength(source) > MAX_EXPRESSION_BYTES) {
      throw new ExpressionSyntaxError(
        `Expression size has exceeded the maximum allowed size; expression size: ${Buffer.byteLength(source)}`,
      );
    }
    try {
      entry = parse();
    } catch (error) {
      if (error instanceof RangeError) throw new ExpressionSyntaxError('The expression is nested too deeply');
      if (!(error instanceof ExpressionSyntaxError)) throw error;
      entry = error;
    }
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(source, entry);
  }
  if (entry instanceof ExpressionSyntaxError) throw entry;
  return entry;
}

const CONDITION_KEYWORDS: ReadonlySet<string> = new Set(['AND', 'OR', 'NOT', 'BETWEEN', 'IN']);
const UPDATE_KEYWORDS: ReadonlySet<string> = new Set(['SET', 'REMOVE', 'ADD', 'DELETE']);

function run<T>(
  source: string,
  language: { functions: Readonly<Record<string, number>>; keywords: ReadonlySet<string> },
  order: readonly StaticCategory[],
  rule: (parser: Parser) => T,
): Parsed<T> {
  const parser = new Parser(source, tokenize(source), language.functions, language.keywords);
  const tree = rule(parser);
  parser.expectEnd();
  const staticError = parser.staticError(order);
  return staticError === undefined ? { tree } : { tree, staticError };
}

const conditions = new Map<string, Parsed<Condition> | ExpressionSyntaxError>();
const updates = new Map<string, Parsed<UpdateAction[]> | ExpressionSyntaxError>();
const projections = new Map<string, Parsed<PathNode[]> | ExpressionSyntaxError>();

/** Throws ExpressionSyntaxError with DynamoDB's message when `source` is not a condition expression. */
export function parseCondition(source: string): Parsed<Condition> {
  return cached(conditions, source, () =>
    run(source, { functions: CONDITION_FUNCTIONS, keywords: CONDITION_KEYWORDS }, CONDITION_STATIC_ORDER, (parser) =>
      parser.condition(),
    ),
  );
}

export function parseUpdate(source: string): Parsed<UpdateAction[]> {
  return cached(updates, source, () =>
    run(source, { functions: UPDATE_FUNCTIONS, keywords: UPDATE_KEYWORDS }, UPDATE_STATIC_ORDER, (parser) =>
      parser.update(),
    ),
  );
}

export function parseProjection(source: string): Parsed<PathNode[]> {
  return cached(projections, source, () =>
    run(source, { functions: {}, keywords: new Set() }, PROJECTION_STATIC_ORDER, (parser) => parser.projection()),
  );
}
