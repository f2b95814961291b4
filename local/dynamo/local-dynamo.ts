/**
 * A local DynamoDB for offline runs and tests: dynalite (DynamoDB's JSON protocol on an in-memory LevelDB, pure
 * JavaScript on Node 20 — its native LevelDB binding is only loaded, and prebuilt, for on-disk stores) on a loopback
 * port, with the session table (contract/session-table-schema.ts) created at start.
 *
 * dynalite implements GetItem, PutItem, UpdateItem (condition expressions, nested paths), Query and Scan, which is
 * everything the handlers use. It does not implement TransactWriteItems, ReturnValuesOnConditionCheckFailure (ignored)
 * or TTL (UpdateTimeToLive is unknown, expired items stay): the handlers never rely on any of them, and always compare
 * times themselves instead of trusting TTL deletion, which DynamoDB itself only does within a few days.
 *
 * In front of dynalite sits a thin HTTP layer for fault injection, the same idea as the Rekognition emulator's:
 * `faults.failNext(error, { count, operation })` answers the next calls with a DynamoDB error, `faults.setErrorRate(r)`
 * fails a seeded random share of calls, `faults.setDown(true)` drops every connection (an outage), `faults.setLatency(ms)`
 * delays every answer.
 */
import {
  CreateTableCommand,
  DeleteItemCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ScanCommand,
  type AttributeValue,
  type DynamoDBClientConfig,
} from '@aws-sdk/client-dynamodb';
import { createServer, type IncomingMessage, type RequestListener, type ServerResponse } from 'node:http';
import dynalite from 'dynalite';
import { OWNER_KEY_PREFIX, SESSION_TABLE_KEY } from '../../contract/session-table-schema';
import { closeHttpServer, listen } from '../net';
import { seededRandom } from '../seeded-random';

/** The table name local mode uses (the deployed one is named by CloudFormation). */
export const LOCAL_SESSION_TABLE = 'face-liveness-sessions-local';
const LOCAL_REGION = 'us-east-1';
/** dynalite does not check signatures; any key pair works. */
const LOCAL_CREDENTIALS = Object.freeze({ accessKeyId: 'LOCAL', secretAccessKey: 'LOCAL' });

/** DynamoDB errors the fault layer can answer with, and their HTTP status. */
export const DYNAMO_FAULTS = {
  ProvisionedThroughputExceededException: 400,
  ThrottlingException: 400,
  RequestLimitExceeded: 400,
  InternalServerError: 500,
} as const;
export type DynamoFault = keyof typeof DYNAMO_FAULTS;

export interface LocalDynamoOptions {
  /** 0 picks a free port. @default 0 */
  readonly port?: number;
  /** Loopback only. @default '127.0.0.1' */
  readonly host?: string;
  /** @default LOCAL_SESSION_TABLE */
  readonly tableName?: string;
}

export interface LocalDynamoFaults {
  /** The next `count` calls (of `operation`, e.g. 'UpdateItem', if given) fail with `error`. */
  failNext(error: DynamoFault, options?: { readonly count?: number; readonly operation?: string }): void;
  /** While down, every request's connection is dropped without an answer, as during an outage. */
  setDown(down: boolean): void;
  /** Delay before every answer, ms (past the handlers' SDK timeout: a timeout). */
  setLatency(ms: number): void;
  /** A share (0..1) of all calls fails with `error`, drawn from a generator seeded with `seed` (repeatable). */
  setErrorRate(rate: number, options?: { readonly error?: DynamoFault; readonly seed?: number }): void;
  /** Calls answered with an injected error or dropped so far. */
  readonly injected: number;
  reset(): void;
}

export interface LocalDynamo {
  /** Endpoint for DynamoDB clients, e.g. `http://127.0.0.1:4569`. */
  readonly url: string;
  readonly port: number;
  readonly tableName: string;
  readonly faults: LocalDynamoFaults;
  /** A client for this server (tests: inspect what the handlers wrote). */
  client(overrides?: Partial<DynamoDBClientConfig>): DynamoDBClient;
  /** Every item of the table, through the fault layer's back door (faults do not apply). */
  items(): Promise<Record<string, AttributeValue>[]>;
  /** Deletes every owner's failure lockout (the OWNER# items); resolves with how many there were. */
  clearLockouts(): Promise<number>;
  close(): Promise<void>;
}

export async function startLocalDynamo(options: LocalDynamoOptions = {}): Promise<LocalDynamo> {
  const host = options.host ?? '127.0.0.1';
  const tableName = options.tableName ?? LOCAL_SESSION_TABLE;
  const store = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  const dynaliteHandler = store.listeners('request')[0] as RequestListener;

  const pending: { error: DynamoFault; operation?: string; left: number }[] = [];
  let down = false;
  let latencyMs = 0;
  let injected = 0;
  let errorRate = 0;
  let rateError: DynamoFault = 'InternalServerError';
  let random = seededRandom(1);
  const faults: LocalDynamoFaults = {
    failNext(error, { count = 1, operation } = {}) {
      pending.push({ error, left: count, ...(operation !== undefined && { operation }) });
    },
    setDown(value) {
      down = value;
    },
    setLatency(ms) {
      latencyMs = ms;
    },
    setErrorRate(rate, { error = 'InternalServerError', seed = 1 } = {}) {
      errorRate = rate;
      rateError = error;
      random = seededRandom(seed);
    },
    get injected() {
      return injected;
    },
    reset() {
      pending.length = 0;
      down = false;
      latencyMs = 0;
      injected = 0;
      errorRate = 0;
    },
  };

  const front = createServer((req: IncomingMessage, res: ServerResponse) => {
    const respond = () => {
      if (down) {
        injected++;
        req.socket.destroy();
        return;
      }
      const operation = String(req.headers['x-amz-target'] ?? '').split('.')[1];
      const fault = pending.find((f) => f.left > 0 && (f.operation === undefined || f.operation === operation));
      let error: DynamoFault | undefined;
      if (fault !== undefined) {
        fault.left--;
        if (fault.left === 0) pending.splice(pending.indexOf(fault), 1);
        error = fault.error;
      } else if (errorRate > 0 && random() < errorRate) {
        error = rateError;
      }
      if (error === undefined) {
        dynaliteHandler(req, res);
        return;
      }
      injected++;
      req.resume();
      const body = JSON.stringify({
        __type: `com.amazonaws.dynamodb.v20120810#${error}`,
        message: `Injected ${error}`,
      });
      res.writeHead(DYNAMO_FAULTS[error], { 'Content-Type': 'application/x-amz-json-1.0', 'x-amzn-ErrorType': error });
      res.end(body);
    };
    if (latencyMs > 0) setTimeout(respond, latencyMs).unref();
    else respond();
  });
  const port = await listen(front, options.port ?? 0, host);
  const url = `http://${host}:${port}`;
  // The back door: dynalite itself on its own port, for the table set-up and for tests to inspect the table.
  const backPort = await listen(store, 0, host);
  const backUrl = `http://${host}:${backPort}`;

  const clientFor = (endpoint: string, overrides: Partial<DynamoDBClientConfig> = {}) =>
    new DynamoDBClient({
      endpoint,
      region: LOCAL_REGION,
      credentials: { ...LOCAL_CREDENTIALS },
      maxAttempts: 2,
      ...overrides,
    });
  const admin = clientFor(backUrl);
  try {
    await createSessionTable(admin, tableName);
  } catch (error) {
    admin.destroy();
    await Promise.allSettled([closeHttpServer(front), closeHttpServer(store)]);
    throw error;
  }

  let closed: Promise<void> | undefined;
  const items = async () => {
    const all: Record<string, AttributeValue>[] = [];
    let start: Record<string, AttributeValue> | undefined;
    do {
      const page = await admin.send(
        new ScanCommand({
          TableName: tableName,
          ConsistentRead: true,
          ...(start !== undefined && { ExclusiveStartKey: start }),
        }),
      );
      all.push(...(page.Items ?? []));
      start = page.LastEvaluatedKey;
    } while (start !== undefined);
    return all;
  };
  return {
    url,
    port,
    tableName,
    faults,
    client: (overrides) => clientFor(url, overrides),
    items,
    async clearLockouts() {
      const owners = (await items()).filter((item) => item[SESSION_TABLE_KEY]?.S?.startsWith(OWNER_KEY_PREFIX));
      for (const owner of owners) {
        await admin.send(
          new DeleteItemCommand({ TableName: tableName, Key: { [SESSION_TABLE_KEY]: owner[SESSION_TABLE_KEY]! } }),
        );
      }
      return owners.length;
    },
    close() {
      closed ??= (async () => {
        admin.destroy();
        await closeHttpServer(front);
        await closeHttpServer(store);
      })();
      return closed;
    },
  };
}

/** The table as the construct defines it (lib/session-table.ts): one string partition key, on-demand. */
async function createSessionTable(client: DynamoDBClient, tableName: string): Promise<void> {
  await client.send(
    new CreateTableCommand({
      TableName: tableName,
      AttributeDefinitions: [{ AttributeName: SESSION_TABLE_KEY, AttributeType: 'S' }],
      KeySchema: [{ AttributeName: SESSION_TABLE_KEY, KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  for (let i = 0; i < 100; i++) {
    const { Table: table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    if (table?.TableStatus === 'ACTIVE') return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`Table ${tableName} did not become ACTIVE`);
}
