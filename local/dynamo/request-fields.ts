/**
 * Reading the members of a DynamoDB JSON request: each with the JSON type DynamoDB's model gives it (a wrong type is
 * a SerializationException, as DynamoDB answers), and the model's constraints (not null, enum, length, pattern)
 * collected into DynamoDB's "N validation errors detected: …" message.
 */
import { serializationError, unsupported, validationError } from './errors';

export type JsonObject = Readonly<Record<string, unknown>>;

function jsonKind(value: unknown): string {
  if (typeof value === 'boolean') return value ? 'TRUE_VALUE' : 'FALSE_VALUE';
  if (typeof value === 'number') return Number.isInteger(value) ? 'NUMBER_VALUE' : 'DECIMAL_VALUE';
  if (typeof value === 'string') return 'STRING_VALUE';
  return Array.isArray(value) ? 'START_ARRAY' : 'START_OBJECT';
}

/** A request body's members by name; null counts as absent, as in DynamoDB. */
export class Fields {
  constructor(private readonly body: JsonObject) {}

  has(name: string): boolean {
    return this.body[name] !== undefined && this.body[name] !== null;
  }

  raw(name: string): unknown {
    const value = this.body[name];
    return value === null ? undefined : value;
  }

  string(name: string): string | undefined {
    const value = this.raw(name);
    if (value === undefined || typeof value === 'string') return value;
    throw serializationError(`${jsonKind(value)} cannot be converted to String`);
  }

  boolean(name: string): boolean | undefined {
    const value = this.raw(name);
    if (value === undefined || typeof value === 'boolean') return value;
    throw serializationError(`${jsonKind(value)} cannot be converted to Boolean`);
  }

  integer(name: string): number | undefined {
    const value = this.raw(name);
    if (value === undefined) return undefined;
    if (typeof value !== 'number') throw serializationError(`${jsonKind(value)} cannot be converted to Integer`);
    return Math.floor(value);
  }

  object(name: string): JsonObject | undefined {
    const value = this.raw(name);
    if (value === undefined) return undefined;
    if (typeof value !== 'object' || Array.isArray(value)) throw serializationError('Unexpected field type');
    return value as JsonObject;
  }

  list(name: string): readonly unknown[] | undefined {
    const value = this.raw(name);
    if (value === undefined) return undefined;
    if (!Array.isArray(value)) throw serializationError('Unexpected field type');
    return value;
  }

  /** A list of strings (AttributesToGet). */
  stringList(name: string): readonly string[] | undefined {
    const value = this.list(name);
    for (const member of value ?? []) {
      if (typeof member !== 'string') throw serializationError(`${jsonKind(member)} cannot be converted to String`);
    }
    return value as readonly string[] | undefined;
  }

  /** A string-to-string map (ExpressionAttributeNames). */
  stringMap(name: string): Readonly<Record<string, string>> | undefined {
    const value = this.object(name);
    if (value === undefined) return undefined;
    for (const member of Object.values(value)) {
      if (typeof member !== 'string') throw serializationError(`${jsonKind(member)} cannot be converted to String`);
    }
    return value as Readonly<Record<string, string>>;
  }

  /** Parameters DynamoDB knows that this stand-in does not implement: refused by name. */
  refuse(names: readonly string[]): void {
    for (const name of names) if (this.has(name)) throw unsupported(`The parameter ${name}`);
  }
}

const TABLE_NAME_PATTERN = '[a-zA-Z0-9_.-]+';
const TABLE_NAME = new RegExp(`^${TABLE_NAME_PATTERN}$`);

/**
 * The table operations' own check of TableName, before any constraint: present, then 3 to 255 characters (the
 * pattern is a constraint, see Constraints.tableNamePattern).
 */
export function requiredTableName(fields: Fields): string {
  const name = fields.string('TableName');
  if (name === undefined) {
    throw validationError("The parameter 'TableName' is required but was not present in the request");
  }
  if (name.length < 3 || name.length > 255) {
    throw validationError('TableName must be at least 3 characters long and at most 255 characters long');
  }
  return name;
}

/** DynamoDB's model constraints, reported together as it reports them. */
export class Constraints {
  private readonly errors: string[] = [];

  private fail(value: unknown, member: string, constraint: string): void {
    const shown = value === undefined ? 'null' : `'${Array.isArray(value) ? `[${value.join(', ')}]` : String(value)}'`;
    this.errors.push(`Value ${shown} at '${member}' failed to satisfy constraint: ${constraint}`);
  }

  notNull(member: string, value: unknown): this {
    if (value === undefined) this.fail(value, member, 'Member must not be null');
    return this;
  }

  tableName(value: string | undefined, member = 'tableName'): this {
    this.notNull(member, value);
    if (value === undefined) return this;
    this.tableNamePattern(value, member);
    if (value.length < 3) this.fail(value, member, 'Member must have length greater than or equal to 3');
    if (value.length > 255) this.fail(value, member, 'Member must have length less than or equal to 255');
    return this;
  }

  tableNamePattern(value: string, member = 'tableName'): this {
    if (!TABLE_NAME.test(value)) {
      this.fail(value, member, `Member must satisfy regular expression pattern: ${TABLE_NAME_PATTERN}`);
    }
    return this;
  }

  oneOf(member: string, value: string | undefined, allowed: readonly string[]): this {
    if (value !== undefined && !allowed.includes(value)) {
      this.fail(value, member, `Member must satisfy enum value set: [${allowed.join(', ')}]`);
    }
    return this;
  }

  atLeast(member: string, value: number | undefined, minimum: number): this {
    if (value !== undefined && value < minimum) {
      this.fail(value, member, `Member must have value greater than or equal to ${minimum}`);
    }
    return this;
  }

  atMost(member: string, value: number | undefined, maximum: number): this {
    if (value !== undefined && value > maximum) {
      this.fail(value, member, `Member must have value less than or equal to ${maximum}`);
    }
    return this;
  }

  length(member: string, value: readonly unknown[] | undefined, minimum: number, maximum: number): this {
    if (value === undefined) return this;
    const shown = value.map((element) => (typeof element === 'string' ? element : JSON.stringify(element)));
    if (value.length < minimum) {
      this.fail(shown, member, `Member must have length greater than or equal to ${minimum}`);
    }
    if (value.length > maximum) this.fail(shown, member, `Member must have length less than or equal to ${maximum}`);
    return this;
  }

  check(): void {
    const errors = this.errors.slice(0, 10);
    if (errors.length === 0) return;
    throw validationError(
      `${errors.length} validation error${errors.length > 1 ? 's' : ''} detected: ${errors.join('; ')}`,
    );
  }
}

export const RETURN_VALUES = ['ALL_NEW', 'UPDATED_OLD', 'ALL_OLD', 'NONE', 'UPDATED_NEW'] as const;
export const RETURN_CONSUMED_CAPACITY = ['INDEXES', 'TOTAL', 'NONE'] as const;
export const RETURN_ITEM_COLLECTION_METRICS = ['SIZE', 'NONE'] as const;
export const RETURN_VALUES_ON_CONDITION_CHECK_FAILURE = ['ALL_OLD', 'NONE'] as const;

/** Consumed capacity is not counted here: asking for it is refused rather than answered with nothing. */
export function refuseConsumedCapacity(value: string | undefined): void {
  if (value === 'TOTAL' || value === 'INDEXES') throw unsupported(`ReturnConsumedCapacity ${value}`);
}
