/**
 * DynamoDB's JSON protocol over HTTP for the in-memory store (store.ts): `POST /` with
 * `x-amz-target: DynamoDB_20120810.<Operation>` and an `application/x-amz-json-1.0` body, answered with the
 * operation's JSON or an error body `{"__type": "…#<Exception>", "message": "…"}` with DynamoDB's status (400 for the
 * client's errors, 500 InternalServerError). Signatures are not checked: the local stack runs on loopback only.
 * Bad input always gets a 4xx JSON answer; nothing a client sends can stop the server.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBodyUpTo } from '../net';
import { DynamoError, serializationError } from './errors';
import type { JsonObject } from './request-fields';
import type { DynamoStore } from './store';

const TARGET_PREFIX = 'DynamoDB_20120810.';
/** DynamoDB's own limit on a request body. */
const MAX_REQUEST_BYTES = 16 * 1024 * 1024;
const JSON_TYPES = new Set(['application/x-amz-json-1.0', 'application/json']);

export function dynamoRequestListener(store: DynamoStore): (req: IncomingMessage, res: ServerResponse) => void {
  let requests = 0;
  return (req, res) => {
    const requestId = `LOCAL${(++requests).toString(36).toUpperCase().padStart(10, '0')}`;
    answer(store, req)
      .then(({ status, body }) => send(res, status, body, requestId))
      .catch((error: unknown) => {
        const internal = new DynamoError('InternalServerError', `Internal server error: ${String(error)}`, 500);
        send(res, 500, internal.body(), requestId);
      });
  };
}

async function answer(store: DynamoStore, req: IncomingMessage): Promise<{ status: number; body: unknown }> {
  try {
    if (req.method === 'GET') {
      req.resume();
      return { status: 200, body: 'healthy: dynamodb.us-east-1.amazonaws.com ' };
    }
    const raw = await readBodyUpTo(req, MAX_REQUEST_BYTES);
    if (raw === undefined) {
      return { status: 413, body: new DynamoError('RequestEntityTooLarge', 'Request size exceeded 16 MB').body() };
    }
    const contentType = String(req.headers['content-type'] ?? '')
      .split(';')[0]!
      .trim();
    const target = String(req.headers['x-amz-target'] ?? '');
    if (req.method !== 'POST' || !JSON_TYPES.has(contentType) || !target.startsWith(TARGET_PREFIX)) {
      throw new DynamoError('UnknownOperationException', 'Unknown operation: send a DynamoDB JSON request (POST /)');
    }
    return { status: 200, body: store.handle(target.slice(TARGET_PREFIX.length), parseBody(raw)) };
  } catch (error) {
    if (!(error instanceof DynamoError)) throw error;
    return { status: error.status, body: error.body() };
  }
}

function parseBody(raw: Buffer): JsonObject {
  let body: unknown;
  try {
    body = JSON.parse(raw.toString('utf8'));
  } catch {
    throw serializationError('The request body is not valid JSON');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw serializationError('Start of structure or map expected');
  }
  return body as JsonObject;
}

function send(res: ServerResponse, status: number, body: unknown, requestId: string): void {
  if (res.headersSent) return;
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': typeof body === 'string' ? 'text/plain' : 'application/x-amz-json-1.0',
    'Content-Length': Buffer.byteLength(text),
    'x-amzn-RequestId': requestId,
  });
  res.end(text);
}
