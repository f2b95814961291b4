/**
 * The local DynamoDB stand-in on its own (what the conformance test cannot compare with dynalite): conditional writes
 * are atomic under concurrency, hostile input gets a 4xx JSON answer quickly and never stops the server, and the back
 * door reads the store as the SDK would.
 */
import { type DynamoDBClient, GetItemCommand, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { startLocalDynamo, type LocalDynamo } from '../../local/dynamo';

let dynamo: LocalDynamo;
let client: DynamoDBClient;

beforeAll(async () => {
  dynamo = await startLocalDynamo();
  client = dynamo.client({ maxAttempts: 1 });
});
afterAll(async () => {
  client.destroy();
  await dynamo.close();
});

const errorOf = async (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: Error) => ({ name: error.name, message: error.message }),
  );

describe('atomic conditional writes', () => {
  it('of 50 concurrent creates of one item, exactly one wins', async () => {
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        errorOf(
          client.send(
            new UpdateItemCommand({
              TableName: dynamo.tableName,
              Key: { pk: { S: 'race' } },
              UpdateExpression: 'SET winner = :i',
              ConditionExpression: 'attribute_not_exists(pk)',
              ExpressionAttributeValues: { ':i': { N: String(i) } },
            }),
          ),
        ),
      ),
    );
    expect(results.filter((r) => r === undefined)).toHaveLength(1);
    expect(results.filter((r) => r?.name === 'ConditionalCheckFailedException')).toHaveLength(49);
  });

  it('50 concurrent ADDs all count', async () => {
    await Promise.all(
      Array.from({ length: 50 }, () =>
        client.send(
          new UpdateItemCommand({
            TableName: dynamo.tableName,
            Key: { pk: { S: 'counter' } },
            UpdateExpression: 'ADD n :one',
            ExpressionAttributeValues: { ':one': { N: '1' } },
          }),
        ),
      ),
    );
    const { Item } = await client.send(
      new GetItemCommand({ TableName: dynamo.tableName, Key: { pk: { S: 'counter' } }, ConsistentRead: true }),
    );
    expect(Item?.n).toEqual({ N: '50' });
  });
});

describe('hostile input', () => {
  const condition = (expression: string) =>
    errorOf(
      client.send(
        new UpdateItemCommand({
          TableName: dynamo.tableName,
          Key: { pk: { S: 'hostile' } },
          UpdateExpression: 'REMOVE x',
          ConditionExpression: expression,
          ExpressionAttributeValues: { ':v': { S: 'v' } },
        }),
      ),
    );

  it('deeply nested parentheses are answered at once, not by exploring every way to read them', async () => {
    const started = Date.now();
    expect(await condition(`${'('.repeat(40)}a${')'.repeat(40)} = :v`)).toEqual({
      name: 'ValidationException',
      message: 'Invalid ConditionExpression: The expression has redundant parentheses;',
    });
    expect(await condition(`${'('.repeat(1500)}a = :v${')'.repeat(1500)}`)).toMatchObject({
      name: 'ValidationException',
    });
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('an expression over 4 KB, and values nested past 32 levels, are refused', async () => {
    expect(await condition(`a = :v${' OR a = :v'.repeat(500)}`)).toEqual({
      name: 'ValidationException',
      message: expect.stringMatching(
        /^Invalid ConditionExpression: Expression size has exceeded the maximum allowed size/,
      ),
    });
    let nested: Record<string, unknown> = { S: 'deep' };
    for (let i = 0; i < 40; i++) nested = { L: [nested] };
    const put = new PutItemCommand({
      TableName: dynamo.tableName,
      Item: { pk: { S: 'deep' }, deep: nested as never },
    });
    expect(await errorOf(client.send(put))).toEqual({
      name: 'ValidationException',
      message: 'Nesting Levels have exceeded supported limits',
    });
  });

  it('bodies that are not DynamoDB requests get a 4xx JSON error, and the server goes on answering', async () => {
    const send = (headers: Record<string, string>, body: string, method = 'POST') =>
      fetch(dynamo.url, { method, headers, ...(method === 'POST' && { body }) });
    const json = { 'content-type': 'application/x-amz-json-1.0' };
    const cases: [Record<string, string>, string, number, RegExp][] = [
      [{ ...json, 'x-amz-target': 'DynamoDB_20120810.GetItem' }, '{"TableName":', 400, /#SerializationException$/],
      [{ ...json, 'x-amz-target': 'DynamoDB_20120810.GetItem' }, '[1, 2]', 400, /#SerializationException$/],
      [{ ...json, 'x-amz-target': 'DynamoDB_20120810.GetItem' }, '{"TableName": 5}', 400, /#SerializationException$/],
      [{ ...json, 'x-amz-target': 'DynamoDB_20120810.GetItem' }, '{"TableName":"t","Key":{"pk":"x"}}', 400, /#/],
      [{ ...json, 'x-amz-target': 'DynamoDB_20120810.Nope' }, '{}', 400, /#UnknownOperationException$/],
      [{ ...json, 'x-amz-target': 'DynamoDB_20120810.BatchGetItem' }, '{}', 400, /#ValidationException$/],
      [{ 'content-type': 'text/plain', 'x-amz-target': 'DynamoDB_20120810.GetItem' }, '{}', 400, /#UnknownOperation/],
      [{ ...json }, '{}', 400, /#UnknownOperationException$/],
    ];
    for (const [headers, body, status, type] of cases) {
      const response = await send(headers, body);
      expect({ body, status: response.status }).toEqual({ body, status });
      expect(((await response.json()) as { __type: string }).__type).toMatch(type);
    }
    expect((await send({}, '', 'GET')).status).toBe(200);
    const { Item } = await client.send(
      new GetItemCommand({ TableName: dynamo.tableName, Key: { pk: { S: 'counter' } } }),
    );
    expect(Item).toBeDefined();
  });
});

describe('the back door', () => {
  it('items() returns what the SDK would (binaries as bytes) and clearLockouts() removes the OWNER# items only', async () => {
    await client.send(
      new PutItemCommand({
        TableName: dynamo.tableName,
        Item: { pk: { S: 'OWNER#x' }, b: { B: Buffer.from([1, 2, 3]) }, m: { M: { bs: { BS: [Buffer.from('a')] } } } },
      }),
    );
    const owner = (await dynamo.items()).find((item) => item.pk?.S === 'OWNER#x');
    expect(owner).toEqual({
      pk: { S: 'OWNER#x' },
      b: { B: Buffer.from([1, 2, 3]) },
      m: { M: { bs: { BS: [Buffer.from('a')] } } },
    });
    dynamo.faults.setDown(true);
    try {
      expect(await dynamo.clearLockouts()).toBe(1);
    } finally {
      dynamo.faults.setDown(false);
    }
    expect((await dynamo.items()).some((item) => item.pk?.S?.startsWith('OWNER#'))).toBe(false);
    expect((await dynamo.items()).some((item) => item.pk?.S === 'counter')).toBe(true);
  });
});
