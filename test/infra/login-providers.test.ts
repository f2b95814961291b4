/**
 * An app with its own login: the identity pool the construct creates takes login providers (aws-cdk-lib's
 * IdentityPoolAuthenticationProviders), its signed-in identities get the authenticated role with the browser access
 * only, and a custom developer provider comes with grantDeveloperAuthentication.
 */
import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { FaceLivenessBackend, type FaceLivenessBackendProps } from '../../lib';
import { allowedActions, roleId, roleStatements } from './support/iam';

const ENV = { account: '111122223333', region: 'us-east-1' };
const GUEST_ROLE = /\(unauthenticated identities/;
const AUTHENTICATED_ROLE = /\(authenticated identities/;

function backend(props: (stack: Stack) => FaceLivenessBackendProps) {
  const stack = new Stack(new App(), 'Plain', { env: ENV });
  const b = new FaceLivenessBackend(stack, 'Liveness', props(stack));
  return { stack, backend: b, template: Template.fromStack(stack) };
}

const oidc = (stack: Stack) =>
  new iam.OidcProviderNative(stack, 'Auth0', { url: 'https://example.eu.auth0.com/', clientIds: ['client-1'] });

const trustOf = (s: ReturnType<typeof backend>, role: RegExp) =>
  s.template.toJSON().Resources[roleId(s.template, role)].Properties.AssumeRolePolicyDocument.Statement;

const trustFor = (s: ReturnType<typeof backend>, amr: string) => [
  {
    Effect: 'Allow',
    Action: 'sts:AssumeRoleWithWebIdentity',
    Principal: { Federated: 'cognito-identity.amazonaws.com' },
    Condition: {
      StringEquals: { 'cognito-identity.amazonaws.com:aud': s.stack.resolve(s.backend.identityPool!.identityPoolId) },
      'ForAnyValue:StringLike': { 'cognito-identity.amazonaws.com:amr': amr },
    },
  },
];

describe('an OIDC provider (Auth0, Okta, Firebase, your own)', () => {
  const s = backend((stack) => ({
    allowedOrigins: ['https://app.example.com'],
    authenticationProviders: { openIdConnectProviders: [oidc(stack)] },
  }));

  test('the identity pool trusts it, with the classic flow still off', () => {
    s.template.hasResourceProperties('AWS::Cognito::IdentityPool', {
      OpenIdConnectProviderARNs: [
        s.stack.resolve((s.stack.node.findChild('Auth0') as iam.OidcProviderNative).oidcProviderArn),
      ],
      AllowClassicFlow: false,
    });
  });

  test('the authenticated role trusts cognito-identity.amazonaws.com for authenticated identities of this pool only', () => {
    expect(trustOf(s, AUTHENTICATED_ROLE)).toEqual(trustFor(s, 'authenticated'));
  });

  test('the guest role is unchanged: unauthenticated identities of this pool only', () => {
    expect(trustOf(s, GUEST_ROLE)).toEqual(trustFor(s, 'unauthenticated'));
  });

  test('signed-in identities get exactly the browser access', () => {
    expect(allowedActions(roleStatements(s.template, roleId(s.template, AUTHENTICATED_ROLE)))).toEqual([
      'execute-api:Invoke',
      'rekognition:StartFaceLivenessSession',
    ]);
  });

  test('the identity pool keeps its construct id (a stateful resource: no replacement)', () => {
    expect(s.backend.identityPool!.node.path).toBe('Plain/Liveness/Identity/IdentityPool');
  });
});

describe('login only: allowGuestAccess false with a provider', () => {
  const s = backend((stack) => ({
    allowedOrigins: ['https://app.example.com'],
    allowGuestAccess: false,
    authenticationProviders: { openIdConnectProviders: [oidc(stack)], google: { clientId: 'google-client' } },
  }));

  test('no guest role and no guests; the social provider is a supported login', () => {
    expect(s.backend.guestRole).toBeUndefined();
    s.template.hasResourceProperties('AWS::Cognito::IdentityPool', {
      AllowUnauthenticatedIdentities: false,
      SupportedLoginProviders: { 'accounts.google.com': 'google-client' },
    });
  });

  test('no warning that the pool lacks a sign-in provider', () => {
    expect(
      Annotations.fromStack(s.stack).findWarning('*', Match.stringLikeRegexp('add your sign-in provider')),
    ).toHaveLength(0);
  });
});

describe('a custom developer provider', () => {
  const s = backend(() => ({
    allowedOrigins: ['https://app.example.com'],
    authenticationProviders: { customProvider: 'login.example.com' },
  }));

  test("is the pool's developer provider name", () => {
    s.template.hasResourceProperties('AWS::Cognito::IdentityPool', { DeveloperProviderName: 'login.example.com' });
  });

  test('grantDeveloperAuthentication gives exactly GetOpenIdTokenForDeveloperIdentity on this pool', () => {
    const stack = new Stack(new App(), 'Grant', { env: ENV });
    const b = new FaceLivenessBackend(stack, 'Liveness', {
      allowedOrigins: ['https://app.example.com'],
      authenticationProviders: { customProvider: 'login.example.com' },
    });
    const role = new iam.Role(stack, 'AppBackend', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    b.grantDeveloperAuthentication(role);
    const template = Template.fromStack(stack);
    const policies = Object.values(template.findResources('AWS::IAM::Policy')).filter((p) =>
      JSON.stringify(p.Properties.Roles).includes(stack.getLogicalId(role.node.defaultChild as iam.CfnRole)),
    );
    expect(policies).toHaveLength(1);
    expect(policies[0]!.Properties.PolicyDocument.Statement).toEqual([
      {
        Effect: 'Allow',
        Action: 'cognito-identity:GetOpenIdTokenForDeveloperIdentity',
        Resource: stack.resolve(b.identityPool!.identityPoolArn),
      },
    ]);
  });
});

describe('refused at synth', () => {
  test('grantDeveloperAuthentication without a custom provider', () => {
    const stack = new Stack(new App(), 'NoCustom', { env: ENV });
    const b = new FaceLivenessBackend(stack, 'Liveness', { allowedOrigins: ['https://app.example.com'] });
    const role = new iam.Role(stack, 'AppBackend', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    expect(() => b.grantDeveloperAuthentication(role)).toThrow(/authenticationProviders\.customProvider/);
  });

  test('authenticationProviders with existingBrowserRoles (the construct creates no identity pool then)', () => {
    const stack = new Stack(new App(), 'Brought', { env: ENV });
    expect(
      () =>
        new FaceLivenessBackend(stack, 'Liveness', {
          allowedOrigins: ['https://app.example.com'],
          existingBrowserRoles: [iam.Role.fromRoleArn(stack, 'Guest', 'arn:aws:iam::111122223333:role/app-guest')],
          authenticationProviders: { customProvider: 'login.example.com' },
        }),
    ).toThrow(/authenticationProviders cannot be combined with existingBrowserRoles/);
  });
});
