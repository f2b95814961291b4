/**
 * The local DynamoDB stand-in's operations on in-memory tables: CreateTable, DescribeTable, DeleteTable, ListTables,
 * GetItem, PutItem, UpdateItem, DeleteItem, Scan and Query (on the table's keys), each a synchronous function of the
 * request's JSON body. A conditional write checks its condition and writes with no await in between, so it is atomic
 * as DynamoDB's is.
 *
 * Requests are checked in DynamoDB's order (member types, model constraints, expressions and placeholders, then the
 * table, the key, the condition) with DynamoDB's messages. What DynamoDB offers and this stand-in does not (other
 * operations, legacy parameters such as Expected or AttributeUpdates, indexes, consumed capacity) is refused with a
 * ValidationException saying so, never ignored.
 */
import { randomUUID } from 'node:crypto';
import {
  type AttributeValue,
  checkAttributeValue,
  checkItem,
  type Item,
  itemSize,
  MAX_ITEM_BYTES,
  record,
} from './attribute-values';
import {
  conditionalCheckFailed,
  DynamoError,
  resourceNotFound,
  serializationError,
  unsupported,
  validationError,
} from './errors';
import {
  applyUpdate,
  checkCondition,
  checkProjection,
  checkUpdate,
  evaluateCondition,
  type ExpressionInput,
  project,
  type ResolvedPath,
} from './expression-binding';
import {
  type Condition,
  ExpressionSyntaxError,
  parseCondition,
  parseProjection,
  parseUpdate,
} from './expression-parser';
import {
  Constraints,
  Fields,
  type JsonObject,
  refuseConsumedCapacity,
  requiredTableName,
  RETURN_CONSUMED_CAPACITY,
  RETURN_ITEM_COLLECTION_METRICS,
  RETURN_VALUES,
  RETURN_VALUES_ON_CONDITION_CHECK_FAILURE,
} from './request-fields';
import {
  checkFilterKeys,
  checkKeySchema,
  checkQueryStartKey,
  checkStartInRange,
  keyConditions,
  matchesRange,
} from './key-condition';
import { type KeyAttribute, type KeyType, Table } from './table';

type Operation = (fields: Fields) => JsonObject;

/** DynamoDB operations this stand-in does not implement: refused with a ValidationException, not "unknown". */
const OTHER_DYNAMODB_OPERATIONS = [
  'BatchExecuteStatement',
  'BatchGetItem',
  'BatchWriteItem',
  'CreateBackup',
  'CreateGlobalTable',
  'DeleteBackup',
  'DeleteResourcePolicy',
  'DescribeBackup',
  'DescribeContinuousBackups',
  'DescribeContributorInsights',
  'DescribeEndpoints',
  'DescribeExport',
  'DescribeGlobalTable',
  'DescribeGlobalTableSettings',
  'DescribeImport',
  'DescribeKinesisStreamingDestination',
  'DescribeLimits',
  'DescribeTableReplicaAutoScaling',
  'DescribeTimeToLive',
  'DisableKinesisStreamingDestination',
  'EnableKinesisStreamingDestination',
  'ExecuteStatement',
  'ExecuteTransaction',
  'ExportTableToPointInTime',
  'GetResourcePolicy',
  'ImportTable',
  'ListBackups',
  'ListContributorInsights',
  'ListExports',
  'ListGlobalTables',
  'ListImports',
  'ListTagsOfResource',
  'PutResourcePolicy',
  'RestoreTableFromBackup',
  'RestoreTableToPointInTime',
  'TagResource',
  'TransactGetItems',
  'TransactWriteItems',
  'UntagResource',
  'UpdateContinuousBackups',
  'UpdateContributorInsights',
  'UpdateGlobalTable',
  'UpdateGlobalTableSettings',
  'UpdateKinesisStreamingDestination',
  'UpdateTable',
  'UpdateTableReplicaAutoScaling',
  'UpdateTimeToLive',
];

const LOCAL_ACCOUNT = '000000000000';
const LOCAL_REGION = 'us-east-1';
/** DynamoDB's page limit for Scan: 1 MB of items. */
const MAX_PAGE_BYTES = 1024 * 1024;

export class DynamoStore {
  private readonly tables = new Map<string, Table>();
  private readonly operations: Readonly<Record<string, Operation>> = {
    CreateTable: (fields) => this.createTable(fields),
    DescribeTable: (fields) => this.describeTable(fields),
    DeleteTable: (fields) => this.deleteTable(fields),
    ListTables: (fields) => this.listTables(fields),
    GetItem: (fields) => this.getItem(fields),
    PutItem: (fields) => this.putItem(fields),
    UpdateItem: (fields) => this.updateItem(fields),
    DeleteItem: (fields) => this.deleteItem(fields),
    Scan: (fields) => this.scan(fields),
    Query: (fields) => this.query(fields),
  };

  /**
   * Runs one operation on a parsed JSON body. Throws DynamoError: UnknownOperationException for a name DynamoDB does
   * not have, a ValidationException for one it has that this stand-in does not implement.
   */
  handle(operation: string, body: JsonObject): JsonObject {
    if (Object.hasOwn(this.operations, operation)) return this.operations[operation]!(new Fields(body));
    if (OTHER_DYNAMODB_OPERATIONS.includes(operation)) throw unsupported(`The operation ${operation}`);
    throw new DynamoError('UnknownOperationException', `Unknown operation: ${operation}`);
  }

  /** Direct access for the owner of the store (no HTTP, no fault injection). */
  table(name: string): Table | undefined {
    return this.tables.get(name);
  }

  // -------------------------------------------------------------------------------------------------------------
  // Tables

  private createTable(fields: Fields): JsonObject {
    const definitions = fields.list('AttributeDefinitions');
    const tableName = requiredTableName(fields);
    const keySchema = fields.list('KeySchema');
    const billingMode = fields.string('BillingMode');
    new Constraints()
      .notNull('attributeDefinitions', definitions)
      .tableNamePattern(tableName)
      .oneOf('billingMode', billingMode, ['PROVISIONED', 'PAY_PER_REQUEST'])
      .notNull('keySchema', keySchema)
      .length('keySchema', keySchema, 1, 2)
      .check();
    fields.refuse([
      'LocalSecondaryIndexes',
      'GlobalSecondaryIndexes',
      'StreamSpecification',
      'SSESpecification',
      'Tags',
      'TableClass',
      'DeletionProtectionEnabled',
      'ResourcePolicy',
      'OnDemandThroughput',
      'WarmThroughput',
    ]);
    const throughput = new Fields(fields.object('ProvisionedThroughput') ?? {});
    const read = throughput.integer('ReadCapacityUnits');
    const write = throughput.integer('WriteCapacityUnits');
    if (billingMode === 'PAY_PER_REQUEST' && fields.has('ProvisionedThroughput')) {
      throw validationError(
        'One or more parameter values were invalid: Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST',
      );
    }
    if (billingMode !== 'PAY_PER_REQUEST' && (read === undefined || write === undefined)) {
      throw validationError(
        'One or more parameter values were invalid: ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED',
      );
    }
    const types = new Map<string, KeyType>();
    for (const definition of definitions!) {
      const entry = new Fields(asObject(definition));
      const type = entry.string('AttributeType');
      const name = entry.string('AttributeName');
      if (name === undefined || (type !== 'S' && type !== 'N' && type !== 'B')) {
        throw validationError(
          `1 validation error detected: Value '${type ?? 'null'}' at 'attributeDefinitions.member.attributeType' failed to satisfy constraint: Member must satisfy enum value set: [B, N, S]`,
        );
      }
      types.set(name, type);
    }
    const keys = keySchema!.map((element) => {
      const entry = new Fields(asObject(element));
      return { name: entry.string('AttributeName') ?? '', type: entry.string('KeyType') ?? '' };
    });
    if (keys.some((key) => !types.has(key.name))) {
      throw validationError(
        `One or more parameter values were invalid: Some index key attributes are not defined in AttributeDefinitions. Keys: [${keys.map((k) => k.name).join(', ')}], AttributeDefinitions: [${[...types.keys()].join(', ')}]`,
      );
    }
    if (keys.length === 2 && keys[0]!.name === keys[1]!.name) {
      throw validationError('Both the Hash Key and the Range Key element in the KeySchema have the same name');
    }
    if (keys[0]!.type !== 'HASH') {
      throw validationError('Invalid KeySchema: The first KeySchemaElement is not a HASH key type');
    }
    if (keys[1] !== undefined && keys[1].type !== 'RANGE') {
      throw validationError('Invalid KeySchema: The second KeySchemaElement is not a RANGE key type');
    }
    if (keys.length !== types.size) {
      throw validationError(
        'One or more parameter values were invalid: Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions',
      );
    }
    if (this.tables.has(tableName)) {
      throw new DynamoError('ResourceInUseException', `Table already exists: ${tableName}`);
    }
    const attribute = (key: { name: string }): KeyAttribute => ({ name: key.name, type: types.get(key.name)! });
    const table = new Table({
      name: tableName,
      hash: attribute(keys[0]!),
      ...(keys[1] !== undefined && { range: attribute(keys[1]) }),
      billingMode: billingMode === 'PAY_PER_REQUEST' ? 'PAY_PER_REQUEST' : 'PROVISIONED',
      readCapacityUnits: read ?? 0,
      writeCapacityUnits: write ?? 0,
      createdAt: Date.now() / 1000,
      id: randomUUID(),
    });
    this.tables.set(tableName, table);
    // Created at once; DynamoDB's answer still says CREATING (DescribeTable then says ACTIVE).
    return { TableDescription: describe(table, 'CREATING') };
  }

  private describeTable(fields: Fields): JsonObject {
    return { Table: describe(this.namedTable(fields), 'ACTIVE') };
  }

  private deleteTable(fields: Fields): JsonObject {
    const table = this.namedTable(fields);
    this.tables.delete(table.definition.name);
    return { TableDescription: describe(table, 'DELETING') };
  }

  private namedTable(fields: Fields): Table {
    const name = requiredTableName(fields);
    new Constraints().tableNamePattern(name).check();
    const table = this.tables.get(name);
    if (table === undefined) throw resourceNotFound(`Requested resource not found: Table: ${name} not found`);
    return table;
  }

  private listTables(fields: Fields): JsonObject {
    const limit = fields.integer('Limit');
    const start = fields.string('ExclusiveStartTableName');
    const constraints = new Constraints().atLeast('limit', limit, 1).atMost('limit', limit, 100);
    if (start !== undefined) constraints.tableName(start, 'exclusiveStartTableName');
    constraints.check();
    let names = [...this.tables.keys()].sort();
    if (start !== undefined) names = names.filter((name) => name > start);
    const page = names.slice(0, limit ?? 100);
    return {
      TableNames: page,
      ...(names.length > page.length && { LastEvaluatedTableName: page[page.length - 1] }),
    };
  }

  // -------------------------------------------------------------------------------------------------------------
  // Items

  private getItem(fields: Fields): JsonObject {
    const tableName = fields.string('TableName');
    const rawKey = fields.object('Key');
    const consumed = fields.string('ReturnConsumedCapacity');
    const attributesToGet = fields.stringList('AttributesToGet');
    new Constraints()
      .oneOf('returnConsumedCapacity', consumed, RETURN_CONSUMED_CAPACITY)
      .length('attributesToGet', attributesToGet, 1, 255)
      .tableName(tableName)
      .notNull('key', rawKey)
      .check();
    fields.boolean('ConsistentRead');
    refuseConsumedCapacity(consumed);
    checkExpressionParameters(fields, ['ProjectionExpression'], ['AttributesToGet'], []);
    const key = checkItem(rawKey);
    if (attributesToGet !== undefined) {
      const duplicate = attributesToGet.find((name, i) => attributesToGet.indexOf(name) !== i);
      if (duplicate !== undefined) {
        throw validationError(
          `One or more parameter values were invalid: Duplicate value in attribute name: ${duplicate}`,
        );
      }
    }
    const input = expressionInput(fields);
    const projection = checkProjectionExpression(fields, input);
    checkUnused(input);
    const table = this.itemTable(tableName!);
    table.checkKey(key);
    const item = table.get(table.storageKey(key));
    if (item === undefined) return {};
    const paths = projection ?? attributesToGet?.map((name) => [name]);
    return { Item: paths === undefined ? item : project(item, paths) };
  }

  private putItem(fields: Fields): JsonObject {
    const common = writeRequest(fields, 'Item');
    checkExpressionParameters(fields, ['ConditionExpression'], ['Expected'], ['ConditionExpression']);
    fields.refuse(['Expected', 'ConditionalOperator']);
    const item = checkItem(fields.object('Item'));
    if (common.returnValues !== undefined && common.returnValues !== 'ALL_OLD' && common.returnValues !== 'NONE') {
      throw validationError('ReturnValues can only be ALL_OLD or NONE');
    }
    if (itemSize(item) > MAX_ITEM_BYTES) throw validationError('Item size has exceeded the maximum allowed size');
    const input = expressionInput(fields);
    const condition = checkConditionExpression(fields, input);
    checkUnused(input);
    const table = this.itemTable(common.tableName);
    table.checkItemKey(item);
    const storageKey = table.storageKey(item);
    const old = table.get(storageKey);
    checkWriteCondition(condition, old, input, common.returnOldOnFailure);
    table.put(storageKey, item);
    return old !== undefined && common.returnValues === 'ALL_OLD' ? { Attributes: old } : {};
  }

  private updateItem(fields: Fields): JsonObject {
    const common = writeRequest(fields, 'Key');
    checkExpressionParameters(
      fields,
      ['UpdateExpression', 'ConditionExpression'],
      ['AttributeUpdates', 'Expected'],
      ['UpdateExpression', 'ConditionExpression'],
    );
    fields.refuse(['AttributeUpdates', 'Expected', 'ConditionalOperator']);
    const key = checkItem(fields.object('Key'));
    const input = expressionInput(fields);
    const updateText = fields.string('UpdateExpression');
    let update: ReturnType<typeof checkUpdate> | undefined;
    if (updateText !== undefined) {
      update = checkUpdate(parsed('UpdateExpression', updateText, parseUpdate), input);
    }
    const condition = checkConditionExpression(fields, input);
    checkUnused(input);
    const table = this.itemTable(common.tableName);
    table.checkKey(key);
    for (const target of update?.targets ?? []) {
      const name = target[0];
      if (table.keyAttributes.some((attribute) => attribute.name === name)) {
        throw validationError(
          `One or more parameter values were invalid: Cannot update attribute ${name}. This attribute is part of the key`,
        );
      }
    }
    const storageKey = table.storageKey(key);
    const old = table.get(storageKey);
    checkWriteCondition(condition, old, input, common.returnOldOnFailure);
    const item = update === undefined ? (old ?? key) : applyUpdate(update, old ?? key, input);
    if (itemSize(item) > MAX_ITEM_BYTES) {
      throw validationError('Item size to update has exceeded the maximum allowed size');
    }
    table.put(storageKey, item);
    return updateResult(common.returnValues, old, item, update?.targets ?? []);
  }

  private deleteItem(fields: Fields): JsonObject {
    const common = writeRequest(fields, 'Key');
    checkExpressionParameters(fields, ['ConditionExpression'], ['Expected'], ['ConditionExpression']);
    fields.refuse(['Expected', 'ConditionalOperator']);
    const key = checkItem(fields.object('Key'));
    if (common.returnValues !== undefined && common.returnValues !== 'ALL_OLD' && common.returnValues !== 'NONE') {
      throw validationError('ReturnValues can only be ALL_OLD or NONE');
    }
    const input = expressionInput(fields);
    const condition = checkConditionExpression(fields, input);
    checkUnused(input);
    const table = this.itemTable(common.tableName);
    table.checkKey(key);
    const storageKey = table.storageKey(key);
    const old = table.get(storageKey);
    checkWriteCondition(condition, old, input, common.returnOldOnFailure);
    table.delete(storageKey);
    return old !== undefined && common.returnValues === 'ALL_OLD' ? { Attributes: old } : {};
  }

  private scan(fields: Fields): JsonObject {
    const { tableName, limit, select, consumed } = pageRequest(fields, SELECT);
    refuseConsumedCapacity(consumed);
    checkExpressionParameters(
      fields,
      ['ProjectionExpression', 'FilterExpression'],
      ['AttributesToGet', 'ScanFilter', 'ConditionalOperator'],
      ['FilterExpression'],
    );
    fields.refuse(['IndexName', 'Segment', 'TotalSegments', 'ScanFilter', 'AttributesToGet', 'ConditionalOperator']);
    const start = pageStart(fields, select);
    const input = expressionInput(fields);
    const filter = checkFilterExpression(fields, input);
    const projection = checkProjectionExpression(fields, input);
    checkUnused(input);
    checkSelect(select, projection);
    const table = this.itemTable(tableName!);
    if (start !== undefined) checkStartKey(table, start);
    return readPage(table, table.scan(start), { limit, select, filter, projection, input });
  }

  private query(fields: Fields): JsonObject {
    const { tableName, limit, select, consumed } = pageRequest(fields, [
      'SPECIFIC_ATTRIBUTES',
      'COUNT',
      'ALL_ATTRIBUTES',
      'ALL_PROJECTED_ATTRIBUTES',
    ]);
    const forward = fields.boolean('ScanIndexForward') ?? true;
    refuseConsumedCapacity(consumed);
    checkExpressionParameters(
      fields,
      ['ProjectionExpression', 'FilterExpression', 'KeyConditionExpression'],
      ['AttributesToGet', 'QueryFilter', 'ConditionalOperator', 'KeyConditions'],
      ['FilterExpression', 'KeyConditionExpression'],
    );
    fields.refuse(['IndexName', 'KeyConditions', 'QueryFilter', 'AttributesToGet', 'ConditionalOperator']);
    const start = pageStart(fields, select);
    const keyText = fields.string('KeyConditionExpression');
    if (keyText === undefined) {
      throw validationError(
        'Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.',
      );
    }
    const input = expressionInput(fields);
    const keyCondition = parsed('KeyConditionExpression', keyText, parseCondition);
    checkCondition(keyCondition, input, 'KeyConditionExpression');
    const filter = checkFilterExpression(fields, input);
    const projection = checkProjectionExpression(fields, input);
    checkUnused(input);
    const conditions = keyConditions(keyCondition.tree, input);
    checkSelect(select, projection);
    const table = this.itemTable(tableName!);
    if (start !== undefined) checkQueryStartKey(table, start);
    checkKeySchema(table, conditions);
    if (start !== undefined) checkStartInRange(table, start, conditions);
    if (filter !== undefined) checkFilterKeys(table, filter, input.names);
    const { hash, range } = table.definition;
    const hashValue = conditions.get(hash.name)!.values[0]!;
    const rangeCondition = range === undefined ? undefined : conditions.get(range.name);
    let matches = table.itemsWithHash(hashValue[hash.type] as string);
    if (range !== undefined && rangeCondition !== undefined) {
      matches = matches.filter((item) => matchesRange(item, range.name, range.type, rangeCondition));
    }
    if (!forward) matches.reverse();
    if (start !== undefined) {
      const after = matches.findIndex((item) => table.compareKeys(item, start) * (forward ? 1 : -1) > 0);
      matches = after < 0 ? [] : matches.slice(after);
    }
    return readPage(table, matches, { limit, select, filter, projection, input });
  }

  private itemTable(name: string): Table {
    const table = this.tables.get(name);
    if (table === undefined) throw resourceNotFound();
    return table;
  }
}

/** What Scan and Query read first, alike: the table, the page size, Select and ReturnConsumedCapacity, checked. */
function pageRequest(fields: Fields, selects: readonly string[]) {
  const tableName = fields.string('TableName');
  const limit = fields.integer('Limit');
  const select = fields.string('Select');
  const consumed = fields.string('ReturnConsumedCapacity');
  new Constraints()
    .oneOf('returnConsumedCapacity', consumed, RETURN_CONSUMED_CAPACITY)
    .tableName(tableName)
    .atLeast('limit', limit, 1)
    .oneOf('select', select, selects)
    .check();
  fields.boolean('ConsistentRead');
  return { tableName, limit, select, consumed };
}

/** Scan's and Query's ExclusiveStartKey, checked as an item; index projections are refused first. */
function pageStart(fields: Fields, select: string | undefined): Item | undefined {
  if (select === 'ALL_PROJECTED_ATTRIBUTES') throw unsupported('Select ALL_PROJECTED_ATTRIBUTES (an index)');
  const rawStart = fields.object('ExclusiveStartKey');
  return rawStart === undefined ? undefined : checkItem(rawStart);
}

function asObject(value: unknown): JsonObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw serializationError('Unexpected value type in payload');
  }
  return value as JsonObject;
}

function describe(table: Table, status: string): JsonObject {
  const { definition } = table;
  const pay = definition.billingMode === 'PAY_PER_REQUEST';
  return {
    AttributeDefinitions: table.keyAttributes.map((key) => ({ AttributeName: key.name, AttributeType: key.type })),
    KeySchema: table.keyAttributes.map((key, i) => ({ AttributeName: key.name, KeyType: i === 0 ? 'HASH' : 'RANGE' })),
    TableName: definition.name,
    TableStatus: status,
    CreationDateTime: definition.createdAt,
    ItemCount: table.size,
    TableSizeBytes: 0,
    TableArn: `arn:aws:dynamodb:${LOCAL_REGION}:${LOCAL_ACCOUNT}:table/${definition.name}`,
    TableId: definition.id,
    ProvisionedThroughput: {
      NumberOfDecreasesToday: 0,
      ReadCapacityUnits: definition.readCapacityUnits,
      WriteCapacityUnits: definition.writeCapacityUnits,
    },
    ...(pay && {
      BillingModeSummary: {
        BillingMode: 'PAY_PER_REQUEST',
        LastUpdateToPayPerRequestDateTime: definition.createdAt,
      },
    }),
    DeletionProtectionEnabled: false,
  };
}

interface WriteRequest {
  readonly tableName: string;
  readonly returnValues: string | undefined;
  readonly returnOldOnFailure: boolean;
}

/** The members PutItem, UpdateItem and DeleteItem share, with their model constraints. */
function writeRequest(fields: Fields, itemMember: 'Item' | 'Key'): WriteRequest {
  const consumed = fields.string('ReturnConsumedCapacity');
  const tableName = fields.string('TableName');
  const metrics = fields.string('ReturnItemCollectionMetrics');
  const returnValues = fields.string('ReturnValues');
  const onFailure = fields.string('ReturnValuesOnConditionCheckFailure');
  new Constraints()
    .oneOf('returnConsumedCapacity', consumed, RETURN_CONSUMED_CAPACITY)
    .tableName(tableName)
    .oneOf('returnItemCollectionMetrics', metrics, RETURN_ITEM_COLLECTION_METRICS)
    .oneOf('returnValues', returnValues, RETURN_VALUES)
    .notNull(itemMember === 'Item' ? 'item' : 'key', fields.object(itemMember))
    .oneOf('returnValuesOnConditionCheckFailure', onFailure, RETURN_VALUES_ON_CONDITION_CHECK_FAILURE)
    .check();
  refuseConsumedCapacity(consumed);
  // ReturnItemCollectionMetrics SIZE reports on local secondary indexes; tables here have none, as DynamoDB then
  // returns nothing.
  return { tableName: tableName!, returnValues, returnOldOnFailure: onFailure === 'ALL_OLD' };
}

/** DynamoDB's rules on mixing expression and legacy parameters, and on placeholders without expressions. */
function checkExpressionParameters(
  fields: Fields,
  expressions: readonly string[],
  legacy: readonly string[],
  valueExpressions: readonly string[],
): void {
  const used = expressions.filter((name) => fields.has(name));
  const usedLegacy = legacy.filter((name) => fields.has(name));
  if (used.length > 0 && usedLegacy.length > 0) {
    throw validationError(
      `Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {${usedLegacy.join(', ')}} Expression parameters: {${used.join(', ')}}`,
    );
  }
  if (fields.has('ExpressionAttributeNames') && used.length === 0) {
    throw validationError('ExpressionAttributeNames can only be specified when using expressions');
  }
  if (
    valueExpressions.length > 0 &&
    fields.has('ExpressionAttributeValues') &&
    valueExpressions.every((name) => !fields.has(name))
  ) {
    throw validationError(
      `ExpressionAttributeValues can only be specified when using expressions: ${valueExpressions.join(' and ')} ${valueExpressions.length > 1 ? 'are' : 'is'} null`,
    );
  }
}

const NAME_KEY = /^#[0-9a-zA-Z_]+$/;
const VALUE_KEY = /^:[0-9a-zA-Z_]+$/;

/** The request's ExpressionAttributeNames and ExpressionAttributeValues, checked as DynamoDB checks them. */
function expressionInput(fields: Fields): ExpressionInput {
  const names = fields.stringMap('ExpressionAttributeNames');
  const rawValues = fields.object('ExpressionAttributeValues');
  if (names !== undefined) {
    const keys = Object.keys(names);
    if (keys.length === 0) throw validationError('ExpressionAttributeNames must not be empty');
    const invalid = keys.find((key) => !NAME_KEY.test(key));
    if (invalid !== undefined) {
      throw validationError(`ExpressionAttributeNames contains invalid key: Syntax error; key: "${invalid}"`);
    }
  }
  let values: Record<string, AttributeValue> | undefined;
  if (rawValues !== undefined) {
    const keys = Object.keys(rawValues);
    if (keys.length === 0) throw validationError('ExpressionAttributeValues must not be empty');
    const invalid = keys.find((key) => !VALUE_KEY.test(key));
    if (invalid !== undefined) {
      throw validationError(`ExpressionAttributeValues contains invalid key: Syntax error; key: "${invalid}"`);
    }
    values = record<AttributeValue>();
    for (const key of keys) {
      if (rawValues[key] === null) continue;
      try {
        values[key] = checkAttributeValue(rawValues[key]);
      } catch (error) {
        if (!(error instanceof DynamoError) || error.type !== 'ValidationException') throw error;
        throw validationError(`ExpressionAttributeValues contains invalid value: ${error.message} for key ${key}`);
      }
    }
  }
  return {
    names,
    values,
    unusedNames: new Set(names === undefined ? [] : Object.keys(names)),
    unusedValues: new Set(values === undefined ? [] : Object.keys(values)),
  };
}

/** Parses with the request member's name in DynamoDB's messages ("Invalid UpdateExpression: …"). */
function parsed<T>(member: string, text: string, parse: (text: string) => T): T {
  if (text === '') throw validationError(`Invalid ${member}: The expression can not be empty;`);
  try {
    return parse(text);
  } catch (error) {
    if (!(error instanceof ExpressionSyntaxError)) throw error;
    throw validationError(`Invalid ${member}: ${error.message}`);
  }
}

function checkConditionExpression(fields: Fields, input: ExpressionInput) {
  const text = fields.string('ConditionExpression');
  if (text === undefined) return undefined;
  const condition = parsed('ConditionExpression', text, parseCondition);
  checkCondition(condition, input, 'ConditionExpression');
  return condition.tree;
}

function checkProjectionExpression(fields: Fields, input: ExpressionInput): ResolvedPath[] | undefined {
  const text = fields.string('ProjectionExpression');
  if (text === undefined) return undefined;
  return checkProjection(parsed('ProjectionExpression', text, parseProjection), input);
}

function checkUnused(input: ExpressionInput): void {
  if (input.unusedNames.size > 0) {
    throw validationError(
      `Value provided in ExpressionAttributeNames unused in expressions: keys: {${[...input.unusedNames].join(', ')}}`,
    );
  }
  if (input.unusedValues.size > 0) {
    throw validationError(
      `Value provided in ExpressionAttributeValues unused in expressions: keys: {${[...input.unusedValues].join(', ')}}`,
    );
  }
}

/** The atomic part of a conditional write: no await may come between this check and the write after it. */
function checkWriteCondition(
  condition: ReturnType<typeof checkConditionExpression>,
  old: Item | undefined,
  input: ExpressionInput,
  returnOldOnFailure: boolean,
): void {
  if (condition === undefined || evaluateCondition(condition, old ?? EMPTY_ITEM, input)) return;
  throw conditionalCheckFailed(returnOldOnFailure ? old : undefined);
}

const EMPTY_ITEM: Item = Object.freeze(record<AttributeValue>());

function updateResult(
  returnValues: string | undefined,
  old: Item | undefined,
  item: Item,
  targets: readonly ResolvedPath[],
): JsonObject {
  switch (returnValues) {
    case 'ALL_OLD':
      return old === undefined ? {} : { Attributes: old };
    case 'UPDATED_OLD':
      return old === undefined ? {} : { Attributes: project(old, targets) };
    case 'ALL_NEW':
      return { Attributes: item };
    case 'UPDATED_NEW':
      return { Attributes: project(item, targets) };
    default:
      return {};
  }
}

const SELECT = ['SPECIFIC_ATTRIBUTES', 'COUNT', 'ALL_ATTRIBUTES', 'ALL_PROJECTED_ATTRIBUTES'];

function checkFilterExpression(fields: Fields, input: ExpressionInput): Condition | undefined {
  const text = fields.string('FilterExpression');
  if (text === undefined) return undefined;
  const filter = parsed('FilterExpression', text, parseCondition);
  checkCondition(filter, input, 'FilterExpression');
  return filter.tree;
}

function checkSelect(select: string | undefined, projection: ResolvedPath[] | undefined): void {
  if (select === 'SPECIFIC_ATTRIBUTES' && projection === undefined) {
    throw validationError(
      'One or more parameter values were invalid: Select type SPECIFIC_ATTRIBUTES requires ProjectionExpression or AttributesToGet',
    );
  }
  if (select !== undefined && select !== 'SPECIFIC_ATTRIBUTES' && projection !== undefined) {
    throw validationError(
      `One or more parameter values were invalid: Cannot specify the ProjectionExpression when choosing to get ${select}`,
    );
  }
}

function checkStartKey(table: Table, start: Item): void {
  try {
    table.checkKey(start);
  } catch (error) {
    throw validationError(`The provided starting key is invalid: ${(error as Error).message}`);
  }
}

interface PageOptions {
  readonly limit: number | undefined;
  readonly select: string | undefined;
  readonly filter: Condition | undefined;
  readonly projection: ResolvedPath[] | undefined;
  readonly input: ExpressionInput;
}

/**
 * One page of a Scan or Query: items are read up to Limit or 1 MB, then filtered (the filter does not count against
 * the limit, as in DynamoDB), then projected; LastEvaluatedKey when the page stopped before the end.
 */
function readPage(table: Table, source: Iterable<Item>, options: PageOptions): JsonObject {
  const { limit, select, filter, projection, input } = options;
  const items: Item[] = [];
  let scanned = 0;
  let bytes = 0;
  let last: Item | undefined;
  for (const item of source) {
    if ((limit !== undefined && scanned >= limit) || bytes >= MAX_PAGE_BYTES) break;
    scanned++;
    bytes += itemSize(item);
    last = item;
    if (filter === undefined || evaluateCondition(filter, item, input)) items.push(item);
  }
  const full = (limit !== undefined && scanned >= limit) || bytes >= MAX_PAGE_BYTES;
  return {
    Count: items.length,
    ScannedCount: scanned,
    ...(select !== 'COUNT' && {
      Items: projection === undefined ? items : items.map((item) => project(item, projection)),
    }),
    ...(full && last !== undefined && { LastEvaluatedKey: table.keyOf(last) }),
  };
}
