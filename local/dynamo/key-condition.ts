/**
 * Query's KeyConditionExpression: a parsed condition (expression-parser.ts) reduced to at most one condition per key
 * attribute — the partition key with `=`, the sort key with `=`, `<`, `<=`, `>`, `>=`, BETWEEN or begins_with — with
 * DynamoDB's messages for anything else (OR, NOT, IN, `<>`, other functions, nested paths, two attributes in one
 * comparison), then checked against the table's key schema.
 */
import { type AttributeValue, beginsWith, compareScalars, type Item, orderHolds, typeOf } from './attribute-values';
import { validationError } from './errors';
import type { ExpressionInput } from './expression-binding';
import { type Condition, conditionLeaves, type Operand } from './expression-parser';
import type { KeyAttribute as KeyAttributeOf, KeyType, Table } from './table';

export type KeyOperator = '=' | '<' | '<=' | '>' | '>=' | 'BETWEEN' | 'BEGINS_WITH';

export interface KeyCondition {
  readonly operator: KeyOperator;
  readonly values: readonly AttributeValue[];
}

/** Flips a comparison written `:value < key` into `key > :value`. */
const FLIPPED: Readonly<Record<string, KeyOperator>> = { '=': '=', '<': '>', '<=': '>=', '>': '<', '>=': '<=' };
/** The types each operator accepts, as DynamoDB's legacy ComparisonOperator names them in its messages. */
const OPERATORS: Readonly<Record<KeyOperator, { readonly name: string; readonly types: readonly string[] }>> = {
  '=': { name: 'EQ', types: ['S', 'N', 'B', 'SS', 'NS', 'BS'] },
  '<': { name: 'LT', types: ['S', 'N', 'B'] },
  '<=': { name: 'LE', types: ['S', 'N', 'B'] },
  '>': { name: 'GT', types: ['S', 'N', 'B'] },
  '>=': { name: 'GE', types: ['S', 'N', 'B'] },
  BETWEEN: { name: 'BETWEEN', types: ['S', 'N', 'B'] },
  BEGINS_WITH: { name: 'BEGINS_WITH', types: ['S', 'B'] },
};

const invalidOperator = (operator: string) =>
  validationError(`Invalid operator used in KeyConditionExpression: ${operator}`);
const invalidCondition = (why: string) => validationError(`Invalid condition in KeyConditionExpression: ${why}`);

/** The conditions of a checked KeyConditionExpression, by attribute name. */
export function keyConditions(condition: Condition, input: ExpressionInput): Map<string, KeyCondition> {
  const conditions = new Map<string, KeyCondition>();
  collect(condition, input, conditions);
  for (const [, { operator, values }] of conditions) {
    const { name, types } = OPERATORS[operator];
    const wrong = values.map(typeOf).find((type) => !types.includes(type));
    if (wrong !== undefined) {
      throw validationError(
        `One or more parameter values were invalid: ComparisonOperator ${name} is not valid for ${wrong} AttributeValue type`,
      );
    }
  }
  if (conditions.size !== 1 && conditions.size !== 2) throw validationError('Conditions can be of length 1 or 2 only');
  return conditions;
}

function collect(condition: Condition, input: ExpressionInput, conditions: Map<string, KeyCondition>): void {
  switch (condition.kind) {
    case 'and':
      collect(condition.left, input, conditions);
      collect(condition.right, input, conditions);
      return;
    case 'or':
    case 'not':
    case 'in':
      throw invalidOperator(condition.kind.toUpperCase());
    case 'compare':
      if (condition.operator === '<>') throw invalidOperator('<>');
      add(condition.operator, [condition.left, condition.right], input, conditions);
      return;
    case 'between':
      if (condition.subject.kind !== 'path') {
        throw invalidCondition('BETWEEN operator must have the key attribute as its first operand');
      }
      add('BETWEEN', [condition.subject, condition.low, condition.high], input, conditions);
      return;
    case 'call': {
      const { name, args } = condition.call;
      if (name === 'size') throw validationError('KeyConditionExpressions cannot contain nested operations');
      if (name !== 'begins_with') throw invalidOperator(name);
      if (args[0]?.kind !== 'path') {
        throw invalidCondition('begins_with operator must have the key attribute as its first operand');
      }
      add('BEGINS_WITH', args, input, conditions);
      return;
    }
  }
}

function add(
  operator: KeyOperator,
  operands: readonly Operand[],
  input: ExpressionInput,
  conditions: Map<string, KeyCondition>,
): void {
  let attribute: string | undefined;
  let position = 0;
  const values: AttributeValue[] = [];
  operands.forEach((operand, i) => {
    if (operand.kind === 'path') {
      if (attribute !== undefined) throw invalidCondition('Multiple attribute names used in one condition');
      if (operand.steps.length > 1) {
        throw validationError('KeyConditionExpressions cannot have conditions on nested attributes');
      }
      const step = operand.steps[0]!;
      attribute = typeof step === 'object' ? input.names![step.ref]! : String(step);
      position = i;
    } else if (operand.kind === 'value') {
      values.push(input.values![operand.ref]!);
    } else {
      throw validationError('KeyConditionExpressions cannot contain nested operations');
    }
  });
  if (attribute === undefined) throw invalidCondition('No key attribute specified');
  if (conditions.has(attribute))
    throw validationError('KeyConditionExpressions must only contain one condition per key');
  conditions.set(attribute, { operator: position === 0 ? operator : FLIPPED[operator]!, values });
}

/** Checks the conditions against the table's key schema, as DynamoDB does before reading anything. */
export function checkKeySchema(table: Table, conditions: ReadonlyMap<string, KeyCondition>): void {
  const [hash, range] = table.keyAttributes;
  if (range === undefined && conditions.size > 1) throw validationError('Query key condition not supported');
  for (const attribute of [hash!, ...(range === undefined ? [] : [range])]) {
    const condition = conditions.get(attribute.name);
    if (condition === undefined) {
      if (attribute === hash || conditions.size > 1) {
        throw validationError(`Query condition missed key schema element: ${attribute.name}`);
      }
      continue;
    }
    if (condition.values.some((value) => value[attribute.type] === undefined)) {
      throw validationError(
        'One or more parameter values were invalid: Condition parameter type does not match schema type',
      );
    }
    if (attribute === hash && condition.operator !== '=') throw validationError('Query key condition not supported');
  }
}

/** Whether an item's sort key meets the sort key condition. */
export function matchesRange(item: Item, name: string, type: KeyType, condition: KeyCondition): boolean {
  const value = item[name]!;
  const [first, second] = condition.values as [AttributeValue, AttributeValue | undefined];
  if (condition.operator === 'BEGINS_WITH') return beginsWith(value, first);
  const order = compareScalars(type, value, first);
  if (condition.operator === 'BETWEEN') return order >= 0 && compareScalars(type, value, second!) <= 0;
  return orderHolds(condition.operator, order);
}

/** Query's ExclusiveStartKey: exactly the table's key attributes, each valid for the key schema. */
export function checkQueryStartKey(table: Table, start: Item): void {
  const attributes = table.keyAttributes;
  if (Object.keys(start).length !== attributes.length || attributes.some((a) => start[a.name] === undefined)) {
    throw validationError('The provided starting key is invalid');
  }
  table.checkKey(start);
}

/** A page may only resume inside the query's own range of keys. */
export function checkStartInRange(table: Table, start: Item, conditions: ReadonlyMap<string, KeyCondition>): void {
  const [hash, range] = table.keyAttributes as [KeyAttributeOf, KeyAttributeOf | undefined];
  const sameHash = start[hash.name]![hash.type] === conditions.get(hash.name)!.values[0]![hash.type];
  const rangeCondition = range === undefined ? undefined : conditions.get(range.name);
  if (range === undefined || rangeCondition === undefined) {
    if (!sameHash) {
      throw validationError('The provided starting key is outside query boundaries based on provided conditions');
    }
    return;
  }
  if (!matchesRange(start, range.name, range.type, rangeCondition)) {
    throw validationError('The provided starting key does not match the range key predicate');
  }
  if (!sameHash) throw validationError('The query can return at most one row and cannot be restarted');
}

/** A Query's FilterExpression may not name the key attributes (the key condition does that). */
export function checkFilterKeys(table: Table, filter: Condition, names: ExpressionInput['names']): void {
  const heads = new Set<string>();
  const visitOperand = (operand: Operand): void => {
    if (operand.kind === 'path') {
      const step = operand.steps[0]!;
      heads.add(typeof step === 'object' ? (names?.[step.ref] ?? '') : String(step));
    } else if (operand.kind === 'function') {
      operand.args.forEach(visitOperand);
    }
  };
  for (const condition of conditionLeaves(filter)) {
    switch (condition.kind) {
      case 'compare':
        [condition.left, condition.right].forEach(visitOperand);
        break;
      case 'between':
        [condition.subject, condition.low, condition.high].forEach(visitOperand);
        break;
      case 'in':
        [condition.subject, ...condition.list].forEach(visitOperand);
        break;
      case 'call':
        visitOperand(condition.call);
    }
  }
  for (const attribute of table.keyAttributes) {
    if (heads.has(attribute.name)) {
      throw validationError(
        `Filter Expression can only contain non-primary key attributes: Primary key attribute: ${attribute.name}`,
      );
    }
  }
}
