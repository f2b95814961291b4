/** The session table for tests: a local DynamoDB per test file, and helpers to seed and inspect it. */
import { DeleteItemCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { HANDLER_ENV } from '../../contract/handler-environment';
import { ownerRef } from '../../lambda/shared/identity';
import { dynamoSessionRecords, type SessionRecords } from '../../lambda/shared/session-records';
import { startLocalDynamo, type LocalDynamo } from '../../local/dynamodb';
import { DEFAULT_IDENTITY_ID } from './api-event';

/** The owner of the default test event (api-event.ts) under authMode iam, as identity.ts's ownerOf names it. */
export const TEST_OWNER = `cognito:${DEFAULT_IDENTITY_ID}`;

/** The OWNER_REF_KEY of the handlers these tables serve (`env`). */
export const TEST_OWNER_REF_KEY = 'owner-reference-key-of-the-test-table-0001';

/** The owner reference a wired handler stores and compares for `owner` (the handlers get TEST_OWNER_REF_KEY). */
export const refOf = (owner: string): string => ownerRef(owner, TEST_OWNER_REF_KEY);

export interface TestTable {
  readonly dynamo: LocalDynamo;
  readonly store: SessionRecords;
  /** Handler variables pointing at this table. */
  readonly env: Readonly<Record<string, string>>;
  close(): Promise<void>;
}

export async function startTestTable(): Promise<TestTable> {
  const dynamo = await startLocalDynamo();
  const client = dynamo.client();
  return {
    dynamo,
    store: dynamoSessionRecords(client, dynamo.tableName),
    env: {
      [HANDLER_ENV.DYNAMODB_ENDPOINT]: dynamo.url,
      [HANDLER_ENV.SESSION_TABLE_NAME]: dynamo.tableName,
      [HANDLER_ENV.OWNER_REF_KEY]: TEST_OWNER_REF_KEY,
    },
    close: async () => {
      client.destroy();
      await dynamo.close();
    },
  };
}

/** A session record as the create handler writes it, created `ageMs` ago. */
export async function seedSession(
  store: SessionRecords,
  sessionId: string,
  owner: string = TEST_OWNER,
  ageMs = 0,
): Promise<void> {
  const createdAt = Date.now() - ageMs;
  await store.recordSession({
    sessionId,
    owner,
    createdAt,
    expiresAt: createdAt + 180_000,
    deleteAfterSeconds: Math.ceil(createdAt / 1000) + 86_400,
  });
}

/** Items by kind, with the string, number and boolean attributes unwrapped. */
export async function tableItems(
  dynamo: LocalDynamo,
): Promise<{ sessions: Record<string, unknown>[]; owners: Record<string, unknown>[] }> {
  const items = (await dynamo.items()).map(plain);
  return {
    sessions: items.filter((i) => String(i.pk).startsWith('SESSION#')),
    owners: items.filter((i) => String(i.pk).startsWith('OWNER#')),
  };
}

function plain(item: Record<string, AttributeValue>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(item).map(([k, v]) => [k, unwrap(v)]));
}

function unwrap(value: AttributeValue): unknown {
  if ('S' in value) return value.S;
  if ('N' in value) return Number(value.N);
  if ('BOOL' in value) return value.BOOL;
  if ('L' in value) return (value.L ?? []).map(unwrap);
  if ('M' in value) return plain(value.M ?? {});
  return undefined;
}

/**
 * Forgets a session (and its verdict) and records it afresh, owned by `owner` as a wired handler sees it (its owner
 * reference): for handler tests that reuse one session id.
 */
export async function reseedSession(table: TestTable, sessionId: string, owner: string = TEST_OWNER): Promise<void> {
  const client = table.dynamo.client();
  try {
    await client.send(
      new DeleteItemCommand({ TableName: table.dynamo.tableName, Key: { pk: { S: `SESSION#${sessionId}` } } }),
    );
  } finally {
    client.destroy();
  }
  await seedSession(table.store, sessionId, refOf(owner));
}

/** Forgets an owner's failures and lockout: for test files whose tests share one owner. */
export async function resetOwner(table: TestTable, owner: string = TEST_OWNER): Promise<void> {
  const client = table.dynamo.client();
  try {
    await client.send(
      new DeleteItemCommand({ TableName: table.dynamo.tableName, Key: { pk: { S: `OWNER#${owner}` } } }),
    );
  } finally {
    client.destroy();
  }
}
