/**
 * The Cognito identity service's JSON protocol on 127.0.0.1, for the two guest calls a browser (or the CLI) makes:
 * `POST /` with `X-Amz-Target: AWSCognitoIdentityService.GetId` or `.GetCredentialsForIdentity`, answered with 200 +
 * JSON or 400 + `{"__type", "message"}`. Unsigned, as the real calls are. CORS for the example app's origins.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { allowedOriginFor } from '../../../contract/cors';
import { closeHttpServer, createLocalServer, listen, readBodyUpTo } from '../../net';
import { type GuestIdentityPool, IdentityPoolError } from './identity-pool';

export interface CognitoIdentityStandInOptions {
  readonly pool: GuestIdentityPool;
  /** Browser origins that may call it. */
  readonly allowedOrigins: readonly string[];
  /** 0 picks a free port. */
  readonly port: number;
}

export interface CognitoIdentityStandIn {
  /** The endpoint to give a Cognito identity client (ends in `/`). */
  readonly url: string;
  readonly port: number;
  readonly pool: GuestIdentityPool;
  close(): Promise<void>;
}

const HOST = '127.0.0.1';
const TARGET_PREFIX = 'AWSCognitoIdentityService.';
const MAX_BODY_BYTES = 64 * 1024;

export async function startCognitoIdentityStandIn(
  options: CognitoIdentityStandInOptions,
): Promise<CognitoIdentityStandIn> {
  const { pool } = options;
  const server = createLocalServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) send(res, 500, { __type: 'InternalErrorException', message: 'Internal error' }, cors(req));
      else res.destroy();
    });
  });

  function cors(req: IncomingMessage): Record<string, string> {
    const origin = allowedOriginFor(single(req.headers.origin), options.allowedOrigins);
    return origin === undefined ? { Vary: 'Origin' } : { Vary: 'Origin', 'Access-Control-Allow-Origin': origin };
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const headers = cors(req);
    if (req.method === 'OPTIONS') {
      if (headers['Access-Control-Allow-Origin'] !== undefined) {
        headers['Access-Control-Allow-Methods'] = 'POST,OPTIONS';
        headers['Access-Control-Allow-Headers'] =
          'Content-Type,X-Amz-Target,X-Amz-User-Agent,Cache-Control,Amz-Sdk-Invocation-Id,Amz-Sdk-Request';
        headers['Access-Control-Max-Age'] = '600';
      }
      res.writeHead(204, headers);
      res.end();
      return;
    }
    if (req.method !== 'POST') {
      return send(
        res,
        405,
        { __type: 'UnknownOperationException', message: 'The identity service takes POST requests' },
        headers,
      );
    }
    const target = single(req.headers['x-amz-target']) ?? '';
    const text = (await readBodyUpTo(req, MAX_BODY_BYTES))?.toString('utf8');
    if (text === undefined)
      return send(res, 413, { __type: 'InvalidParameterException', message: 'Request body too large' }, headers);
    let input: Record<string, unknown>;
    try {
      const parsed: unknown = JSON.parse(text === '' ? '{}' : text);
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
      input = parsed as Record<string, unknown>;
    } catch {
      return send(
        res,
        400,
        { __type: 'SerializationException', message: 'The request body is not a JSON object' },
        headers,
      );
    }
    try {
      switch (target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : '') {
        case 'GetId':
          return send(res, 200, { IdentityId: pool.getId(input['IdentityPoolId'], input['Logins']) }, headers);
        case 'GetCredentialsForIdentity': {
          if (input['Logins'] !== undefined && Object.keys(input['Logins'] ?? {}).length > 0) {
            throw new IdentityPoolError(
              'NotAuthorizedException',
              'The local identity pool has guest (unauthenticated) identities only.',
            );
          }
          const issued = pool.getCredentialsForIdentity(input['IdentityId']);
          return send(
            res,
            200,
            {
              IdentityId: issued.identityId,
              Credentials: {
                AccessKeyId: issued.accessKeyId,
                SecretKey: issued.secretAccessKey,
                SessionToken: issued.sessionToken,
                // The JSON protocol's timestamps are epoch seconds.
                Expiration: issued.expiresAt / 1000,
              },
            },
            headers,
          );
        }
        default:
          return send(
            res,
            400,
            {
              __type: 'UnknownOperationException',
              message: `Unknown operation ${JSON.stringify(target)}: this stand-in serves ${TARGET_PREFIX}GetId and ${TARGET_PREFIX}GetCredentialsForIdentity`,
            },
            headers,
          );
      }
    } catch (err) {
      if (err instanceof IdentityPoolError) return send(res, 400, { __type: err.type, message: err.message }, headers);
      throw err;
    }
  }

  const port = await listen(server, options.port, HOST);
  return { url: `http://${HOST}:${port}/`, port, pool, close: () => closeHttpServer(server, 0) };
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string>): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    'Content-Type': 'application/x-amz-json-1.1',
    'Cache-Control': 'no-store',
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
