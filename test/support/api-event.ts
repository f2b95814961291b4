/** Realistic API Gateway (REST, proxy integration) events and Lambda contexts for handler tests. */
import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import { ROUTES, buildPath, type RouteDefinition } from '../../contract/routes';

export const ALLOWED_ORIGIN = 'https://app.example.com';
export const FOREIGN_ORIGIN = 'https://evil.example.net';
export const SESSION_ID = '4f2b6c1e-8a3d-4e5f-9b7a-1c2d3e4f5a6b';

export interface EventOptions {
  readonly headers?: Record<string, string | undefined> | null;
  readonly body?: string | null;
  readonly isBase64Encoded?: boolean;
  readonly pathParameters?: Record<string, string | undefined> | null;
  readonly requestId?: string;
  /** Fields of requestContext.identity; the default is one Cognito identity (TEST_IDENTITY_ID). */
  readonly identity?: Partial<APIGatewayProxyEvent['requestContext']['identity']>;
  /** requestContext.authorizer, e.g. `{ claims: { sub } }` for a user-pool authorizer. @default null */
  readonly authorizer?: APIGatewayProxyEvent['requestContext']['authorizer'];
}

/** The Cognito identity of the default event (test/support/session-table.ts names its owner). */
export const DEFAULT_IDENTITY_ID = 'eu-west-1:7d9a5b0c-1e2f-4a3b-8c4d-5e6f7a8b9c0d';

function event(route: RouteDefinition, params: Record<string, string>, options: EventOptions): APIGatewayProxyEvent {
  const requestId = options.requestId ?? 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef';
  const headers =
    options.headers === undefined ? { Origin: ALLOWED_ORIGIN, Accept: 'application/json' } : options.headers;
  return {
    resource: route.path,
    path: buildPath(route, params),
    httpMethod: route.method,
    headers: headers as APIGatewayProxyEvent['headers'],
    multiValueHeaders: {},
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    pathParameters: (options.pathParameters === undefined
      ? Object.keys(params).length > 0
        ? params
        : null
      : options.pathParameters) as APIGatewayProxyEvent['pathParameters'],
    stageVariables: null,
    body: options.body === undefined ? null : options.body,
    isBase64Encoded: options.isBase64Encoded ?? false,
    requestContext: {
      accountId: '123456789012',
      apiId: 'a1b2c3d4e5',
      authorizer: options.authorizer ?? null,
      protocol: 'HTTP/1.1',
      httpMethod: route.method,
      identity: {
        accessKey: null,
        accountId: null,
        apiKey: null,
        apiKeyId: null,
        caller: null,
        clientCert: null,
        cognitoAuthenticationProvider: null,
        cognitoAuthenticationType: 'unauthenticated',
        cognitoIdentityId: DEFAULT_IDENTITY_ID,
        cognitoIdentityPoolId: 'eu-west-1:00000000-0000-4000-8000-000000000000',
        principalOrgId: null,
        sourceIp: '203.0.113.7',
        user: null,
        userAgent: 'Mozilla/5.0',
        userArn: 'arn:aws:sts::123456789012:assumed-role/guest/CognitoIdentityCredentials',
        ...options.identity,
      },
      path: `/prod${buildPath(route, params)}`,
      stage: 'prod',
      requestId,
      requestTimeEpoch: 1_767_225_600_000,
      resourceId: 'abc123',
      resourcePath: route.path,
    },
  };
}

/** POST /sessions; `body` as an object is JSON-encoded and sent as application/json. */
export function createSessionEvent(body?: unknown, options: EventOptions = {}): APIGatewayProxyEvent {
  const json = body === undefined ? {} : { body: JSON.stringify(body) };
  const headers =
    options.headers === undefined && body !== undefined
      ? { Origin: ALLOWED_ORIGIN, 'Content-Type': 'application/json' }
      : options.headers;
  return event(ROUTES.createSession, {}, { ...json, ...options, ...(headers !== undefined && { headers }) });
}

export function getResultEvent(sessionId: string = SESSION_ID, options: EventOptions = {}): APIGatewayProxyEvent {
  return event(ROUTES.getResult, { sessionId }, options);
}

/** The IAM principal of an app's backend, as API Gateway's AWS_IAM authorization describes it (no Cognito identity). */
export const BACKEND_IDENTITY: Partial<APIGatewayProxyEvent['requestContext']['identity']> = {
  cognitoIdentityId: null,
  cognitoIdentityPoolId: null,
  cognitoAuthenticationType: null,
  accessKey: 'ASIAEXAMPLEBACKEND00',
  caller: 'AROAEXAMPLE:backend',
  userArn: 'arn:aws:sts::123456789012:assumed-role/app-backend/session',
};

/** POST /identity/checks as the app's backend sends it (IAM); `identity` overrides to try other callers. */
export function createIdentityCheckEvent(body: unknown, options: EventOptions = {}): APIGatewayProxyEvent {
  return event(
    ROUTES.createIdentityCheck,
    {},
    {
      body: JSON.stringify(body),
      headers: { 'Content-Type': 'application/json' },
      ...options,
      identity: { ...BACKEND_IDENTITY, ...options.identity },
    },
  );
}

export function eraseSubjectEvent(subject: string, options: EventOptions = {}): APIGatewayProxyEvent {
  return event(
    ROUTES.eraseSubject,
    { subject },
    {
      headers: {},
      ...options,
      identity: { ...BACKEND_IDENTITY, ...options.identity },
    },
  );
}

export function lambdaContext(overrides: Partial<Context> = {}): Context {
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: 'face-liveness-handler',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:face-liveness-handler',
    memoryLimitInMB: '256',
    awsRequestId: '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0',
    logGroupName: '/aws/lambda/face-liveness-handler',
    logStreamName: '2026/01/01/[$LATEST]0123456789abcdef',
    getRemainingTimeInMillis: () => 10_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
    ...overrides,
  };
}
