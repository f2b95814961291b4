/**
 * A local DynamoDB for offline runs and tests: an in-memory stand-in (store.ts) speaking DynamoDB's JSON protocol
 * (server.ts) on a loopback port, with the session table (contract/session-table-schema.ts) created at start.
 *
 * It implements CreateTable, DescribeTable, DeleteTable, ListTables, GetItem, PutItem, UpdateItem, DeleteItem, Scan
 * and Query (on the table's keys), with condition, update and projection expressions, ReturnValues and
 * ReturnValuesOnConditionCheckFailure, and DynamoDB's validation messages: everything the handlers and
 * client/consume-verdict.ts use, checked against dynalite (DynamoDB's messages) by
 * test/local/dynamo-conformance.test.ts. What it does not implement (transactions, indexes, TTL…) is refused with a
 * ValidationException that says so. The handlers never rely on TTL deletion: they compare times themselves, as
 * DynamoDB only deletes expired items within a few days.
 *
 * In front of the store sits a thin HTTP layer for fault injection, the same idea as the Rekognition emulator's:
 * `faults.failNext(error, { count, operation })` answers the next calls with a DynamoDB error, `faults.setErrorRate(r)`
 * fails a seeded random share of calls, `faults.setDown(true)` drops every connection (an outage), `faults.setLatency(ms)`
 * delays every answer. The back door (`items()`, `clearLockouts()`, the table's creation) reads and writes the store
 * directly, so faults never apply to it.
 */
import { type AttributeValue, DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { OWNER_KEY_PREFIX, SESSION_TABLE_KEY } from '../../contract/session-table-schema';
import { closeHttpServer, createLocalServer, listen } from '../net';
import { seededRandom } from '../seeded-random';
import type { AttributeValue as StoredValue, Item } from './attribute-values';
import { dynamoRequestListener } from './server';
import { DynamoStore } from './store';

/** The table name local mode uses (the deployed one is named by CloudFormation). */
export const LOCAL_SESSION_TABLE = 'face-liveness-sessions-local';
const LOCAL_REGION = 'us-east-1';
/** The stand-in does not check signatures; any key pair works. */
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
  /** Every item of the table, read from the store directly (faults do not apply). */
  items(): Promise<Record<string, AttributeValue>[]>;
  /** Deletes every owner's failure lockout (the OWNER# items); resolves with how many there were. */
  clearLockouts(): Promise<number>;
  close(): Promise<void>;
}

export async function startLocalDynamo(options: LocalDynamoOptions = {}): Promise<LocalDynamo> {
  const host = options.host ?? '127.0.0.1';
  const tableName = options.tableName ?? LOCAL_SESSION_TABLE;
  const store = new DynamoStore();
  createSessionTable(store, tableName);
  const table = store.table(tableName)!;
  const handler = dynamoRequestListener(store);

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

  const front = createLocalServer((req: IncomingMessage, res: ServerResponse) => {
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
        handler(req, res);
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

  let closed: Promise<void> | undefined;
  const items = async () => [...table.scan()].map(toSdkItem);
  return {
    url,
    port,
    tableName,
    faults,
    client: (overrides = {}) =>
      new DynamoDBClient({
        endpoint: url,
        region: LOCAL_REGION,
        credentials: { ...LOCAL_CREDENTIALS },
        maxAttempts: 2,
        ...overrides,
      }),
    items,
    async clearLockouts() {
      const owners = [...table.scan()].filter((item) => item[SESSION_TABLE_KEY]?.S?.startsWith(OWNER_KEY_PREFIX));
      for (const owner of owners) table.delete(table.storageKey(owner));
      return owners.length;
    },
    close() {
      closed ??= (async () => {
        await closeHttpServer(front);
        table.clear();
      })();
      return closed;
    },
  };
}

/** The table as the construct defines it (lib/session-table.ts): one string partition key, on-demand. */
function createSessionTable(store: DynamoStore, tableName: string): void {
  store.handle('CreateTable', {
    TableName: tableName,
    AttributeDefinitions: [{ AttributeName: SESSION_TABLE_KEY, AttributeType: 'S' }],
    KeySchema: [{ AttributeName: SESSION_TABLE_KEY, KeyType: 'HASH' }],
    BillingMode: 'PAY_PER_REQUEST',
  });
}

/** A stored item as the SDK would return it: plain objects, binaries as bytes. */
function toSdkItem(item: Item): Record<string, AttributeValue> {
  return Object.fromEntries(Object.entries(item).map(([name, value]) => [name, toSdkValue(value)]));
}

function toSdkValue(value: StoredValue): AttributeValue {
  if (value.B !== undefined) return { B: Buffer.from(value.B, 'base64') };
  if (value.BS !== undefined) return { BS: value.BS.map((b) => Buffer.from(b, 'base64')) };
  if (value.L !== undefined) return { L: value.L.map(toSdkValue) };
  if (value.M !== undefined) return { M: toSdkItem(value.M) };
  return { ...value } as AttributeValue;
}
