/**
 * Local mode's DynamoDB (local/dynamodb.ts: dynalite behind a fault layer), driven with the real
 * `@aws-sdk/client-dynamodb` client: what the handlers and `consumeVerdict` need of DynamoDB, through their own code,
 * holds here; conditional writes are atomic under concurrency; the fault layer injects what it is told to and the back
 * door bypasses it; nothing a client sends stops the server.
 *
 * Where dynalite differs from DynamoDB, nothing of this project depends on the difference: dynalite ignores
 * ReturnValuesOnConditionCheckFailure (no caller reads the item of a ConditionalCheckFailedException), words its
 * syntax errors differently, compares lists and maps by reference and takes `false` or "" for a missing attribute in
 * IN, BETWEEN and attribute_type (no condition of ours uses those on such values), and deletes nothing by TTL (the
 * handlers compare times themselves).
 */
import {
  type AttributeValue,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { request } from 'node:http';
import { consumeVerdict } from '../../client/consume-verdict';
import { SESSION_TABLE_KEY } from '../../contract/session-table-schema';
import { dynamoSessionRecords } from '../../lambda/shared/session-records';
import { startLocalDynamo, type LocalDynamo } from '../../local/dynamodb';

let dynamo: LocalDynamo;
let client: DynamoDBClient;
let startMs: number;

beforeAll(async () => {
  const started = performance.now();
  dynamo = await startLocalDynamo();
  startMs = performance.now() - started;
  client = dynamo.client({ maxAttempts: 1 });
});
afterAll(async () => {
  client.destroy();
  await dynamo.close();
});
afterEach(() => dynamo.faults.reset());

let counter = 0;
/** A key no other test uses. */
const fresh = (label: string) => `${label}-${++counter}`;
const key = (pk: string): Record<string, AttributeValue> => ({ [SESSION_TABLE_KEY]: { S: pk } });
const getItem = async (pk: string) =>
  (await client.send(new GetItemCommand({ TableName: dynamo.tableName, Key: key(pk), ConsistentRead: true }))).Item;
const errorOf = async (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: Error) => ({ name: error.name, message: error.message }),
  );

it('starts in memory with the session table ACTIVE, well within a test’s budget', () => {
  expect(startMs).toBeLessThan(2_000);
});

describe('the project’s own requests, through its real code', () => {
  const noBackoff = { backoff: async () => {} };
  const policy = { maxFailures: 2, windowMs: 60_000, lockoutMs: 1_000, backoffFactor: 2, maxLockoutMs: 10_000 };
  const now = Date.parse('2030-01-01T00:00:00.000Z');
  const live = {
    status: 'SUCCEEDED',
    isLive: true,
    threshold: 80,
    feedback: [],
    decidedAt: '2030-01-01T00:00:00.000Z',
  } as const;
  const notLive = {
    status: 'FAILED',
    isLive: false,
    reason: 'LOW_CONFIDENCE',
    threshold: 80,
    feedback: ['FACE_NOT_VISIBLE'],
    decidedAt: '2030-01-01T00:00:01.000Z',
    challenge: { type: 'FaceMovementAndLightChallenge', version: '2.0.0' },
  } as const;
  const newSession = (sessionId: string, owner: string) => ({
    sessionId,
    owner,
    createdAt: now,
    expiresAt: now + 180_000,
    deleteAfterSeconds: now / 1000 + 86_400,
  });

  it('a session is recorded once: a replay by anyone changes nothing, and it reads back', async () => {
    const records = dynamoSessionRecords(client, dynamo.tableName, noBackoff);
    const id = fresh('session');
    const owner = fresh('owner');

    await records.recordSession(newSession(id, owner));
    await records.recordSession(newSession(id, 'someone else'));

    expect(await records.getSession(id)).toEqual({
      sessionId: id,
      owner,
      createdAt: '2030-01-01T00:00:00.000Z',
      deleteAfterSeconds: now / 1000 + 86_400,
    });
    expect(await records.getSession(fresh('missing'))).toBeUndefined();
  });

  it('the first verdict stands, with every attribute it was written with', async () => {
    const records = dynamoSessionRecords(client, dynamo.tableName, noBackoff);
    const id = fresh('session');
    const other = fresh('session');
    const owner = fresh('owner');
    await records.recordSession(newSession(id, owner));
    await records.recordSession(newSession(other, owner));

    expect(await records.recordVerdict(id, owner, live)).toEqual({ recorded: true, verdict: live });
    expect(await records.recordVerdict(id, owner, notLive)).toEqual({ recorded: false, verdict: live });
    expect(await records.recordVerdict(other, owner, notLive)).toEqual({ recorded: true, verdict: notLive });
    expect(await records.recordVerdict(fresh('missing'), owner, live)).toBeUndefined();
    expect((await records.getSession(other))?.verdict).toEqual(notLive);
  });

  it('consumeVerdict: once, and never a verdict that is not live', async () => {
    const records = dynamoSessionRecords(client, dynamo.tableName, noBackoff);
    const id = fresh('session');
    const failed = fresh('session');
    const owner = fresh('owner');
    await records.recordSession(newSession(id, owner));
    await records.recordSession(newSession(failed, owner));
    await records.recordVerdict(id, owner, live);
    await records.recordVerdict(failed, owner, notLive);
    const consume = (sessionId: string, isLive = true) =>
      consumeVerdict(client, {
        tableName: dynamo.tableName,
        claims: { sid: sessionId, live: isLive, exp: Math.floor(now / 1000) + 300 },
        now: new Date(now + 5_000),
      });

    expect(await consume(failed, false)).toBe(false);
    expect(await records.isConsumed(id)).toBe(false);
    expect(await consume(id)).toBe(true);
    expect(await consume(id)).toBe(false);
    expect(await records.isConsumed(id)).toBe(true);
  });

  it('failures are counted once per session and start a lockout at the maximum', async () => {
    const records = dynamoSessionRecords(client, dynamo.tableName, noBackoff);
    const owner = fresh('owner');
    const failure = (i: number) => ({ sessionId: `failure-${owner}-${i}`, failedAt: now + i });

    expect(await records.lockedUntil(owner)).toBe(0);
    const first = await records.countFailure(owner, failure(0), now, policy);
    const again = await records.countFailure(owner, failure(0), now + 1, policy);
    const second = await records.countFailure(owner, failure(1), now + 2, policy);
    const whileLocked = await records.countFailure(owner, failure(2), now + 3, policy);

    expect(first).toEqual({ lockStarted: false, lockedUntil: 0 });
    expect(again).toBeUndefined();
    expect(second).toEqual({ lockStarted: true, lockedUntil: now + 2 + policy.lockoutMs });
    expect(whileLocked).toMatchObject({ refused: true });
    expect(await records.lockedUntil(owner)).toBe(now + 2 + policy.lockoutMs);
  });

  it('concurrent failures of one owner are each counted once (optimistic locking on the version)', async () => {
    const records = dynamoSessionRecords(client, dynamo.tableName, { maxAttempts: 50, backoff: async () => {} });
    const owner = fresh('owner');
    const wide = { ...policy, maxFailures: 100 };

    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        records.countFailure(owner, { sessionId: `s-${i}`, failedAt: now + i }, now + 10, wide),
      ),
    );

    const item = await getItem(`OWNER#${owner}`);
    expect(item?.version).toEqual({ N: '10' });
  });

  it('a projection of lockedUntil reads, and a reserved word in one is refused as DynamoDB does', async () => {
    const pk = `OWNER#${fresh('owner')}`;
    await client.send(
      new PutItemCommand({
        TableName: dynamo.tableName,
        Item: { ...key(pk), lockedUntil: { N: '17' }, owner: { S: 'x' } },
      }),
    );
    const project = (expression: string) =>
      client.send(new GetItemCommand({ TableName: dynamo.tableName, Key: key(pk), ProjectionExpression: expression }));

    expect((await project('lockedUntil')).Item).toEqual({ lockedUntil: { N: '17' } });
    expect(await errorOf(project('lockedUntil, owner'))).toEqual({
      name: 'ValidationException',
      message: 'Invalid ProjectionExpression: Attribute name is a reserved keyword; reserved keyword: owner',
    });
  });
});

describe('atomic conditional writes', () => {
  const outcomes = (results: ({ name: string } | undefined)[]) => ({
    won: results.filter((r) => r === undefined).length,
    lost: results.filter((r) => r?.name === 'ConditionalCheckFailedException').length,
  });

  it('of 50 concurrent conditional creates of one item by UpdateItem, exactly one wins', async () => {
    const pk = fresh('race');
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        errorOf(
          client.send(
            new UpdateItemCommand({
              TableName: dynamo.tableName,
              Key: key(pk),
              UpdateExpression: 'SET winner = :i',
              ConditionExpression: 'attribute_not_exists(pk)',
              ExpressionAttributeValues: { ':i': { N: String(i) } },
            }),
          ),
        ),
      ),
    );
    expect(outcomes(results)).toEqual({ won: 1, lost: 49 });
  });

  it('of 50 concurrent conditional PutItems of one item, exactly one wins and its item stays', async () => {
    const pk = fresh('race');
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        errorOf(
          client.send(
            new PutItemCommand({
              TableName: dynamo.tableName,
              Item: { ...key(pk), winner: { N: String(i) } },
              ConditionExpression: 'attribute_not_exists(#pk)',
              ExpressionAttributeNames: { '#pk': SESSION_TABLE_KEY },
            }),
          ),
        ),
      ),
    );
    expect(outcomes(results)).toEqual({ won: 1, lost: 49 });
    expect((await getItem(pk))?.winner?.N).toBe(String(results.indexOf(undefined)));
  });

  it('of 50 concurrent consumers of one live verdict, exactly one consumes it', async () => {
    const records = dynamoSessionRecords(client, dynamo.tableName);
    const id = fresh('session');
    const owner = fresh('owner');
    const now = Date.now();
    await records.recordSession({
      sessionId: id,
      owner,
      createdAt: now,
      expiresAt: now + 180_000,
      deleteAfterSeconds: 0,
    });
    await records.recordVerdict(id, owner, {
      status: 'SUCCEEDED',
      isLive: true,
      threshold: 80,
      feedback: [],
      decidedAt: new Date(now).toISOString(),
    });

    const consumed = await Promise.all(
      Array.from({ length: 50 }, () =>
        consumeVerdict(client, {
          tableName: dynamo.tableName,
          claims: { sid: id, live: true, exp: Math.floor(now / 1000) + 300 },
        }),
      ),
    );

    expect(consumed.filter(Boolean)).toHaveLength(1);
  });

  it('50 concurrent ADDs all count', async () => {
    const pk = fresh('counter');
    await Promise.all(
      Array.from({ length: 50 }, () =>
        client.send(
          new UpdateItemCommand({
            TableName: dynamo.tableName,
            Key: key(pk),
            UpdateExpression: 'ADD n :one',
            ExpressionAttributeValues: { ':one': { N: '1' } },
          }),
        ),
      ),
    );
    expect((await getItem(pk))?.n).toEqual({ N: '50' });
  });
});

describe('the fault layer', () => {
  const put = (pk: string) => client.send(new PutItemCommand({ TableName: dynamo.tableName, Item: key(pk) }));

  it('fails the next calls of the operation it is given, then lets them through', async () => {
    const pk = fresh('fault');
    dynamo.faults.failNext('ProvisionedThroughputExceededException', { count: 2, operation: 'GetItem' });

    await put(pk);
    expect(await errorOf(getItem(pk))).toMatchObject({ name: 'ProvisionedThroughputExceededException' });
    expect(await errorOf(getItem(pk))).toMatchObject({ name: 'ProvisionedThroughputExceededException' });
    expect(await getItem(pk)).toEqual(key(pk));
    expect(dynamo.faults.injected).toBe(2);
  });

  it('a seeded error rate fails the same share of calls on every run', async () => {
    const run = async () => {
      dynamo.faults.setErrorRate(0.5, { seed: 7 });
      const results = [];
      for (let i = 0; i < 20; i++) results.push((await errorOf(put(fresh('rate'))))?.name ?? 'ok');
      return results;
    };

    const first = await run();
    const second = await run();

    expect(first).toEqual(second);
    expect(first.filter((r) => r === 'InternalServerError').length).toBeGreaterThan(0);
    expect(first.filter((r) => r === 'ok').length).toBeGreaterThan(0);
  });

  it('an outage drops connections and a latency delays answers, while the back door reads and clears as usual', async () => {
    const owner = `OWNER#${fresh('owner')}`;
    const session = `SESSION#${fresh('session')}`;
    await client.send(
      new PutItemCommand({ TableName: dynamo.tableName, Item: { ...key(owner), b: { B: Buffer.from([1, 2, 3]) } } }),
    );
    await put(session);

    dynamo.faults.setDown(true);
    expect(await errorOf(put(fresh('down')))).toBeDefined();
    expect((await dynamo.items()).find((item) => item.pk?.S === owner)).toEqual({
      ...key(owner),
      b: { B: Buffer.from([1, 2, 3]) },
    });
    expect(await dynamo.clearLockouts()).toBeGreaterThanOrEqual(1);
    dynamo.faults.setDown(false);
    dynamo.faults.setLatency(150);
    const started = Date.now();
    await getItem(session);

    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    const items = await dynamo.items();
    expect(items.some((item) => item.pk?.S?.startsWith('OWNER#'))).toBe(false);
    expect(items.some((item) => item.pk?.S === session)).toBe(true);
  });
});

describe('hostile input', () => {
  const send = (headers: Record<string, string>, body: string, method = 'POST') =>
    fetch(dynamo.url, { method, headers, ...(method === 'POST' && { body }) });
  const json = { 'content-type': 'application/x-amz-json-1.0', authorization: 'AWS4-HMAC-SHA256 x' };

  it('bodies that are not DynamoDB requests get a 4xx answer, and the server goes on answering', async () => {
    const cases: [Record<string, string>, string][] = [
      [{ ...json, 'x-amz-target': 'DynamoDB_20120810.GetItem' }, '{"TableName":'],
      [{ ...json, 'x-amz-target': 'DynamoDB_20120810.GetItem' }, '[1, 2]'],
      [{ ...json, 'x-amz-target': 'DynamoDB_20120810.GetItem' }, '{"TableName": 5}'],
      [{ ...json, 'x-amz-target': 'DynamoDB_20120810.GetItem' }, '{"TableName":"t","Key":{"pk":"x"}}'],
      [{ ...json, 'x-amz-target': 'DynamoDB_20120810.Nope' }, '{}'],
      [{ 'content-type': 'text/plain', 'x-amz-target': 'DynamoDB_20120810.GetItem' }, '{}'],
      [{ ...json }, '{}'],
    ];
    for (const [headers, body] of cases) {
      const response = await send(headers, body);
      expect({ body, status: response.status >= 400 && response.status < 500 }).toEqual({ body, status: true });
      await response.arrayBuffer();
    }
    expect((await send({}, '', 'GET')).status).toBe(200);
  });

  it('a web page cannot reach it: a request with an Origin header gets 403 and no CORS header', async () => {
    const origin = { origin: 'https://example.com' };
    const target = { 'x-amz-target': 'DynamoDB_20120810.ListTables' };

    const preflight = await send({ ...origin, 'access-control-request-method': 'POST' }, '', 'OPTIONS');
    const post = await send({ ...json, ...target, ...origin }, '{}');

    for (const response of [preflight, post]) {
      expect(response.status).toBe(403);
      expect(response.headers.get('access-control-allow-origin')).toBeNull();
      await response.arrayBuffer();
    }
  });

  it('a body over DynamoDB’s 16 MB limit gets 413', async () => {
    const response = await send(
      { ...json, 'x-amz-target': 'DynamoDB_20120810.PutItem' },
      'x'.repeat(16 * 1024 * 1024 + 1),
    );
    expect(response.status).toBe(413);
  });

  it('a client that hangs up in the middle of its body does not stop the server', async () => {
    const { port } = new URL(dynamo.url);
    await new Promise<void>((resolve) => {
      const req = request({
        host: '127.0.0.1',
        port,
        method: 'POST',
        headers: { ...json, 'x-amz-target': 'DynamoDB_20120810.GetItem', 'content-length': '1000' },
      });
      req.on('error', () => resolve());
      req.write('{"TableName":', () => setTimeout(() => req.destroy(), 20));
      req.on('close', () => resolve());
    });
    // An error thrown from dynalite's stream listener would surface as an uncaught exception before this answer.
    await new Promise((resolve) => setTimeout(resolve, 50));

    const pk = fresh('after');
    await client.send(new PutItemCommand({ TableName: dynamo.tableName, Item: key(pk) }));
    expect(await getItem(pk)).toEqual(key(pk));
  });
});
