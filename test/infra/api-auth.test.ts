/** Every route of contract/routes.ts exists once and is authorized as authMode says; only CORS preflights are open. */
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { JWKS_PATH } from '../../contract/attestation';
import { ROUTE_LIST } from '../../contract/routes';
import { synth, TEST_USER_POOL_ARN, type Synthesized } from './support/stack';

const AUTH_NONE_WARNING = Match.stringLikeRegexp('authorization is LivenessAuthorization.NONE');

/** The methods of the authorized routes (contract/routes.ts): neither CORS preflights nor the public JWK Set. */
function routeMethods(s: Synthesized): Array<Record<string, any>> {
  const jwksResource = s.stack.resolve(s.stack.backend.api.root.resourceForPath(JWKS_PATH).resourceId);
  return Object.values(s.template.findResources('AWS::ApiGateway::Method'))
    .map((m) => m.Properties)
    .filter((p) => p.HttpMethod !== 'OPTIONS' && JSON.stringify(p.ResourceId) !== JSON.stringify(jwksResource));
}

describe('routes', () => {
  let s: Synthesized;
  beforeAll(() => {
    s = synth();
  });

  test('the API has exactly the routes of contract/routes.ts', () => {
    const methods = s.stack.backend.api.methods
      .filter((m) => m.httpMethod !== 'OPTIONS')
      .map((m) => `${m.httpMethod} ${m.resource.path}`);
    expect(methods.sort()).toEqual([...ROUTE_LIST.map((r) => `${r.method} ${r.path}`), `GET ${JWKS_PATH}`].sort());
  });

  test('each route proxies to its own function', () => {
    const { createSessionFunction, getResultFunction } = s.stack.backend;
    const target = { POST: createSessionFunction, GET: getResultFunction } as const;
    for (const method of routeMethods(s)) {
      expect(method.Integration.Type).toBe('AWS_PROXY');
      const fnArn = s.stack.resolve(target[method.HttpMethod as 'POST' | 'GET'].functionArn);
      expect(JSON.stringify(method.Integration.Uri)).toContain(JSON.stringify(fnArn));
    }
  });

  test('only the matching route may invoke each function, and not the test-invoke stage', () => {
    const permissions = Object.values(s.template.findResources('AWS::Lambda::Permission')).map((p) =>
      JSON.stringify(p.Properties.SourceArn),
    );
    expect(permissions).toHaveLength(ROUTE_LIST.length + 1);
    for (const arn of permissions) expect(arn).not.toContain('test-invoke-stage');
  });
});

describe('authorization', () => {
  test('with the default IAM auth, every route requires SigV4', () => {
    const s = synth();
    const methods = routeMethods(s);
    expect(methods).toHaveLength(ROUTE_LIST.length);
    for (const m of methods) expect(m.AuthorizationType).toBe('AWS_IAM');
    Annotations.fromStack(s.stack).hasNoWarning('*', AUTH_NONE_WARNING);
  });

  test('CORS preflight methods and GET /.well-known/jwks.json are the only unauthenticated ones', () => {
    const s = synth();
    const jwksResource = s.stack.resolve(s.stack.backend.api.root.resourceForPath(JWKS_PATH).resourceId);
    const all = Object.values(s.template.findResources('AWS::ApiGateway::Method')).filter(
      (m) => m.Properties.AuthorizationType === 'NONE',
    );
    const jwks = all.filter(
      (m) =>
        JSON.stringify(m.Properties.ResourceId) === JSON.stringify(jwksResource) && m.Properties.HttpMethod === 'GET',
    );
    expect(jwks).toHaveLength(1);
    expect(JSON.stringify(jwks[0]!.Properties.Integration.Uri)).toContain(
      JSON.stringify(s.stack.resolve(s.stack.backend.jwksFunction.functionArn)),
    );
    const open = all.filter((m) => !jwks.includes(m));
    expect(open.length).toBeGreaterThan(0);
    for (const m of open) {
      expect(m.Properties.HttpMethod).toBe('OPTIONS');
      expect(m.Properties.Integration.Type).toBe('MOCK');
    }
  });

  test('with Cognito auth, every route uses a user-pool authorizer on the configured pool', () => {
    // GIVEN
    const s = synth({ authMode: 'cognito', userPoolArn: TEST_USER_POOL_ARN });
    // THEN
    const authorizers = s.template.findResources('AWS::ApiGateway::Authorizer');
    expect(Object.values(authorizers)).toEqual([
      expect.objectContaining({
        Properties: expect.objectContaining({
          Type: 'COGNITO_USER_POOLS',
          ProviderARNs: [TEST_USER_POOL_ARN],
          IdentitySource: 'method.request.header.Authorization',
        }),
      }),
    ]);
    const [authorizerId] = Object.keys(authorizers);
    for (const m of routeMethods(s)) {
      expect(m.AuthorizationType).toBe('COGNITO_USER_POOLS');
      expect(m.AuthorizerId).toEqual({ Ref: authorizerId });
    }
  });

  test("with authMode 'none', routes are open and synth warns about it", () => {
    const s = synth({ authMode: 'none' });
    for (const m of routeMethods(s)) expect(m.AuthorizationType).toBe('NONE');
    Annotations.fromStack(s.stack).hasWarning('/Test/Backend/Api', AUTH_NONE_WARNING);
  });
});
