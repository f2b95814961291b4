/**
 * The invocation each measured handler and twin serves: API Gateway proxy events built by the local API's own
 * converter (local/api/proxy-event.ts), for the request the typed client sends (`POST /sessions` with `{}`, then
 * `GET /sessions/{id}/result`), from an allowed origin, signed with identity-pool credentials.
 */
import { toProxyEvent } from '../local/api/proxy-event';
import { ROUTES, buildPath, type RouteName } from '../contract/routes';
import { resolveSettings } from '../bin/settings';
import { BENCH_IDENTITY_ID, BENCH_SESSION_ID } from './aws-answers';

export function benchEvent(route: RouteName) {
  const definition = ROUTES[route];
  const pathParameters: Record<string, string> = route === 'getResult' ? { sessionId: BENCH_SESSION_ID } : {};
  const body = route === 'createSession' ? Buffer.from('{}') : Buffer.alloc(0);
  const headers = {
    host: 'abc123.execute-api.eu-west-1.amazonaws.com',
    origin: resolveSettings().allowedOrigins[0],
    'user-agent': 'face-liveness-bench',
    accept: 'application/json',
    ...(body.length > 0 && { 'content-type': 'application/json', 'content-length': String(body.length) }),
  };
  const event = toProxyEvent(
    {
      method: definition.method,
      path: buildPath(definition, pathParameters),
      query: new URLSearchParams(),
      headers,
      body,
      sourceIp: '203.0.113.7',
      route: definition,
      pathParameters,
      stage: 'prod',
    },
    'c6af9ac6-7b61-11e6-9a41-93e8deadbeef',
  );
  // What API Gateway adds for a caller signing with identity-pool credentials (IAM auth, the default).
  Object.assign(event.requestContext.identity, {
    cognitoIdentityId: BENCH_IDENTITY_ID,
    cognitoIdentityPoolId: 'eu-west-1:7d6c5b4a-3f2e-4d1c-9b8a-7f6e5d4c3b2a',
    cognitoAuthenticationType: 'unauthenticated',
  });
  return event;
}
