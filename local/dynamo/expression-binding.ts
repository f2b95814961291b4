/**
 * A parsed expression (expression-parser.ts) meets one request's ExpressionAttributeNames and
 * ExpressionAttributeValues: `check*` reports what DynamoDB reports for them (placeholders not defined, operands of
 * the wrong type, overlapping update paths…, in DynamoDB's order of precedence), and the rest evaluates a condition
 * against an item, applies an update to one, and projects one. Placeholders are looked up at evaluation, so a cached
 * tree serves every request that sends the same text.
 *
 * Evaluation follows DynamoDB: a comparison with a missing attribute or with operands of different types is false
 * (`<>` is then true: the values are not equal), numbers compare as exact decimals, strings by UTF-8 bytes, binaries
 * byte by byte; all update operands are read from the item as it was before the update.
 */
import {
  type AttributeValue,
  compareBinary,
  beginsWith,
  compareScalars,
  type Item,
  orderHolds,
  record,
  type TypeName,
  TYPE_NAMES,
  typeOf,
  valuesEqual,
} from './attribute-values';
import { validationError } from './errors';
import {
  CONDITION_FUNCTIONS,
  type Comparator,
  type Condition,
  conditionLeaves,
  type Operand,
  type Parsed,
  type PathNode,
  type PathStep,
  UPDATE_FUNCTIONS,
  type UpdateAction,
} from './expression-parser';
import { addNumbers } from './numbers';

/** One request's placeholders, and the ones no expression has used yet (DynamoDB refuses unused ones). */
export interface ExpressionInput {
  readonly names: Readonly<Record<string, string>> | undefined;
  readonly values: Readonly<Record<string, AttributeValue>> | undefined;
  readonly unusedNames: Set<string>;
  readonly unusedValues: Set<string>;
}

/** A document path with its placeholders resolved: attribute names and list indexes. */
export type ResolvedPath = readonly (string | number)[];

type Errors<K extends string> = Partial<Record<K, string>>;

function first<K extends string>(errors: Errors<K>, order: readonly K[]): string | undefined {
  for (const category of order) if (errors[category] !== undefined) return errors[category];
  return undefined;
}

function resolveName(ref: string, input: ExpressionInput): string | undefined {
  const names = input.names;
  if (names === undefined || !Object.hasOwn(names, ref)) return undefined;
  input.unusedNames.delete(ref);
  return names[ref];
}

function resolveValue(ref: string, input: ExpressionInput): AttributeValue | undefined {
  const values = input.values;
  if (values === undefined || !Object.hasOwn(values, ref)) return undefined;
  input.unusedValues.delete(ref);
  return values[ref];
}

const undefinedName = (ref: string) =>
  `An expression attribute name used in the document path is not defined; attribute name: ${ref}`;
const undefinedValue = (ref: string) =>
  `An expression attribute value used in expression is not defined; attribute value: ${ref}`;

/** Resolves a path's placeholders, reporting the first undefined one; undefined steps stay undefined. */
function resolvePath(path: PathNode, input: ExpressionInput, onUndefined: (message: string) => void) {
  return path.steps.map((step) => {
    if (typeof step !== 'object') return step;
    const name = resolveName(step.ref, input);
    if (name === undefined) onUndefined(undefinedName(step.ref));
    return name;
  });
}

function pathText(path: readonly (string | number | undefined)[]): string {
  return `[${path.map((step) => (typeof step === 'number' ? `[${step}]` : step)).join(', ')}]`;
}

function samePath(a: readonly (string | number | undefined)[], b: readonly (string | number | undefined)[]) {
  return a.length === b.length && a.every((step, i) => step === b[i]);
}

/** DynamoDB's check that no two paths of an update or projection overlap (one a prefix of the other) or conflict. */
function checkPaths(
  paths: readonly (readonly (string | number | undefined)[])[],
  errors: Errors<'pathOverlap' | 'pathConflict'>,
): void {
  for (let j = 1; j < paths.length && errors.pathOverlap === undefined; j++) {
    for (let i = 0; i < j && errors.pathOverlap === undefined; i++) {
      const one = paths[i]!;
      const two = paths[j]!;
      let diverged = false;
      for (let k = 0; k < one.length && k < two.length; k++) {
        if (typeof one[k] !== typeof two[k]) {
          errors.pathConflict = `Two document paths conflict with each other; must remove or rewrite one of these paths; path one: ${pathText(one)}, path two: ${pathText(two)}`;
          diverged = true;
          break;
        }
        if (one[k] !== two[k]) {
          diverged = true;
          break;
        }
      }
      if (!diverged) {
        errors.pathOverlap = `Two document paths overlap with each other; must remove or rewrite one of these paths; path one: ${pathText(one)}, path two: ${pathText(two)}`;
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Conditions

type ConditionCategory = 'attrNameVal' | 'operand' | 'distinct' | 'function';
const CONDITION_ORDER: readonly ConditionCategory[] = ['attrNameVal', 'operand', 'distinct', 'function'];
const ORDERABLE = new Set<TypeName>(['S', 'N', 'B']);

/** Checks a parsed condition against the request's placeholders; throws `Invalid <label>: …` as DynamoDB does. */
export function checkCondition(parsed: Parsed<Condition>, input: ExpressionInput, label: string): void {
  if (parsed.staticError !== undefined) throw validationError(`Invalid ${label}: ${parsed.staticError}`);
  const errors: Errors<ConditionCategory> = {};
  let reported: string | undefined;
  for (const condition of conditionLeaves(parsed.tree)) {
    switch (condition.kind) {
      case 'compare':
        checkOperand(condition.left, input, errors);
        checkOperand(condition.right, input, errors);
        checkDistinct(condition.operator, [condition.left, condition.right], input, errors);
        if (condition.operator !== '=' && condition.operator !== '<>') {
          checkOrderable(condition.operator, [condition.left, condition.right], input, errors);
        }
        break;
      case 'between':
        checkOperand(condition.subject, input, errors);
        checkOperand(condition.low, input, errors);
        checkOperand(condition.high, input, errors);
        checkBetween(condition.low, condition.high, input, errors);
        checkOrderable('BETWEEN', [condition.subject, condition.low, condition.high], input, errors);
        break;
      case 'in':
        checkOperand(condition.subject, input, errors);
        for (const operand of condition.list) checkOperand(operand, input, errors);
        break;
      case 'call':
        checkOperand(condition.call, input, errors);
        break;
    }
    reported ??= first(errors, CONDITION_ORDER);
  }
  if (reported !== undefined) throw validationError(`Invalid ${label}: ${reported}`);
}

function checkOperand(operand: Operand, input: ExpressionInput, errors: Errors<ConditionCategory>): void {
  switch (operand.kind) {
    case 'path':
      resolvePath(operand, input, (message) => {
        errors.attrNameVal ??= message;
      });
      return;
    case 'value':
      if (resolveValue(operand.ref, input) === undefined) errors.attrNameVal ??= undefinedValue(operand.ref);
      return;
    case 'arithmetic':
      return;
    case 'function':
      for (const arg of operand.args) checkOperand(arg, input, errors);
      checkConditionFunction(operand.name, operand.args, input, errors);
  }
}

/** The type an operand is known to have before evaluation: a value's, or a function's result. */
function staticType(operand: Operand, input: ExpressionInput): TypeName | undefined {
  if (operand.kind === 'value') {
    const value =
      input.values !== undefined && Object.hasOwn(input.values, operand.ref) ? input.values[operand.ref] : undefined;
    return value === undefined ? undefined : typeOf(value);
  }
  if (operand.kind === 'function') {
    if (operand.name === 'size') return 'N';
    if (operand.name === 'begins_with' || operand.name === 'contains' || operand.name === 'attribute_type')
      return 'BOOL';
  }
  return undefined;
}

function literalValue(operand: Operand, input: ExpressionInput): AttributeValue | undefined {
  if (operand.kind !== 'value' || input.values === undefined || !Object.hasOwn(input.values, operand.ref)) {
    return undefined;
  }
  return input.values[operand.ref];
}

function checkConditionFunction(
  name: string,
  args: readonly Operand[],
  input: ExpressionInput,
  errors: Errors<ConditionCategory>,
): void {
  if (!Object.hasOwn(CONDITION_FUNCTIONS, name) || errors.operand !== undefined) return;
  if (CONDITION_FUNCTIONS[name] !== args.length) {
    errors.operand = `Incorrect number of operands for operator or function; operator or function: ${name}, number of operands: ${args.length}`;
    return;
  }
  checkDistinct(name, args, input, errors);
  if (errors.function !== undefined) return;
  const wrongType = (type: string) => {
    errors.function = `Incorrect operand type for operator or function; operator or function: ${name}, operand type: ${type}`;
  };
  switch (name) {
    case 'attribute_exists':
    case 'attribute_not_exists':
      if (args[0]!.kind !== 'path') {
        errors.function = `Operator or function requires a document path; operator or function: ${name}`;
      }
      return;
    case 'begins_with':
      for (const arg of args) {
        const type = staticType(arg, input);
        if (type !== undefined && type !== 'S' && type !== 'B') {
          wrongType(type);
          return;
        }
      }
      return;
    case 'attribute_type': {
      const type = staticType(args[1]!, input);
      if (type !== 'S') {
        wrongType(type ?? '{NS,SS,L,BS,N,M,B,BOOL,NULL,S}');
        return;
      }
      const named = literalValue(args[1]!, input)?.S;
      if (named !== undefined && !(TYPE_NAMES as readonly string[]).includes(named)) {
        errors.function = `Invalid attribute type name found; type: ${named}, valid types: {B,NULL,SS,BOOL,L,BS,N,NS,S,M}`;
      }
      return;
    }
    case 'size': {
      const type = staticType(args[0]!, input);
      if (type === 'N' || type === 'BOOL' || type === 'NULL') wrongType(type);
      return;
    }
  }
}

function checkDistinct(
  operator: string,
  operands: readonly Operand[],
  input: ExpressionInput,
  errors: Errors<ConditionCategory>,
): void {
  if (errors.distinct !== undefined || operands.length !== 2) return;
  const [a, b] = operands as [Operand, Operand];
  if (a.kind !== 'path' || b.kind !== 'path') return;
  const ignore = () => {};
  const one = resolvePath(a, input, ignore);
  if (samePath(one, resolvePath(b, input, ignore))) {
    errors.distinct = `The first operand must be distinct from the remaining operands for this operator or function; operator: ${operator}, first operand: ${pathText(one)}`;
  }
}

function checkBetween(low: Operand, high: Operand, input: ExpressionInput, errors: Errors<ConditionCategory>): void {
  if (errors.function !== undefined) return;
  const x = literalValue(low, input);
  const y = literalValue(high, input);
  if (x === undefined || y === undefined) return;
  const typeX = typeOf(x);
  const typeY = typeOf(y);
  const bounds = `lower bound operand: AttributeValue: {${typeX}:${shown(x)}}, upper bound operand: AttributeValue: {${typeY}:${shown(y)}}`;
  if (typeX !== typeY) {
    errors.function = `The BETWEEN operator requires same data type for lower and upper bounds; ${bounds}`;
  } else if (ORDERABLE.has(typeX) && compareScalars(typeX as 'S' | 'N' | 'B', x, y) > 0) {
    errors.function = `The BETWEEN operator requires upper bound to be greater than or equal to lower bound; ${bounds}`;
  }
}

function shown(value: AttributeValue): string {
  const member = value[typeOf(value)];
  return typeof member === 'object' ? JSON.stringify(member) : String(member);
}

/**
 * DynamoDB orders only strings, numbers and binaries: an ordering comparison or BETWEEN with a value of another type
 * is refused before any item is read (a path to such a value just compares false).
 */
function checkOrderable(
  operator: string,
  operands: readonly Operand[],
  input: ExpressionInput,
  errors: Errors<ConditionCategory>,
): void {
  if (errors.function !== undefined) return;
  for (const operand of operands) {
    const type = operand.kind === 'value' ? staticType(operand, input) : undefined;
    if (type !== undefined && !ORDERABLE.has(type)) {
      errors.function = `Incorrect operand type for operator or function; operator: ${operator}, operand type: ${type}`;
      return;
    }
  }
}

/** Whether a checked condition holds for `item` (an empty item when there is none). */
export function evaluateCondition(condition: Condition, item: Item, input: ExpressionInput): boolean {
  switch (condition.kind) {
    case 'and':
      return evaluateCondition(condition.left, item, input) && evaluateCondition(condition.right, item, input);
    case 'or':
      return evaluateCondition(condition.left, item, input) || evaluateCondition(condition.right, item, input);
    case 'not':
      return !evaluateCondition(condition.operand, item, input);
    case 'compare':
      return compare(
        condition.operator,
        operandValue(condition.left, item, input),
        operandValue(condition.right, item, input),
      );
    case 'between': {
      const subject = operandValue(condition.subject, item, input);
      return (
        compare('>=', subject, operandValue(condition.low, item, input)) &&
        compare('<=', subject, operandValue(condition.high, item, input))
      );
    }
    case 'in': {
      const subject = operandValue(condition.subject, item, input);
      if (subject === undefined) return false;
      return condition.list.some((operand) => {
        const value = operandValue(operand, item, input);
        return value !== undefined && valuesEqual(subject, value);
      });
    }
    case 'call':
      return callFunction(condition.call.name, condition.call.args, item, input);
  }
}

function compare(operator: Comparator, a: AttributeValue | undefined, b: AttributeValue | undefined): boolean {
  if (operator === '<>') return a === undefined || b === undefined || !valuesEqual(a, b);
  if (a === undefined || b === undefined) return false;
  if (operator === '=') return valuesEqual(a, b);
  const type = typeOf(a);
  if (type !== typeOf(b) || !ORDERABLE.has(type)) return false;
  return orderHolds(operator, compareScalars(type as 'S' | 'N' | 'B', a, b));
}

function callFunction(name: string, args: readonly Operand[], item: Item, input: ExpressionInput): boolean {
  const subject = operandValue(args[0]!, item, input);
  switch (name) {
    case 'attribute_exists':
      return subject !== undefined;
    case 'attribute_not_exists':
      return subject === undefined;
    case 'attribute_type': {
      const type = operandValue(args[1]!, item, input);
      return subject !== undefined && type?.S === typeOf(subject);
    }
    case 'begins_with':
      return beginsWith(subject, operandValue(args[1]!, item, input));
    case 'contains':
      return contains(subject, operandValue(args[1]!, item, input));
    default:
      return false;
  }
}

function contains(subject: AttributeValue | undefined, operand: AttributeValue | undefined): boolean {
  if (subject === undefined || operand === undefined) return false;
  if (subject.S !== undefined) return operand.S !== undefined && subject.S.includes(operand.S);
  if (subject.B !== undefined) {
    return operand.B !== undefined && Buffer.from(subject.B, 'base64').includes(Buffer.from(operand.B, 'base64'));
  }
  if (subject.SS !== undefined) return operand.S !== undefined && subject.SS.includes(operand.S);
  if (subject.NS !== undefined) return operand.N !== undefined && subject.NS.includes(operand.N);
  if (subject.BS !== undefined) {
    return operand.B !== undefined && subject.BS.some((member) => compareBinary(member, operand.B!) === 0);
  }
  if (subject.L !== undefined) return subject.L.some((member) => valuesEqual(member, operand));
  return false;
}

function operandValue(operand: Operand, item: Item, input: ExpressionInput): AttributeValue | undefined {
  switch (operand.kind) {
    case 'path':
      return valueAt(item, operand.steps, input.names);
    case 'value':
      return input.values?.[operand.ref];
    case 'function':
      return operand.name === 'size' ? sizeOf(operandValue(operand.args[0]!, item, input)) : undefined;
    case 'arithmetic':
      return undefined;
  }
}

/** size(): bytes of a string (UTF-8) or binary, members of a set, list or map; no value for other types. */
function sizeOf(value: AttributeValue | undefined): AttributeValue | undefined {
  if (value === undefined) return undefined;
  let size: number | undefined;
  if (value.S !== undefined) size = Buffer.byteLength(value.S);
  else if (value.B !== undefined) size = Buffer.byteLength(value.B, 'base64');
  else if (value.M !== undefined) size = Object.keys(value.M).length;
  else size = (value.L ?? value.SS ?? value.NS ?? value.BS)?.length;
  return size === undefined ? undefined : { N: String(size) };
}

/** The value at a document path, placeholders resolved with `names`. */
export function valueAt(
  item: Item,
  steps: readonly (PathStep | undefined)[],
  names: Readonly<Record<string, string>> | undefined,
): AttributeValue | undefined {
  let value: AttributeValue | undefined;
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i];
    if (typeof step === 'number') {
      value = value?.L?.[step];
    } else {
      const name = typeof step === 'object' ? names?.[step.ref] : step;
      if (name === undefined) return undefined;
      const map = i === 0 ? item : value?.M;
      value = map !== undefined && Object.hasOwn(map, name) ? map[name] : undefined;
    }
    if (value === undefined) return undefined;
  }
  return value;
}

// ---------------------------------------------------------------------------------------------------------------
// Updates

type UpdateCategory = 'attrName' | 'attrVal' | 'pathOverlap' | 'pathConflict' | 'operand' | 'function';
const UPDATE_ORDER: readonly UpdateCategory[] = [
  'attrName',
  'attrVal',
  'pathOverlap',
  'pathConflict',
  'operand',
  'function',
];

export interface BoundUpdate {
  readonly actions: readonly UpdateAction[];
  /** Each action's target path, resolved. */
  readonly targets: readonly ResolvedPath[];
}

const OPERAND_TYPE_NAMES: Partial<Record<TypeName, string>> = {
  S: 'STRING',
  N: 'NUMBER',
  B: 'BINARY',
  NULL: 'NULL',
  BOOL: 'BOOLEAN',
  L: 'LIST',
  M: 'MAP',
};

/** Checks a parsed update expression against the request's placeholders and resolves its target paths. */
export function checkUpdate(parsed: Parsed<UpdateAction[]>, input: ExpressionInput): BoundUpdate {
  if (parsed.staticError !== undefined) throw validationError(`Invalid UpdateExpression: ${parsed.staticError}`);
  const errors: Errors<UpdateCategory> = {};
  const onName = (message: string) => {
    errors.attrName ??= message;
  };
  const targets: (string | number | undefined)[][] = [];
  for (const action of parsed.tree) {
    const target = resolvePath(action.path, input, onName);
    if (action.kind === 'set') checkUpdateOperand(action.value, input, errors);
    if (action.kind === 'add' || action.kind === 'delete') {
      checkUpdateOperand(action.value, input, errors);
      const type = staticType(action.value, input);
      const mapped = type === undefined ? undefined : OPERAND_TYPE_NAMES[type];
      if (errors.operand === undefined && mapped !== undefined && !(action.kind === 'add' && type === 'N')) {
        errors.operand = `Incorrect operand type for operator or function; operator: ${action.kind.toUpperCase()}, operand type: ${mapped}`;
      }
    }
    targets.push(target);
  }
  checkPaths(targets, errors);
  const reported = first(errors, UPDATE_ORDER);
  if (reported !== undefined) throw validationError(`Invalid UpdateExpression: ${reported}`);
  return { actions: parsed.tree, targets: targets as ResolvedPath[] };
}

function checkUpdateOperand(operand: Operand, input: ExpressionInput, errors: Errors<UpdateCategory>): void {
  switch (operand.kind) {
    case 'path':
      resolvePath(operand, input, (message) => {
        errors.attrName ??= message;
      });
      return;
    case 'value':
      if (resolveValue(operand.ref, input) === undefined) errors.attrVal ??= undefinedValue(operand.ref);
      return;
    case 'arithmetic':
      checkUpdateOperand(operand.left, input, errors);
      checkUpdateOperand(operand.right, input, errors);
      checkUpdateFunction(operand.operator, [operand.left, operand.right], input, errors);
      return;
    case 'function':
      for (const arg of operand.args) checkUpdateOperand(arg, input, errors);
      checkUpdateFunction(operand.name, operand.args, input, errors);
  }
}

function checkUpdateFunction(
  name: string,
  args: readonly Operand[],
  input: ExpressionInput,
  errors: Errors<UpdateCategory>,
): void {
  if (errors.function !== undefined) return;
  const arity = name === '+' || name === '-' ? 2 : Object.hasOwn(UPDATE_FUNCTIONS, name) ? UPDATE_FUNCTIONS[name] : 0;
  if (arity !== args.length) {
    errors.function = `Incorrect number of operands for operator or function; operator or function: ${name}, number of operands: ${args.length}`;
    return;
  }
  if (name === 'if_not_exists') {
    if (args[0]!.kind !== 'path') {
      errors.function = `Operator or function requires a document path; operator or function: ${name}`;
    }
    return;
  }
  const expected = name === 'list_append' ? 'L' : 'N';
  for (const arg of args) {
    const type = arg.kind === 'value' ? staticType(arg, input) : undefined;
    if (type !== undefined && type !== expected) {
      errors.function = `Incorrect operand type for operator or function; operator or function: ${name}, operand type: ${type}`;
      return;
    }
  }
}

const wrongOperandType = () => validationError('An operand in the update expression has an incorrect data type');
const invalidPath = () => validationError('The document path provided in the update expression is invalid for update');

type MutableMap = Record<string, AttributeValue>;
type Container = MutableMap | AttributeValue[];

/**
 * The item an update makes of `old` (or of the bare key when there is no item), copying only what it changes. Throws
 * DynamoDB's ValidationException for an operand that does not exist or has the wrong type, or a path that cannot be
 * written.
 */
export function applyUpdate(update: BoundUpdate, old: Item, input: ExpressionInput): Item {
  // Every operand is evaluated against the item as it was.
  const operands = update.actions.map((action) =>
    action.kind === 'set'
      ? setOperand(action.value, old, input)
      : action.kind === 'remove'
        ? undefined
        : input.values![action.value.ref]!,
  );
  const root: MutableMap = Object.assign(record<AttributeValue>(), old);
  const copies = new Map<AttributeValue, Container>();
  const removals = new Map<AttributeValue[], number[]>();
  update.actions.forEach((action, i) => {
    const target = update.targets[i]!;
    const parent = writableParent(root, target, copies);
    const last = target[target.length - 1]!;
    const existing = read(parent, last);
    switch (action.kind) {
      case 'set':
        write(parent, last, operands[i]!);
        return;
      case 'remove':
        if (Array.isArray(parent)) {
          if (typeof last === 'number' && last < parent.length)
            removals.set(parent, [...(removals.get(parent) ?? []), last]);
        } else {
          delete parent[last as string];
        }
        return;
      case 'add':
        write(parent, last, added(existing, operands[i]!));
        return;
      case 'delete': {
        if (existing === undefined) return;
        const remaining = removedMembers(existing, operands[i]!);
        if (remaining !== undefined) write(parent, last, remaining);
        else if (Array.isArray(parent)) removals.set(parent, [...(removals.get(parent) ?? []), last as number]);
        else delete parent[last as string];
        return;
      }
    }
  });
  for (const [list, indexes] of removals) {
    for (const index of [...new Set(indexes)].sort((a, b) => b - a)) list.splice(index, 1);
  }
  return root;
}

function setOperand(operand: Operand, item: Item, input: ExpressionInput): AttributeValue {
  switch (operand.kind) {
    case 'value':
      return input.values![operand.ref]!;
    case 'path': {
      const value = valueAt(item, operand.steps, input.names);
      if (value === undefined) {
        throw validationError('The provided expression refers to an attribute that does not exist in the item');
      }
      return value;
    }
    case 'arithmetic': {
      const left = setOperand(operand.left, item, input);
      const right = setOperand(operand.right, item, input);
      if (left.N === undefined || right.N === undefined) throw wrongOperandType();
      return { N: addNumbers(left.N, right.N, operand.operator === '-') };
    }
    case 'function': {
      if (operand.name === 'if_not_exists') {
        const path = operand.args[0] as PathNode;
        return valueAt(item, path.steps, input.names) ?? setOperand(operand.args[1]!, item, input);
      }
      const left = setOperand(operand.args[0]!, item, input);
      const right = setOperand(operand.args[1]!, item, input);
      if (left.L === undefined || right.L === undefined) throw wrongOperandType();
      return { L: [...left.L, ...right.L] };
    }
  }
}

/** The container holding a path's last step, copied (once per update) from the item's so it can be written. */
function writableParent(root: MutableMap, path: ResolvedPath, copies: Map<AttributeValue, Container>): Container {
  let container: Container = root;
  for (let i = 0; i < path.length - 1; i++) {
    const step = path[i]!;
    const child = read(container, step);
    const next = path[i + 1]!;
    if (child === undefined || (typeof next === 'number' ? child.L === undefined : child.M === undefined)) {
      throw invalidPath();
    }
    let copy = copies.get(child);
    if (copy === undefined) {
      copy = child.L !== undefined ? [...child.L] : Object.assign(record<AttributeValue>(), child.M);
      const value: AttributeValue = Array.isArray(copy) ? { L: copy } : { M: copy };
      write(container, step, value);
      copies.set(value, copy);
    }
    container = copy;
  }
  if (Array.isArray(container) !== (typeof path[path.length - 1] === 'number')) throw invalidPath();
  return container;
}

function read(container: Container, step: string | number): AttributeValue | undefined {
  if (Array.isArray(container)) return typeof step === 'number' ? container[step] : undefined;
  return typeof step === 'string' && Object.hasOwn(container, step) ? container[step] : undefined;
}

/** A list index past the end appends, as in DynamoDB. */
function write(container: Container, step: string | number, value: AttributeValue): void {
  if (Array.isArray(container)) {
    const index = step as number;
    if (index < container.length) container[index] = value;
    else container.push(value);
  } else {
    container[step as string] = value;
  }
}

/** ADD: a number to a number (or to nothing), members to a set of the same type (or to nothing). */
function added(existing: AttributeValue | undefined, operand: AttributeValue): AttributeValue {
  if (existing === undefined) return operand;
  const type = typeOf(operand);
  if (typeOf(existing) !== type) throw wrongOperandType();
  if (type === 'N') return { N: addNumbers(existing.N!, operand.N!) };
  const members = existing[type as 'SS' | 'NS' | 'BS']!;
  const extra = operand[type as 'SS' | 'NS' | 'BS']!.filter((member) => !members.includes(member));
  return { [type]: [...members, ...extra] };
}

/** DELETE: members removed from a set of the same type; undefined when none are left (the attribute goes). */
function removedMembers(existing: AttributeValue, operand: AttributeValue): AttributeValue | undefined {
  const type = typeOf(operand) as 'SS' | 'NS' | 'BS';
  if (typeOf(existing) !== type) throw wrongOperandType();
  const gone = new Set(operand[type]);
  const left = existing[type]!.filter((member) => !gone.has(member));
  return left.length === 0 ? undefined : { [type]: left };
}

// ---------------------------------------------------------------------------------------------------------------
// Projections (and the UPDATED_OLD / UPDATED_NEW return values)

type ProjectionCategory = 'attrNameVal' | 'pathOverlap' | 'pathConflict';

export function checkProjection(parsed: Parsed<PathNode[]>, input: ExpressionInput): ResolvedPath[] {
  if (parsed.staticError !== undefined) throw validationError(`Invalid ProjectionExpression: ${parsed.staticError}`);
  const errors: Errors<ProjectionCategory> = {};
  const paths = parsed.tree.map((path) =>
    resolvePath(path, input, (message) => {
      errors.attrNameVal ??= message;
    }),
  );
  checkPaths(paths, errors);
  const reported = first(errors, ['attrNameVal', 'pathOverlap', 'pathConflict']);
  if (reported !== undefined) throw validationError(`Invalid ProjectionExpression: ${reported}`);
  return paths as ResolvedPath[];
}

/** The parts of `item` at `paths`, nested as in the item; list elements keep their order, without gaps. */
export function project(item: Item, paths: readonly ResolvedPath[]): Item {
  const result = record<AttributeValue>();
  const lists = new Map<AttributeValue[], Map<number, AttributeValue>>();
  for (const path of paths) {
    const value = valueAt(item, path, undefined);
    if (value === undefined) continue;
    let container: Container = result;
    let sparse: Map<number, AttributeValue> | undefined;
    for (let i = 0; i < path.length - 1; i++) {
      const step = path[i]!;
      const wantsList = typeof path[i + 1] === 'number';
      let child = Array.isArray(container) ? sparse!.get(step as number) : container[step as string];
      if (child === undefined) {
        child = wantsList ? { L: [] } : { M: record<AttributeValue>() };
        if (Array.isArray(container)) sparse!.set(step as number, child);
        else container[step as string] = child;
      }
      container = (child.L ?? child.M) as Container;
      if (Array.isArray(container)) {
        sparse = lists.get(container) ?? new Map();
        lists.set(container, sparse);
      }
    }
    const last = path[path.length - 1]!;
    if (Array.isArray(container)) sparse!.set(last as number, value);
    else container[last as string] = value;
  }
  for (const [list, members] of lists) {
    for (const index of [...members.keys()].sort((a, b) => a - b)) list.push(members.get(index)!);
  }
  return result;
}
