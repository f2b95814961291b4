/**
 * Arazzo runtime expressions and criteria, for the subset the executor supports:
 * - expressions: $url, $method, $statusCode, $request.header.<name>, $request.body[#/pointer],
 *   $response.header.<name>, $response.body[#/pointer], $inputs.<name>[#/pointer], $outputs.<name>[#/pointer],
 *   $steps.<stepId>.outputs.<name>[#/pointer]; `{$...}` embedded in a longer string is interpolated;
 * - simple conditions: `<operand> <op> <operand>` with ==, !=, <, <=, >, >= (operands: runtime expressions,
 *   numbers, 'strings', true, false, null), a bare operand (truthy), joined by && / || (no parentheses);
 * - regex criteria: `context` must match the `condition` pattern;
 * - jsonpath criteria: `$.a.b[0] <op> <literal>` or a bare singular path (exists), evaluated on `context`.
 * Anything else raises ArazzoExpressionError rather than being guessed.
 */
import type { Criterion } from './document';

export class ArazzoExpressionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ArazzoExpressionError';
  }
}

export interface HttpExchange {
  readonly url: string;
  readonly method: string;
  readonly requestHeaders: Readonly<Record<string, string>>;
  readonly requestBody: unknown;
  readonly statusCode: number;
  readonly responseHeaders: Readonly<Record<string, string>>;
  readonly responseBody: unknown;
}

export interface ExpressionScope {
  readonly inputs: Readonly<Record<string, unknown>>;
  readonly steps: Readonly<Record<string, { readonly outputs: Readonly<Record<string, unknown>> }>>;
  readonly outputs?: Readonly<Record<string, unknown>>;
  readonly exchange?: HttpExchange;
}

const EXPRESSION_START =
  /^\$(url|method|statusCode|request\.|response\.|inputs\.|outputs\.|steps\.|workflows\.|sourceDescriptions\.|components\.)/;

export function isRuntimeExpression(value: string): boolean {
  return EXPRESSION_START.test(value);
}

/** RFC 6901 JSON Pointer. */
export function resolvePointer(value: unknown, pointer: string): unknown {
  if (pointer === '') return value;
  if (!pointer.startsWith('/')) throw new ArazzoExpressionError(`Invalid JSON pointer '${pointer}'`);
  let current = value;
  for (const raw of pointer.slice(1).split('/')) {
    const token = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(current)) {
      if (!/^(0|[1-9]\d*)$/.test(token)) return undefined;
      current = current[Number(token)];
    } else if (current !== null && typeof current === 'object') {
      current = Object.hasOwn(current, token) ? (current as Record<string, unknown>)[token] : undefined;
    } else {
      return undefined;
    }
  }
  return current;
}

function headerValue(headers: Readonly<Record<string, string>>, name: string): string | undefined {
  const wanted = name.toLowerCase();
  const key = Object.keys(headers).find((k) => k.toLowerCase() === wanted);
  return key === undefined ? undefined : headers[key];
}

function withPointer(value: unknown, pointer: string | undefined): unknown {
  return pointer === undefined ? value : resolvePointer(value, pointer);
}

/** Evaluates one runtime expression (the whole string). */
export function evaluateExpression(expression: string, scope: ExpressionScope): unknown {
  const hash = expression.indexOf('#');
  const head = hash === -1 ? expression : expression.slice(0, hash);
  const pointer = hash === -1 ? undefined : expression.slice(hash + 1);
  const needExchange = (): HttpExchange => {
    if (!scope.exchange) throw new ArazzoExpressionError(`${expression} is only available after a request`);
    return scope.exchange;
  };
  if (head === '$url') return needExchange().url;
  if (head === '$method') return needExchange().method;
  if (head === '$statusCode') return needExchange().statusCode;
  let match = /^\$(request|response)\.header\.([A-Za-z0-9!#$%&'*+.^_`|~-]+)$/.exec(head);
  if (match) {
    const exchange = needExchange();
    return headerValue(match[1] === 'request' ? exchange.requestHeaders : exchange.responseHeaders, match[2] as string);
  }
  match = /^\$(request|response)\.body$/.exec(head);
  if (match) {
    const exchange = needExchange();
    return withPointer(match[1] === 'request' ? exchange.requestBody : exchange.responseBody, pointer);
  }
  match = /^\$(inputs|outputs)\.([A-Za-z0-9.\-_]+)$/.exec(head);
  if (match) {
    const source = match[1] === 'inputs' ? scope.inputs : (scope.outputs ?? {});
    return withPointer(source[match[2] as string], pointer);
  }
  match = /^\$steps\.([A-Za-z0-9_-]+)\.outputs\.([A-Za-z0-9.\-_]+)$/.exec(head);
  if (match) {
    const step = scope.steps[match[1] as string];
    return withPointer(step?.outputs[match[2] as string], pointer);
  }
  throw new ArazzoExpressionError(`Unsupported runtime expression '${expression}'`);
}

/**
 * Evaluates a value from the document: an expression string gives its value, `{$...}` inside a string is
 * interpolated, objects and arrays are walked, anything else is a literal.
 */
export function evaluateValue(value: unknown, scope: ExpressionScope): unknown {
  if (typeof value === 'string') {
    if (isRuntimeExpression(value)) return evaluateExpression(value, scope);
    if (!value.includes('{$')) return value;
    return value.replace(/\{(\$[^{}]+)\}/g, (_, expression: string) => {
      const result = evaluateExpression(expression, scope);
      return result === undefined || result === null
        ? ''
        : typeof result === 'object'
          ? JSON.stringify(result)
          : String(result);
    });
  }
  if (Array.isArray(value)) return value.map((item) => evaluateValue(item, scope));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, evaluateValue(v, scope)]));
  }
  return value;
}

const OPERATORS = ['==', '!=', '<=', '>=', '<', '>'] as const;
type Operator = (typeof OPERATORS)[number];

function parseLiteral(token: string): { ok: true; value: unknown } | { ok: false } {
  if (/^'(?:[^'\\]|\\.|'')*'$/.test(token)) return { ok: true, value: token.slice(1, -1).replace(/''/g, "'") };
  if (/^"(?:[^"\\]|\\.)*"$/.test(token)) return { ok: true, value: token.slice(1, -1) };
  if (/^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(token)) return { ok: true, value: Number(token) };
  if (token === 'true') return { ok: true, value: true };
  if (token === 'false') return { ok: true, value: false };
  if (token === 'null') return { ok: true, value: null };
  return { ok: false };
}

function compare(left: unknown, op: Operator, right: unknown): boolean {
  const l = typeof left === 'string' && typeof right === 'number' && left.trim() !== '' ? Number(left) : left;
  const r = typeof right === 'string' && typeof left === 'number' && right.trim() !== '' ? Number(right) : right;
  switch (op) {
    case '==':
      return l === r || (l === undefined && r === null);
    case '!=':
      return !(l === r || (l === undefined && r === null));
    default: {
      if (!((typeof l === 'number' && typeof r === 'number') || (typeof l === 'string' && typeof r === 'string'))) {
        return false;
      }
      if (op === '<') return l < r;
      if (op === '<=') return l <= r;
      if (op === '>') return l > r;
      return l >= r;
    }
  }
}

/** Splits `a <op> b` at the first operator outside quotes. */
function splitComparison(text: string): { left: string; op?: Operator; right?: string } {
  let quote: string | undefined;
  for (let i = 0; i < text.length; i += 1) {
    const ch = text[i] as string;
    if (quote) {
      if (ch === quote) quote = undefined;
      continue;
    }
    if (ch === "'" || ch === '"') {
      quote = ch;
      continue;
    }
    const op = OPERATORS.find((candidate) => text.startsWith(candidate, i));
    if (op) return { left: text.slice(0, i).trim(), op, right: text.slice(i + op.length).trim() };
  }
  return { left: text.trim() };
}

function splitOutsideQuotes(text: string, separator: string): string[] {
  const parts: string[] = [];
  let quote: string | undefined;
  let start = 0;
  for (let i = 0; i < text.length; i += 1) {
    const ch = text[i] as string;
    if (quote) {
      if (ch === quote) quote = undefined;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
    } else if (text.startsWith(separator, i)) {
      parts.push(text.slice(start, i));
      start = i + separator.length;
      i += separator.length - 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

function evaluateComparison(text: string, operand: (token: string) => unknown): boolean {
  const { left, op, right } = splitComparison(text);
  if (op === undefined) return Boolean(operand(left));
  if (right === undefined || right === '') throw new ArazzoExpressionError(`Missing right operand in '${text}'`);
  return compare(operand(left), op, operand(right));
}

/** A simple condition: comparisons joined by && and ||. */
export function evaluateSimpleCondition(condition: string, scope: ExpressionScope): boolean {
  if (/[()]/.test(condition.replace(/'[^']*'|"[^"]*"/g, ''))) {
    throw new ArazzoExpressionError(`Parentheses are not supported in conditions: '${condition}'`);
  }
  const operand = (token: string): unknown => {
    const literal = parseLiteral(token);
    if (literal.ok) return literal.value;
    if (token.startsWith('$')) return evaluateExpression(token, scope);
    throw new ArazzoExpressionError(`Cannot read operand '${token}' in '${condition}'`);
  };
  return splitOutsideQuotes(condition, '||').some((disjunct) =>
    splitOutsideQuotes(disjunct, '&&').every((part) => evaluateComparison(part.trim(), operand)),
  );
}

/** A singular JSONPath query ($, .name, ['name'], [index]) applied to `root`. */
export function evaluateSingularJsonPath(path: string, root: unknown): unknown {
  if (!path.startsWith('$')) throw new ArazzoExpressionError(`JSONPath must start with $: '${path}'`);
  let rest = path.slice(1);
  let current = root;
  while (rest.length > 0) {
    let match =
      /^\.([A-Za-z_][A-Za-z0-9_-]*)/.exec(rest) ??
      /^\[\s*'([^']*)'\s*\]/.exec(rest) ??
      /^\[\s*"([^"]*)"\s*\]/.exec(rest);
    if (match) {
      const key = match[1] as string;
      current =
        current !== null && typeof current === 'object' && !Array.isArray(current) && Object.hasOwn(current, key)
          ? (current as Record<string, unknown>)[key]
          : undefined;
    } else if ((match = /^\[\s*(-?\d+)\s*\]/.exec(rest))) {
      const index = Number(match[1]);
      current = Array.isArray(current) ? current[index < 0 ? current.length + index : index] : undefined;
    } else {
      throw new ArazzoExpressionError(
        `Unsupported JSONPath '${path}' (only singular paths like $.a.b[0] are supported)`,
      );
    }
    rest = rest.slice(match[0].length);
  }
  return current;
}

export function evaluateCriterion(criterion: Criterion, scope: ExpressionScope): boolean {
  const type = criterion.type ?? 'simple';
  if (type === 'simple') {
    if (criterion.context !== undefined) {
      throw new ArazzoExpressionError("A simple criterion with 'context' is not supported");
    }
    return evaluateSimpleCondition(criterion.condition, scope);
  }
  const context = evaluateExpression(criterion.context as string, scope);
  if (type === 'regex') {
    return typeof context === 'string' && new RegExp(criterion.condition).test(context);
  }
  const operand = (token: string): unknown => {
    if (token.startsWith('$')) return evaluateSingularJsonPath(token, context);
    const literal = parseLiteral(token);
    if (literal.ok) return literal.value;
    throw new ArazzoExpressionError(`Cannot read operand '${token}' in '${criterion.condition}'`);
  };
  return splitOutsideQuotes(criterion.condition, '||').some((disjunct) =>
    splitOutsideQuotes(disjunct, '&&').every((part) => {
      const text = part.trim();
      const { op } = splitComparison(text);
      if (op === undefined) return evaluateSingularJsonPath(text, context) !== undefined;
      return evaluateComparison(text, operand);
    }),
  );
}
