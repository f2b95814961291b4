/**
 * A local DynamoDB for offline runs and tests: dynalite (the ecosystem's pure-JS DynamoDB, on an in-memory LevelDB)
 * holding the session table (contract/session-table-schema.ts), created at start.
 *
 * In front of it sits a thin HTTP layer on the public port, for fault injection (the same idea as the Rekognition
 * emulator's): `faults.failNext(error, { count, operation })` answers the next calls with a DynamoDB error,
 * `faults.setErrorRate(r)` fails a seeded random share of calls, `faults.setDown(true)` drops every connection (an
 * outage), `faults.setLatency(ms)` delays every answer. The layer reads each request body itself (dynalite throws on a
 * request stream's error, which would stop the process when a client hangs up mid-body) and hands dynalite a complete
 * request. The back door (`items()`, `clearLockouts()`, the table's creation) talks to dynalite on a second loopback
 * port, so faults never apply to it.
 *
 * The handlers never rely on TTL deletion (dynalite has none; DynamoDB deletes expired items only within a few days):
 * they compare times themselves.
 */
import {
  type AttributeValue,
  CreateTableCommand,
  DeleteItemCommand,
  DescribeTableCommand,
  DynamoDBClient,
  type DynamoDBClientConfig,
  ScanCommand,
} from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import type { IncomingMessage, RequestListener, Server, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { OWNER_KEY_PREFIX, SESSION_TABLE_KEY } from '../contract/session-table-schema';
import { closeHttpServer, createLocalServer, listen, localRequestListener, readBodyUpTo } from './net';
import { seededRandom } from './seeded-random';

/** The table name local mode uses (the deployed one is named by CloudFormation). */
export const LOCAL_SESSION_TABLE = 'face-liveness-sessions-local';
const LOCAL_REGION = 'us-east-1';
/** dynalite checks that a request is signed, not the signature: any key pair works. */
const LOCAL_CREDENTIALS = Object.freeze({ accessKeyId: 'LOCAL', secretAccessKey: 'LOCAL' });
/** DynamoDB's own limit on a request body. */
const MAX_REQUEST_BYTES = 16 * 1024 * 1024;

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
  /** Endpoint for DynamoDB clients, e.g. `http://127.0.0.1:4569` (through the fault layer). */
  readonly url: string;
  readonly port: number;
  readonly tableName: string;
  readonly faults: LocalDynamoFaults;
  /** A client for this server (tests: inspect what the handlers wrote). */
  client(overrides?: Partial<DynamoDBClientConfig>): DynamoDBClient;
  /** Every item of the table, read past the fault layer. */
  items(): Promise<Record<string, AttributeValue>[]>;
  /** Deletes every owner's failure lockout (the OWNER# items), past the fault layer; resolves with how many there were. */
  clearLockouts(): Promise<number>;
  close(): Promise<void>;
}

export async function startLocalDynamo(options: LocalDynamoOptions = {}): Promise<LocalDynamo> {
  const host = options.host ?? '127.0.0.1';
  const tableName = options.tableName ?? LOCAL_SESSION_TABLE;
  const newClient = (endpoint: string, overrides: Partial<DynamoDBClientConfig> = {}) =>
    new DynamoDBClient({
      endpoint,
      region: LOCAL_REGION,
      credentials: { ...LOCAL_CREDENTIALS },
      maxAttempts: 2,
      ...overrides,
    });

  // No `path`: dynalite keeps its LevelDB in memory. Tables are ACTIVE at once rather than after half a second.
  const backend = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  const dynaliteListener = backend.listeners('request')[0] as RequestListener;
  const serve = completeBodies(dynaliteListener);
  backend.removeAllListeners('request');
  // The back door's port is on loopback too: the same Host check as every local server.
  backend.on('request', localRequestListener(serve));

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
        serve(req, res);
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

  const started: Server[] = [];
  const stop = async () => {
    await Promise.allSettled(started.map((server) => closeHttpServer(server)));
  };
  try {
    const backDoorPort = await listen(backend, 0, host);
    started.push(backend);
    const backDoor = newClient(`http://${host}:${backDoorPort}`, { maxAttempts: 1 });
    await createSessionTable(backDoor, tableName);
    const port = await listen(front, options.port ?? 0, host);
    started.push(front);
    const url = `http://${host}:${port}`;

    const items = async () => {
      const all: Record<string, AttributeValue>[] = [];
      let start: Record<string, AttributeValue> | undefined;
      do {
        const page = await backDoor.send(
          new ScanCommand({ TableName: tableName, ConsistentRead: true, ExclusiveStartKey: start }),
        );
        all.push(...(page.Items ?? []));
        start = page.LastEvaluatedKey;
      } while (start !== undefined);
      return all;
    };

    let closed: Promise<void> | undefined;
    return {
      url,
      port,
      tableName,
      faults,
      client: (overrides = {}) => newClient(url, overrides),
      items,
      async clearLockouts() {
        const owners = (await items()).filter((item) => item[SESSION_TABLE_KEY]?.S?.startsWith(OWNER_KEY_PREFIX));
        for (const owner of owners) {
          await backDoor.send(
            new DeleteItemCommand({ TableName: tableName, Key: { [SESSION_TABLE_KEY]: owner[SESSION_TABLE_KEY]! } }),
          );
        }
        return owners.length;
      },
      close() {
        closed ??= (async () => {
          backDoor.destroy();
          await stop();
        })();
        return closed;
      },
    };
  } catch (error) {
    await stop();
    throw error;
  }
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
  // dynalite marks a table ACTIVE on its next turn (createTableMs 0); requests before that are refused.
  for (let attempt = 0; attempt < 100; attempt++) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    if (Table?.TableStatus === 'ACTIVE') return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`local DynamoDB: table ${tableName} did not become ACTIVE`);
}

/**
 * dynalite's request listener, given a request whose body has been read in full: a body past DynamoDB's limit gets
 * 413, a request that ends early (the client hung up) is dropped, and nothing a client sends reaches dynalite's
 * stream-error handler, which throws. A request from a web page (it has an Origin header) gets 403: dynalite would
 * answer it with `Access-Control-Allow-Origin: *`, letting any page the developer opens read and write the table.
 */
function completeBodies(dynaliteListener: RequestListener): RequestListener {
  return (req, res) => {
    if (req.headers.origin !== undefined) {
      req.resume();
      res.writeHead(403, { 'Content-Type': 'application/x-amz-json-1.0' });
      res.end(JSON.stringify({ __type: 'AccessDeniedException', message: 'The local DynamoDB serves no web page' }));
      return;
    }
    readBodyUpTo(req, MAX_REQUEST_BYTES).then(
      (body) => {
        if (body === undefined) {
          res.writeHead(413, { 'Content-Type': 'application/x-amz-json-1.0' });
          res.end(JSON.stringify({ __type: 'RequestEntityTooLarge', message: 'Request size exceeded 16 MB' }));
          return;
        }
        const complete = Object.assign(Readable.from(body.length > 0 ? [body] : []), {
          headers: req.headers,
          method: req.method,
          url: req.url,
          socket: req.socket,
        });
        dynaliteListener(complete as unknown as IncomingMessage, res);
      },
      () => {
        req.socket.destroy();
      },
    );
  };
}
