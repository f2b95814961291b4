/**
 * Turns a Node HTTP request into the event API Gateway's REST proxy integration gives a Lambda, so the local API runs
 * the deployed handlers unchanged. Only the fields our handlers and Powertools read need to be faithful, but the shape
 * is complete so nothing reads `undefined` where API Gateway would give `null`.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import type { RouteDefinition } from '../../contract/routes';

export interface ProxyRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
  readonly sourceIp: string;
  readonly route: RouteDefinition;
  readonly pathParameters: Record<string, string>;
  readonly stage: string;
}

/** The caller as the local API's SigV4 check established it (see server.ts). */
export type VerifiedCaller =
  /** A guest identity of the local identity pool. */
  | { readonly identityId: string; readonly identityPoolId: string; readonly accessKeyId: string }
  /** Local mode's app backend (contract/local-mode.ts), on a backend route: an IAM principal, no identity id. */
  | { readonly accessKeyId: string; readonly principalArn: string };

export function toProxyEvent(req: ProxyRequest, requestId: string, caller?: VerifiedCaller): APIGatewayProxyEvent {
  const headers: Record<string, string> = {};
  const multiValueHeaders: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    const values = Array.isArray(value) ? value : [value];
    // API Gateway keeps the header names as sent; Node lower-cases them, which our handlers tolerate (they read case-insensitively).
    headers[name] = values[values.length - 1]!;
    multiValueHeaders[name] = values;
  }
  // A Map, not an object literal: keys such as `__proto__` or `constructor` are just names here.
  const multi = new Map<string, string[]>();
  for (const [k, v] of req.query) {
    const values = multi.get(k);
    if (values) values.push(v);
    else multi.set(k, [v]);
  }
  const query = Object.fromEntries([...multi].map(([k, v]) => [k, v[v.length - 1]!]));
  const multiQuery = Object.fromEntries(multi);
  const hasQuery = multi.size > 0;
  const isText = req.body.length === 0 || isUtf8(req.body);
  const now = new Date();
  return {
    resource: req.route.path,
    path: req.path,
    httpMethod: req.method,
    headers,
    multiValueHeaders,
    queryStringParameters: hasQuery ? query : null,
    multiValueQueryStringParameters: hasQuery ? multiQuery : null,
    pathParameters: Object.keys(req.pathParameters).length > 0 ? req.pathParameters : null,
    stageVariables: null,
    body: req.body.length === 0 ? null : isText ? req.body.toString('utf8') : req.body.toString('base64'),
    isBase64Encoded: !isText,
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      authorizer: localAuthorizer(req.headers.authorization),
      protocol: 'HTTP/1.1',
      httpMethod: req.method,
      path: `/${req.stage}${req.path}`,
      stage: req.stage,
      requestId,
      requestTimeEpoch: now.getTime(),
      resourceId: 'local',
      resourcePath: req.route.path,
      identity: {
        accountId: null,
        apiKey: null,
        apiKeyId: null,
        clientCert: null,
        cognitoAuthenticationProvider: null,
        cognitoAuthenticationType: 'unauthenticated',
        principalOrgId: null,
        sourceIp: req.sourceIp,
        user: null,
        userAgent: firstHeader(req.headers['user-agent']) ?? null,
        ...(caller ? verifiedIdentity(caller) : localIamIdentity(req.headers.authorization)),
      },
    },
  };
}

/** What API Gateway's AWS_IAM authorization puts in the event for an identity pool's guest credentials. */
function verifiedIdentity(
  caller: VerifiedCaller,
): Pick<
  APIGatewayProxyEvent['requestContext']['identity'],
  'cognitoIdentityId' | 'cognitoIdentityPoolId' | 'accessKey' | 'caller' | 'userArn'
> {
  if ('principalArn' in caller) {
    return {
      cognitoIdentityId: null,
      cognitoIdentityPoolId: null,
      accessKey: caller.accessKeyId,
      caller: `AROALOCALAPPBACKEND:local`,
      userArn: caller.principalArn,
    };
  }
  return {
    cognitoIdentityId: caller.identityId,
    cognitoIdentityPoolId: caller.identityPoolId,
    accessKey: caller.accessKeyId,
    caller: `AROALOCALGUESTROLE:CognitoIdentityCredentials`,
    userArn: 'arn:aws:sts::000000000000:assumed-role/local-liveness-guest/CognitoIdentityCredentials',
  };
}

/**
 * LOCAL_AUTH=none ONLY: the caller identity API Gateway would put in the event, derived WITHOUT verifying anything, so that
 * session ownership and the failure lockout can be exercised offline. Nothing here is a security boundary.
 *
 * - A SigV4 `Authorization` header (IAM auth): its access key id stands for one Cognito identity,
 *   `cognitoIdentityId: 'local:<accessKeyId>'`. Sign with different keys to act as different callers.
 * - No or another `Authorization` header: the one shared identity `local:anonymous`.
 */
export const LOCAL_ANONYMOUS_IDENTITY = 'local:anonymous';

function localIamIdentity(
  authorization: string | string[] | undefined,
): Pick<
  APIGatewayProxyEvent['requestContext']['identity'],
  'cognitoIdentityId' | 'cognitoIdentityPoolId' | 'accessKey' | 'caller' | 'userArn'
> {
  const accessKey = /^AWS4-HMAC-SHA256\s+Credential=([A-Za-z0-9]{1,128})\//.exec(firstHeader(authorization) ?? '')?.[1];
  const id = accessKey === undefined ? LOCAL_ANONYMOUS_IDENTITY : `local:${accessKey}`;
  return {
    cognitoIdentityId: id,
    cognitoIdentityPoolId: 'local:identity-pool',
    accessKey: accessKey ?? null,
    caller: `LOCAL:${id}`,
    userArn: `arn:aws:sts::000000000000:assumed-role/local-liveness-caller/${accessKey ?? 'anonymous'}`,
  };
}

/**
 * LOCAL MODE ONLY: a user-pool token (`Authorization: <JWT>` or `Bearer <JWT>`) becomes the claims a Cognito user-pool
 * authorizer would pass, its payload decoded but NOT verified (no signature, issuer or expiry check). Anything else:
 * no authorizer, as for an IAM-authorized route.
 */
function localAuthorizer(
  authorization: string | string[] | undefined,
): APIGatewayProxyEvent['requestContext']['authorizer'] {
  const token = /^(?:Bearer\s+)?([\w-]+)\.([\w-]+)\.([\w-]*)$/.exec(firstHeader(authorization)?.trim() ?? '');
  if (!token) return null;
  try {
    const payload: unknown = JSON.parse(Buffer.from(token[2]!, 'base64url').toString('utf8'));
    if (typeof payload !== 'object' || payload === null || typeof (payload as { sub?: unknown }).sub !== 'string')
      return null;
    // API Gateway hands the claims over as strings.
    const claims = Object.fromEntries(
      Object.entries(payload).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]),
    );
    return { claims };
  } catch {
    return null;
  }
}

export function lambdaContext(functionName: string, requestId: string, timeoutMs: number): Context {
  const deadline = Date.now() + timeoutMs;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${functionName}`,
    memoryLimitInMB: '512',
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: `local/${randomUUID()}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function isUtf8(buf: Buffer): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(buf);
    return true;
  } catch {
    return false;
  }
}
