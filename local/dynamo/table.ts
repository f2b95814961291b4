/**
 * One table of the local DynamoDB stand-in: its key schema and its items in a Map keyed by the key's value. Items are
 * replaced whole (never changed in place), so a reader holding one is never affected by a later write. Scans walk the
 * items in key order (DynamoDB walks them in hash order: callers must not rely on either), so a scan page can resume
 * after any key, even one deleted since.
 */
import { type AttributeValue, compareScalars, type Item } from './attribute-values';
import { validationError } from './errors';

export type KeyType = 'S' | 'N' | 'B';

export interface KeyAttribute {
  readonly name: string;
  readonly type: KeyType;
}

export interface TableDefinition {
  readonly name: string;
  readonly hash: KeyAttribute;
  readonly range?: KeyAttribute;
  readonly billingMode: 'PAY_PER_REQUEST' | 'PROVISIONED';
  readonly readCapacityUnits: number;
  readonly writeCapacityUnits: number;
  /** Epoch seconds. */
  readonly createdAt: number;
  readonly id: string;
}

const MAX_HASH_KEY_BYTES = 2048;
const MAX_RANGE_KEY_BYTES = 1024;

export class Table {
  private readonly items = new Map<string, Item>();
  private order: string[] | undefined;

  constructor(readonly definition: TableDefinition) {}

  get keyAttributes(): readonly KeyAttribute[] {
    const { hash, range } = this.definition;
    return range === undefined ? [hash] : [hash, range];
  }

  get size(): number {
    return this.items.size;
  }

  /** The storage key of a checked key or item. */
  storageKey(key: Item): string {
    const { hash, range } = this.definition;
    const hashValue = scalar(key[hash.name]!, hash.type);
    return range === undefined ? hashValue : JSON.stringify([hashValue, scalar(key[range.name]!, range.type)]);
  }

  /** Just the key attributes of an item. */
  keyOf(item: Item): Item {
    const key = Object.create(null) as Record<string, AttributeValue>;
    for (const attribute of this.keyAttributes) key[attribute.name] = item[attribute.name]!;
    return key;
  }

  get(storageKey: string): Item | undefined {
    return this.items.get(storageKey);
  }

  put(storageKey: string, item: Item): void {
    if (!this.items.has(storageKey)) this.order = undefined;
    this.items.set(storageKey, item);
  }

  delete(storageKey: string): void {
    if (this.items.delete(storageKey)) this.order = undefined;
  }

  clear(): void {
    this.items.clear();
    this.order = undefined;
  }

  /** Items in key order, starting after `exclusiveStart` when given. */
  *scan(exclusiveStart?: Item): Generator<Item> {
    const order = this.sortedKeys();
    let start = 0;
    if (exclusiveStart !== undefined) {
      let low = 0;
      let high = order.length;
      while (low < high) {
        const middle = (low + high) >>> 1;
        if (this.compareKeys(this.items.get(order[middle]!)!, exclusiveStart) <= 0) low = middle + 1;
        else high = middle;
      }
      start = low;
    }
    for (let i = start; i < order.length; i++) {
      const item = this.items.get(order[i]!);
      if (item !== undefined) yield item;
    }
  }

  private sortedKeys(): string[] {
    this.order ??= [...this.items.keys()].sort((a, b) => this.compareKeys(this.items.get(a)!, this.items.get(b)!));
    return this.order;
  }

  /** The items of one partition key value (its key text), in sort key order. */
  itemsWithHash(hashText: string): Item[] {
    const { hash, range } = this.definition;
    if (range === undefined) {
      const item = this.items.get(hashText);
      return item === undefined ? [] : [item];
    }
    return [...this.scan()].filter((item) => item[hash.name]![hash.type] === hashText);
  }

  /** Sign of a − b in key order (partition key, then sort key). */
  compareKeys(a: Item, b: Item): number {
    for (const { name, type } of this.keyAttributes) {
      const order = compareScalars(type, a[name]!, b[name]!);
      if (order !== 0) return order;
    }
    return 0;
  }

  /**
   * Checks a request's Key against the schema: exactly the key attributes, of the key types, not empty, not too
   * large. DynamoDB's messages.
   */
  checkKey(key: Item): void {
    const attributes = this.keyAttributes;
    if (Object.keys(key).length !== attributes.length) {
      throw validationError('The provided key element does not match the schema');
    }
    attributes.forEach((attribute, i) => {
      const value = key[attribute.name];
      if (value === undefined || value[attribute.type] === undefined) {
        throw validationError('The provided key element does not match the schema');
      }
      checkKeyValue(value, attribute, i === 0, 'One or more parameter values were invalid:');
    });
  }

  /** Checks that an item to put carries the key attributes with the key types. */
  checkItemKey(item: Item): void {
    this.keyAttributes.forEach((attribute, i) => {
      const value = item[attribute.name];
      if (value === undefined) {
        throw validationError(
          `One or more parameter values were invalid: Missing the key ${attribute.name} in the item`,
        );
      }
      if (value[attribute.type] === undefined) {
        throw validationError(
          `One or more parameter values were invalid: Type mismatch for key ${attribute.name} expected: ${attribute.type} actual: ${Object.keys(value)[0]}`,
        );
      }
      checkKeyValue(value, attribute, i === 0, 'One or more parameter values are not valid.');
    });
  }
}

function checkKeyValue(value: AttributeValue, attribute: KeyAttribute, isHash: boolean, emptyPrefix: string): void {
  const text = value[attribute.type] as string;
  if (text === '' && attribute.type !== 'N') {
    throw validationError(
      `${emptyPrefix} The AttributeValue for a key attribute cannot contain an empty ${attribute.type === 'S' ? 'string' : 'binary'} value. Key: ${attribute.name}`,
    );
  }
  if (attribute.type === 'N') return;
  const bytes = attribute.type === 'S' ? Buffer.byteLength(text) : Buffer.byteLength(text, 'base64');
  if (isHash && bytes > MAX_HASH_KEY_BYTES) {
    throw validationError(
      'One or more parameter values were invalid: Size of hashkey has exceeded the maximum size limit of2048 bytes',
    );
  }
  if (!isHash && bytes > MAX_RANGE_KEY_BYTES) {
    throw validationError(
      'One or more parameter values were invalid: Aggregated size of all range keys has exceeded the size limit of 1024 bytes',
    );
  }
}

function scalar(value: AttributeValue, type: KeyType): string {
  return value[type] as string;
}
