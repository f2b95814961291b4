/**
 * The local API: the deployed handlers behind the same routes (contract/routes.ts), on 127.0.0.1, with API Gateway's
 * proxy-integration request and response shapes and the same CORS behaviour. With an identity pool (the default in
 * `npm start`), every request must be SigV4-signed with credentials the local identity pool issued, as API Gateway's
 * AWS_IAM authorization requires, and the handlers see the caller's Cognito identity id. Without one (LOCAL_AUTH=none)
 * nothing is checked.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { JWKS_PATH } from '../../contract/attestation';
import { CORS_ALLOW_HEADERS, CORS_EXPOSE_HEADERS, CORS_MAX_AGE_SECONDS, allowedOriginFor } from '../../contract/cors';
import { ERROR_CODES, type ErrorBody, type ErrorCode } from '../../contract/error-codes';
import {
  LOCAL_BACKEND_CREDENTIALS,
  LOCAL_BACKEND_PRINCIPAL_ARN,
  LOCAL_IDENTITY_POOL_ID,
} from '../../contract/local-mode';
import { matchPath, type BackendRouteName, type BrowserRouteName, type RouteDefinition } from '../../contract/routes';
import { verifySigV4, type GuestIdentityPool, type IssuedCredentials } from '../emulators/cognito-identity';
import { closeHttpServer, createLocalServer, listen, readBodyUpTo } from '../net';
import { LOCAL_GATEWAY_ERRORS } from './gateway-errors';
import { lambdaContext, toProxyEvent, type VerifiedCaller } from './proxy-event';

export type ProxyHandler = (
  event: APIGatewayProxyEvent,
  context: Context,
) => Promise<APIGatewayProxyResult | undefined | void>;

/** The browser routes' handlers, and the backend routes' when identity verification is on (else those are 404). */
export type LocalHandlers = Record<BrowserRouteName, ProxyHandler> & Partial<Record<BackendRouteName, ProxyHandler>>;

export interface LocalApiOptions {
  readonly handlers: LocalHandlers;
  readonly allowedOrigins: readonly string[];
  /** 0 picks a free port. @default 3000 */
  readonly port?: number;
  /** Shown in the event's requestContext.stage, as API Gateway would. @default 'local' */
  readonly stage?: string;
  /** Per-invocation budget given to the handlers' context, ms. @default 10000 */
  readonly timeoutMs?: number;
  /** Serves GET /.well-known/jwks.json (contract/attestation.ts), unauthenticated, like the deployed API. */
  readonly jwks?: ProxyHandler;
  /** Called once per request with a one-line summary (never bodies). */
  readonly onRequest?: (line: string) => void;
  /**
   * Verify SigV4 on every request against the credentials this identity pool issued (API Gateway's AWS_IAM).
   * @default none: requests are not checked, and a caller is `local:<access key id>` or `local:anonymous`
   */
  readonly identityPool?: GuestIdentityPool;
}

export interface LocalApi {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/** The unauthenticated JWK Set route: not one of the API's authorized routes (contract/routes.ts). */
const JWKS_ROUTE = { name: 'jwks', method: 'GET', path: JWKS_PATH } as unknown as RouteDefinition;

/** What IAM answers a principal whose policy does not allow `execute-api:Invoke` on the route. */
const NOT_AUTHORIZED = 'The caller is not authorized to invoke this route.';

/** Local mode's app backend: the one principal the backend routes accept (contract/local-mode.ts). */
const BACKEND_CREDENTIALS: IssuedCredentials = {
  identityId: '',
  accessKeyId: LOCAL_BACKEND_CREDENTIALS.accessKeyId,
  secretAccessKey: LOCAL_BACKEND_CREDENTIALS.secretAccessKey,
  sessionToken: '',
  expiresAt: Number.POSITIVE_INFINITY,
};
const BACKEND_PRINCIPAL = {
  // The region local mode signs for (its identity pool's).
  region: LOCAL_IDENTITY_POOL_ID.split(':')[0]!,
  lookup: (accessKeyId: string) => (accessKeyId === BACKEND_CREDENTIALS.accessKeyId ? BACKEND_CREDENTIALS : undefined),
  isExpired: () => false,
};

function accessKeyOf(authorization: string | string[] | undefined): string | undefined {
  const value = Array.isArray(authorization) ? authorization[0] : authorization;
  return /^AWS4-HMAC-SHA256\s+Credential=([A-Za-z0-9]{1,128})\//.exec(value ?? '')?.[1];
}

/** API Gateway's own payload limit. */
const MAX_BODY_BYTES = 10 * 1024 * 1024;
const HOST = '127.0.0.1';

export async function startLocalApi(options: LocalApiOptions): Promise<LocalApi> {
  const stage = options.stage ?? 'local';
  const timeoutMs = options.timeoutMs ?? 10_000;

  const server = createLocalServer(
    (req, res) => {
      const started = process.hrtime.bigint();
      const requestId = randomUUID();
      res.on('finish', () => {
        const ms = Number(process.hrtime.bigint() - started) / 1e6;
        options.onRequest?.(`${req.method} ${req.url} -> ${res.statusCode} (${ms.toFixed(1)} ms)`);
      });
      handle(req, res, requestId).catch(() => {
        if (!res.headersSent) sendError(res, 'INTERNAL_ERROR', 'Internal server error', requestId, corsHeaders(req));
        else res.destroy();
      });
    },
    {
      // In the API's own error shape and codes: a deployed API also answers a host name it does not serve with 403.
      misdirected: (_req, res, message) => sendError(res, 'FORBIDDEN', message, randomUUID(), {}),
    },
  );

  async function handle(req: IncomingMessage, res: ServerResponse, requestId: string): Promise<void> {
    const cors = corsHeaders(req);
    const url = requestUrl(req.url);
    if (url === undefined) {
      return sendError(res, 'VALIDATION_ERROR', 'The request target is not a valid path', requestId, cors);
    }
    // Unauthenticated, like the deployed API's JWK Set route: verifiers are other services, not signed-in callers.
    if (url.pathname === JWKS_PATH && options.jwks !== undefined && (req.method === 'GET' || req.method === 'HEAD')) {
      const result = await options.jwks(
        toProxyEvent(
          {
            method: 'GET',
            path: url.pathname,
            query: url.searchParams,
            headers: req.headers,
            body: Buffer.alloc(0),
            sourceIp: req.socket.remoteAddress ?? HOST,
            route: JWKS_ROUTE,
            pathParameters: {},
            stage,
          },
          requestId,
        ),
        lambdaContext('local-jwks', requestId, timeoutMs),
      );
      if (!result || typeof result.statusCode !== 'number')
        return sendError(res, 'INTERNAL_ERROR', 'The function returned no response', requestId, cors);
      res.writeHead(result.statusCode, {
        'x-amzn-RequestId': requestId,
        'X-Request-Id': requestId,
        ...Object.fromEntries(Object.entries(result.headers ?? {}).map(([k, v]) => [k, String(v)])),
      });
      res.end(req.method === 'HEAD' ? undefined : result.body);
      return;
    }
    const matches = matchPath(url.pathname);
    if (matches.length === 0) {
      return sendError(res, 'NOT_FOUND', `No route for ${req.method} ${url.pathname}`, requestId, cors);
    }
    const methods = [...new Set(matches.map((m) => m.route.method))];
    if (req.method === 'OPTIONS') {
      return preflight(res, { ...cors, 'X-Request-Id': requestId }, methods);
    }
    const match = matches.find((m) => m.route.method === req.method);
    const handler = match === undefined ? undefined : options.handlers[match.route.name];
    if (match !== undefined && handler === undefined) {
      // A backend route of a stack without identity verification: the deployed API has no such resource either.
      return sendError(res, 'NOT_FOUND', `No route for ${req.method} ${url.pathname}`, requestId, cors);
    }
    if (!match || !handler) {
      return sendError(
        res,
        'METHOD_NOT_ALLOWED',
        `${req.method} is not allowed on ${url.pathname}; use ${methods.join(', ')}`,
        requestId,
        {
          ...cors,
          Allow: [...methods, 'OPTIONS'].join(', '),
        },
      );
    }
    const body = await readBodyUpTo(req, MAX_BODY_BYTES);
    if (body === undefined) {
      return sendError(
        res,
        'PAYLOAD_TOO_LARGE',
        `Request bodies are limited to ${MAX_BODY_BYTES} bytes`,
        requestId,
        cors,
      );
    }
    let caller: VerifiedCaller | undefined;
    if (match.route.audience === 'backend') {
      // Always IAM, whatever the browser routes use: only the app backend's credentials, never the identity pool's.
      const verdict = verifySigV4(
        { method: req.method!, rawPath: rawPathOf(req.url!), query: url.searchParams, headers: req.headers, body },
        { pool: BACKEND_PRINCIPAL },
      );
      if (!verdict.ok) {
        const guest = options.identityPool?.lookup(accessKeyOf(req.headers.authorization) ?? '') !== undefined;
        options.onRequest?.(`auth: ${guest ? 'guest credentials on a backend route' : verdict.failure}`);
        if (guest) return sendError(res, 'FORBIDDEN', NOT_AUTHORIZED, requestId, cors);
        const gateway = LOCAL_GATEWAY_ERRORS[verdict.failure];
        return sendError(res, gateway.code, gateway.message, requestId, cors);
      }
      caller = { accessKeyId: verdict.credentials.accessKeyId, principalArn: LOCAL_BACKEND_PRINCIPAL_ARN };
    } else if (options.identityPool) {
      const verdict = verifySigV4(
        { method: req.method!, rawPath: rawPathOf(req.url!), query: url.searchParams, headers: req.headers, body },
        { pool: options.identityPool },
      );
      if (!verdict.ok) {
        const gateway = LOCAL_GATEWAY_ERRORS[verdict.failure];
        options.onRequest?.(`auth: ${verdict.failure}: ${verdict.reason}`);
        return sendError(res, gateway.code, gateway.message, requestId, cors);
      }
      caller = {
        identityId: verdict.credentials.identityId,
        identityPoolId: options.identityPool.identityPoolId,
        accessKeyId: verdict.credentials.accessKeyId,
      };
    }
    const event = toProxyEvent(
      {
        method: req.method!,
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        body,
        sourceIp: req.socket.remoteAddress ?? HOST,
        route: match.route,
        pathParameters: match.pathParameters,
        stage,
      },
      requestId,
      caller,
    );
    let result: APIGatewayProxyResult | undefined | void;
    try {
      result = await handler(event, lambdaContext(`local-${match.route.name}`, requestId, timeoutMs));
    } catch {
      // API Gateway answers a crashed Lambda with a bare 502; we keep our error shape so clients see one format.
      return sendError(res, 'INTERNAL_ERROR', 'The function failed', requestId, cors);
    }
    if (!result || typeof result.statusCode !== 'number') {
      return sendError(res, 'INTERNAL_ERROR', 'The function returned no response', requestId, cors);
    }
    const headers: Record<string, string | string[]> = { 'x-amzn-RequestId': requestId, 'X-Request-Id': requestId };
    for (const [k, v] of Object.entries(result.headers ?? {})) headers[k] = String(v);
    for (const [k, v] of Object.entries(result.multiValueHeaders ?? {})) headers[k] = v.map(String);
    const payload =
      result.body === undefined
        ? Buffer.alloc(0)
        : Buffer.from(result.body, result.isBase64Encoded ? 'base64' : 'utf8');
    res.writeHead(result.statusCode, headers);
    res.end(payload);
  }

  function corsHeaders(req: IncomingMessage): Record<string, string> {
    const origin = allowedOriginFor(headerValue(req.headers.origin), options.allowedOrigins);
    const headers: Record<string, string> = { Vary: 'Origin' };
    if (origin !== undefined) {
      headers['Access-Control-Allow-Origin'] = origin;
      headers['Access-Control-Expose-Headers'] = CORS_EXPOSE_HEADERS.join(', ');
    }
    return headers;
  }

  const port = await listen(server, options.port ?? 3000, HOST);
  return {
    url: `http://${HOST}:${port}`,
    port,
    close: () => closeHttpServer(server, 0),
  };
}

function preflight(res: ServerResponse, cors: Record<string, string>, methods: readonly string[]): void {
  const headers: Record<string, string> = { ...cors };
  if (cors['Access-Control-Allow-Origin'] !== undefined) {
    headers['Access-Control-Allow-Methods'] = [...methods, 'OPTIONS'].join(',');
    headers['Access-Control-Allow-Headers'] = CORS_ALLOW_HEADERS.join(',');
    headers['Access-Control-Max-Age'] = String(CORS_MAX_AGE_SECONDS);
  }
  res.writeHead(204, headers);
  res.end();
}

function sendError(
  res: ServerResponse,
  code: ErrorCode,
  message: string,
  requestId: string,
  headers: Record<string, string | string[]>,
): void {
  const body: ErrorBody = { error: { code, message, requestId } };
  res.writeHead(ERROR_CODES[code].status, {
    ...headers,
    'Content-Type': 'application/json',
    'Cache-Control': 'no-store',
    'x-amzn-RequestId': requestId,
    'X-Request-Id': requestId,
  });
  res.end(JSON.stringify(body));
}

/** The request target as a URL, or undefined when it is not a path (`http://[::1/x`, `*`, garbage). */
function requestUrl(target: string | undefined): URL | undefined {
  if (target === undefined || !target.startsWith('/')) return undefined;
  try {
    return new URL(target, `http://${HOST}`);
  } catch {
    return undefined;
  }
}

/** The path exactly as sent, still percent-encoded: what a SigV4 signature covers. */
function rawPathOf(target: string): string {
  const q = target.indexOf('?');
  return q === -1 ? target : target.slice(0, q);
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
