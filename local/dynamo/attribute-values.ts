/**
 * DynamoDB attribute values as the JSON protocol carries them (`{"S":"x"}`, `{"N":"1"}`, `{"M":{…}}`…): checking one
 * from a request with DynamoDB's messages, and the comparisons, sizes and equality that expressions need.
 *
 * Every item and map the stand-in keeps is a null-prototype object, so an attribute named `__proto__` or
 * `constructor` is data like any other. Stored values are never changed in place (updates copy what they change),
 * so an item can be shared between the table and a response.
 */
import { serializationError, validationError } from './errors';
import { compareNumbers, normalizeNumber } from './numbers';

export interface AttributeValue {
  readonly S?: string;
  readonly N?: string;
  /** Base64. */
  readonly B?: string;
  readonly BOOL?: boolean;
  readonly NULL?: true;
  readonly SS?: readonly string[];
  readonly NS?: readonly string[];
  readonly BS?: readonly string[];
  readonly L?: readonly AttributeValue[];
  readonly M?: Item;
}
export type Item = Readonly<Record<string, AttributeValue>>;
export type TypeName = 'S' | 'N' | 'B' | 'BOOL' | 'NULL' | 'SS' | 'NS' | 'BS' | 'L' | 'M';

export const TYPE_NAMES: readonly TypeName[] = ['S', 'N', 'B', 'BOOL', 'NULL', 'SS', 'NS', 'BS', 'L', 'M'];

/** An empty null-prototype record. */
export function record<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

/** The type of a checked value (exactly one member is set). */
export function typeOf(value: AttributeValue): TypeName {
  if (value.S !== undefined) return 'S';
  if (value.N !== undefined) return 'N';
  if (value.M !== undefined) return 'M';
  if (value.BOOL !== undefined) return 'BOOL';
  if (value.L !== undefined) return 'L';
  if (value.B !== undefined) return 'B';
  if (value.SS !== undefined) return 'SS';
  if (value.NS !== undefined) return 'NS';
  if (value.BS !== undefined) return 'BS';
  return 'NULL';
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
/** DynamoDB's limit on nested lists and maps. */
const MAX_NESTING = 32;

/**
 * A request's attribute value, checked as DynamoDB checks it and returned normalized (numbers in DynamoDB's form,
 * maps as null-prototype records). Throws a SerializationException for a JSON shape that is not an attribute value,
 * a ValidationException with DynamoDB's message for an invalid one.
 */
export function checkAttributeValue(json: unknown, depth = 0): AttributeValue {
  if (depth > MAX_NESTING) throw validationError('Nesting Levels have exceeded supported limits');
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw serializationError('Unexpected value type in payload');
  }
  const source = json as Record<string, unknown>;
  let result: AttributeValue | undefined;
  let count = 0;
  for (const type of Object.keys(source)) {
    const member = source[type];
    if (member === null || member === undefined || !(TYPE_NAMES as readonly string[]).includes(type)) continue;
    count++;
    result = checkMember(type as TypeName, member, depth);
  }
  if (count === 0 || result === undefined) {
    throw validationError('Supplied AttributeValue is empty, must contain exactly one of the supported datatypes');
  }
  if (count > 1) {
    throw validationError(
      'Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes',
    );
  }
  return result;
}

function checkMember(type: TypeName, member: unknown, depth: number): AttributeValue {
  switch (type) {
    case 'S':
      return { S: stringMember(member) };
    case 'N':
      return { N: normalizeNumber(stringMember(member)) };
    case 'B':
      return { B: binaryMember(member) };
    case 'BOOL':
      return { BOOL: booleanMember(member) };
    case 'NULL':
      if (!booleanMember(member)) {
        throw validationError(
          'One or more parameter values were invalid: Null attribute value types must have the value of true',
        );
      }
      return { NULL: true };
    case 'SS':
      return { SS: checkSet(listMember(member).map(stringMember), 'SS') };
    case 'NS':
      return { NS: checkSet(listMember(member).map(stringMember), 'NS') };
    case 'BS':
      return { BS: checkSet(listMember(member).map(binaryMember), 'BS') };
    case 'L':
      return { L: listMember(member).map((element) => checkAttributeValue(element, depth + 1)) };
    case 'M':
      return { M: checkItem(member, depth + 1) };
  }
}

function checkSet(values: string[], type: 'SS' | 'NS' | 'BS'): string[] {
  if (values.length === 0) {
    throw validationError(
      type === 'SS'
        ? 'One or more parameter values were invalid: An string set  may not be empty'
        : type === 'NS'
          ? 'One or more parameter values were invalid: An number set  may not be empty'
          : 'One or more parameter values were invalid: Binary sets should not be empty',
    );
  }
  const members = type === 'NS' ? values.map(normalizeNumber) : values;
  if (new Set(members).size !== members.length) {
    const shown = `[${values.join(', ')}]`;
    throw validationError(
      type === 'SS'
        ? `One or more parameter values were invalid: Input collection ${shown} contains duplicates.`
        : type === 'NS'
          ? 'Input collection contains duplicates'
          : `One or more parameter values were invalid: Input collection ${shown}of type BS contains duplicates.`,
    );
  }
  return members;
}

/** A map of attribute values (an item, a key, an M): null-prototype, every value checked. */
export function checkItem(json: unknown, depth = 0): Record<string, AttributeValue> {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw serializationError('Unexpected field type');
  }
  const item = record<AttributeValue>();
  for (const [name, value] of Object.entries(json)) {
    if (value === null) continue;
    item[name] = checkAttributeValue(value, depth);
  }
  return item;
}

function stringMember(member: unknown): string {
  if (typeof member !== 'string') throw serializationError(`${jsonKind(member)} cannot be converted to String`);
  return member;
}

function booleanMember(member: unknown): boolean {
  if (typeof member !== 'boolean') throw serializationError(`${jsonKind(member)} cannot be converted to Boolean`);
  return member;
}

function binaryMember(member: unknown): string {
  if (typeof member !== 'string') throw serializationError('only base-64-encoded strings are convertible to bytes');
  if (member.length % 4 !== 0) {
    throw serializationError(`Base64 encoded length is expected a multiple of 4 bytes but found: ${member.length}`);
  }
  if (!BASE64.test(member) || Buffer.from(member, 'base64').toString('base64') !== member) {
    throw serializationError('Invalid last non-pad Base64 character dectected');
  }
  return member;
}

function listMember(member: unknown): unknown[] {
  if (!Array.isArray(member)) throw serializationError('Unexpected field type');
  return member;
}

function jsonKind(value: unknown): string {
  if (typeof value === 'boolean') return value ? 'TRUE_VALUE' : 'FALSE_VALUE';
  if (typeof value === 'number') return Number.isInteger(value) ? 'NUMBER_VALUE' : 'DECIMAL_VALUE';
  if (typeof value === 'string') return 'STRING_VALUE';
  return Array.isArray(value) ? 'START_ARRAY' : 'START_OBJECT';
}

/** Sign of a − b for strings in UTF-8 byte order (= code point order), which is DynamoDB's order, not UTF-16's. */
export function compareStrings(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return codePointRank(x) - codePointRank(y);
  }
  return a.length - b.length;
}

/** Surrogates (code points from U+10000) sort after U+E000–U+FFFF in code point order, before them in UTF-16. */
function codePointRank(unit: number): number {
  if (unit >= 0xd800 && unit <= 0xdfff) return unit + 0x2000;
  if (unit >= 0xe000) return unit - 0x800;
  return unit;
}

export function compareBinary(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'base64'), Buffer.from(b, 'base64'));
}

/** Sign of a − b for two scalars of one orderable type (S, N or B). */
export function compareScalars(type: 'S' | 'N' | 'B', a: AttributeValue, b: AttributeValue): number {
  if (type === 'N') return compareNumbers(a.N!, b.N!);
  if (type === 'S') return compareStrings(a.S!, b.S!);
  return compareBinary(a.B!, b.B!);
}

/** An ordering operator's verdict on a `compareScalars` result. */
export function orderHolds(operator: '=' | '<' | '<=' | '>' | '>=', order: number): boolean {
  switch (operator) {
    case '=':
      return order === 0;
    case '<':
      return order < 0;
    case '<=':
      return order <= 0;
    case '>':
      return order > 0;
    case '>=':
      return order >= 0;
  }
}

/** begins_with: a string by its characters, a binary by its bytes; any other pair of values does not begin so. */
export function beginsWith(subject: AttributeValue | undefined, prefix: AttributeValue | undefined): boolean {
  if (subject === undefined || prefix === undefined) return false;
  if (subject.S !== undefined && prefix.S !== undefined) return subject.S.startsWith(prefix.S);
  if (subject.B !== undefined && prefix.B !== undefined) {
    const bytes = Buffer.from(subject.B, 'base64');
    const start = Buffer.from(prefix.B, 'base64');
    return bytes.subarray(0, start.length).equals(start);
  }
  return false;
}

/** DynamoDB equality: same type and same value; sets regardless of order, lists and maps member by member. */
export function valuesEqual(a: AttributeValue, b: AttributeValue): boolean {
  const type = typeOf(a);
  if (type !== typeOf(b)) return false;
  switch (type) {
    case 'S':
      return a.S === b.S;
    case 'N':
      return a.N === b.N;
    case 'B':
      return compareBinary(a.B!, b.B!) === 0;
    case 'BOOL':
      return a.BOOL === b.BOOL;
    case 'NULL':
      return true;
    case 'SS':
    case 'NS':
    case 'BS': {
      const x = a[type]!;
      const y = b[type]!;
      if (x.length !== y.length) return false;
      const members = new Set(y);
      return x.every((member) => members.has(member));
    }
    case 'L': {
      const x = a.L!;
      const y = b.L!;
      return x.length === y.length && x.every((member, i) => valuesEqual(member, y[i]!));
    }
    case 'M': {
      const x = a.M!;
      const y = b.M!;
      const names = Object.keys(x);
      return (
        names.length === Object.keys(y).length &&
        names.every((name) => y[name] !== undefined && valuesEqual(x[name]!, y[name]!))
      );
    }
  }
}

/** DynamoDB's item size limit: 400 KB, attribute names included. */
export const MAX_ITEM_BYTES = 400 * 1024;

/** An item's size as DynamoDB counts it against the 400 KB limit: names and values in UTF-8 bytes. */
export function itemSize(item: Item): number {
  let size = 0;
  for (const name in item) size += Buffer.byteLength(name) + valueSize(item[name]!);
  return size;
}

function valueSize(value: AttributeValue): number {
  switch (typeOf(value)) {
    case 'S':
      return Buffer.byteLength(value.S!);
    case 'N':
      return numberSize(value.N!);
    case 'B':
      return Buffer.byteLength(value.B!, 'base64');
    case 'BOOL':
    case 'NULL':
      return 1;
    case 'SS':
      return value.SS!.reduce((sum, s) => sum + Buffer.byteLength(s), 0);
    case 'NS':
      return value.NS!.reduce((sum, n) => sum + numberSize(n), 0);
    case 'BS':
      return value.BS!.reduce((sum, b) => sum + Buffer.byteLength(b, 'base64'), 0);
    case 'L':
      return 3 + value.L!.reduce((sum, member) => sum + 1 + valueSize(member), 0);
    case 'M':
      return 3 + Object.keys(value.M!).length + itemSize(value.M!);
  }
}

/** About one byte per two significant digits, plus one. */
function numberSize(text: string): number {
  const digits = text.replace(/^-|\./g, '').replace(/^0+/, '').replace(/0+$/, '');
  if (digits === '') return 1;
  return 1 + Math.ceil(digits.length / 2) + (text.startsWith('-') ? 1 : 0);
}
