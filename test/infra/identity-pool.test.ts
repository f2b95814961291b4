/** Browser credentials: exactly StartFaceLivenessSession plus, with IAM auth, this API's two routes. */
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { ROUTE_LIST } from '../../contract/routes';
import { allowedActions, resources, roleId, roleStatements, statementFor } from './support/iam';
import { synth, TEST_REGION, TEST_USER_POOL_ARN, type Synthesized } from './support/stack';

const GUEST_ROLE = /\(unauthenticated identities/;
const AUTHENTICATED_ROLE = /\(authenticated identities/;

/** The execute-api ARN of a route, with path parameters as `*` (their values are only known per request). */
function routeArn(s: Synthesized, method: string, path: string): unknown {
  return s.stack.resolve(s.stack.backend.api.arnForExecuteApi(method, path.replace(/\{\w+\}/g, '*'), 'v1'));
}

describe('identity pool, default settings', () => {
  let s: Synthesized;
  beforeAll(() => {
    s = synth();
  });

  test.each([
    ['guest', GUEST_ROLE],
    ['authenticated', AUTHENTICATED_ROLE],
  ])('the %s role may only start liveness sessions and invoke the API', (_name, role) => {
    expect(allowedActions(roleStatements(s.template, roleId(s.template, role)))).toEqual([
      'execute-api:Invoke',
      'rekognition:StartFaceLivenessSession',
    ]);
  });

  test.each([
    ['guest', GUEST_ROLE],
    ['authenticated', AUTHENTICATED_ROLE],
  ])('the %s role may invoke exactly the routes of contract/routes.ts on the v1 stage', (_name, role) => {
    const statement = statementFor(roleStatements(s.template, roleId(s.template, role)), 'execute-api:Invoke');
    const expected = ROUTE_LIST.map((r) => routeArn(s, r.method, r.path));
    expect(resources(statement)).toHaveLength(expected.length);
    expect(resources(statement)).toEqual(expect.arrayContaining(expected));
  });

  test.each([
    ['guest', GUEST_ROLE],
    ['authenticated', AUTHENTICATED_ROLE],
  ])('the %s role may start liveness sessions only in the stack region', (_name, role) => {
    const statement = statementFor(
      roleStatements(s.template, roleId(s.template, role)),
      'rekognition:StartFaceLivenessSession',
    );
    expect(statement.Resource).toBe('*');
    expect(statement.Condition).toEqual({ StringEquals: { 'aws:RequestedRegion': TEST_REGION } });
  });

  test.each([
    ['guest', GUEST_ROLE, 'unauthenticated'],
    ['authenticated', AUTHENTICATED_ROLE, 'authenticated'],
  ])('only %s identities of this identity pool can assume the role', (_name, role, amr) => {
    const trust = s.template.toJSON().Resources[roleId(s.template, role)].Properties.AssumeRolePolicyDocument;
    expect(trust.Statement).toEqual([
      {
        Effect: 'Allow',
        Action: 'sts:AssumeRoleWithWebIdentity',
        Principal: { Federated: 'cognito-identity.amazonaws.com' },
        Condition: {
          StringEquals: {
            'cognito-identity.amazonaws.com:aud': s.stack.resolve(s.stack.backend.identityPool!.identityPoolId),
          },
          'ForAnyValue:StringLike': { 'cognito-identity.amazonaws.com:amr': amr },
        },
      },
    ]);
  });

  test('guest identities are allowed and the classic flow is off', () => {
    s.template.hasResourceProperties('AWS::Cognito::IdentityPool', {
      AllowUnauthenticatedIdentities: true,
      AllowClassicFlow: false,
    });
  });

  test('the role attachment maps both identity kinds to their roles', () => {
    s.template.hasResourceProperties('AWS::Cognito::IdentityPoolRoleAttachment', {
      IdentityPoolId: s.stack.resolve(s.stack.backend.identityPool!.identityPoolId),
      Roles: {
        authenticated: s.stack.resolve(s.stack.backend.authenticatedRole!.roleArn),
        unauthenticated: s.stack.resolve(s.stack.backend.guestRole!.roleArn),
      },
    });
  });
});

describe('identity pool, other settings', () => {
  test('without guest access, there is no guest role and unauthenticated identities are refused', () => {
    // GIVEN / WHEN
    const s = synth({ allowGuestAccess: false });
    // THEN
    s.template.hasResourceProperties('AWS::Cognito::IdentityPool', { AllowUnauthenticatedIdentities: false });
    expect(s.stack.backend.guestRole).toBeUndefined();
    // The three function roles (create, result, JWK Set) and the authenticated role.
    s.template.resourceCountIs('AWS::IAM::Role', 4);
    s.template.hasResourceProperties('AWS::Cognito::IdentityPoolRoleAttachment', {
      Roles: { authenticated: Match.anyValue(), unauthenticated: Match.absent() },
    });
  });

  test('without guest access, synth warns that a sign-in provider must be added to the pool', () => {
    const s = synth({ allowGuestAccess: false });
    Annotations.fromStack(s.stack).hasWarning('/Test/Backend', Match.stringLikeRegexp('allowGuestAccess is false'));
  });

  test('with guest access, there is no such warning', () => {
    Annotations.fromStack(synth().stack).hasNoWarning('*', Match.stringLikeRegexp('allowGuestAccess is false'));
  });

  test.each([
    ['cognito', { authMode: 'cognito' as const, userPoolArn: TEST_USER_POOL_ARN }],
    ['none', { authMode: 'none' as const }],
  ])('with authMode %s, browser roles get no execute-api permission (the API does not check it)', (_mode, settings) => {
    const s = synth(settings);
    for (const role of [GUEST_ROLE, AUTHENTICATED_ROLE]) {
      expect(allowedActions(roleStatements(s.template, roleId(s.template, role)))).toEqual([
        'rekognition:StartFaceLivenessSession',
      ]);
    }
  });

  test('with restrictToRegion off, starting sessions has no region condition', () => {
    const s = synth({ restrictToRegion: false });
    const statement = statementFor(
      roleStatements(s.template, roleId(s.template, GUEST_ROLE)),
      'rekognition:StartFaceLivenessSession',
    );
    expect(statement.Condition).toBeUndefined();
  });
});
