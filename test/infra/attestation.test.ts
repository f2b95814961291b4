/** Finding 3 in the template: the attestation key, who may use it and how, the public JWK Set route and the consume grant. */
import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as iam from 'aws-cdk-lib/aws-iam';
import { JWKS_PATH } from '../../contract/attestation';
import { CONSUME_ATTRIBUTES } from '../../contract/session-table-schema';
import { ATTESTATION_KEY_POLICY_ACTIONS, FaceLivenessBackend } from '../../lib/face-liveness-backend';
import { allowedActions, roleId, roleStatements, statementFor } from './support/iam';
import { newTestApp, synth, type Synthesized } from './support/stack';

describe('attestation key and JWK Set', () => {
  let s: Synthesized;
  let keyArn: unknown;
  beforeAll(() => {
    s = synth();
    keyArn = s.stack.resolve(s.stack.backend.attestationKey.keyArn);
  });

  test('one asymmetric ECC_NIST_P256 SIGN_VERIFY key, retained, with a key policy without wildcard actions', () => {
    s.template.hasResource('AWS::KMS::Key', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        KeySpec: 'ECC_NIST_P256',
        KeyUsage: 'SIGN_VERIFY',
        KeyPolicy: {
          Version: '2012-10-17',
          Statement: [
            {
              Sid: 'AccountAdministersAndDelegatesSigning',
              Effect: 'Allow',
              Principal: { AWS: Match.anyValue() },
              Action: [...ATTESTATION_KEY_POLICY_ACTIONS].sort(),
              Resource: '*',
              Condition: { StringEquals: { 'kms:CallerAccount': '123456789012' } },
            },
          ],
        },
      }),
    });
    for (const action of ATTESTATION_KEY_POLICY_ACTIONS)
      expect(action).not.toMatch(/\*|Decrypt|Encrypt|GenerateDataKey/);
  });

  test('only the get-result role may sign, only with this key; only the JWK Set role reads its public key', () => {
    const result = roleStatements(s.template, roleId(s.template, /returns the result/));
    expect(statementFor(result, 'kms:Sign')).toEqual({ Effect: 'Allow', Action: 'kms:Sign', Resource: keyArn });
    const jwks = roleStatements(s.template, roleId(s.template, /public key of verdict attestations/));
    expect(allowedActions(jwks).filter((a) => !a.startsWith('logs:') && !a.startsWith('xray:'))).toEqual([
      'kms:GetPublicKey',
    ]);
    expect(statementFor(jwks, 'kms:GetPublicKey').Resource).toEqual(keyArn);
    const create = roleStatements(s.template, roleId(s.template, /creates a session/));
    expect(allowedActions(create).filter((a) => a.startsWith('kms:'))).toEqual([]);
  });

  test('GET /.well-known/jwks.json is unauthenticated and proxies to the JWK Set function', () => {
    const resourceId = s.stack.resolve(s.stack.backend.api.root.resourceForPath(JWKS_PATH).resourceId);
    s.template.hasResourceProperties('AWS::ApiGateway::Method', {
      HttpMethod: 'GET',
      ResourceId: resourceId,
      AuthorizationType: 'NONE',
      Integration: Match.objectLike({ Type: 'AWS_PROXY' }),
    });
  });

  test('a key passed in is used instead of creating one', () => {
    const stack = new Stack(newTestApp(), 'Own', { env: { account: '123456789012', region: 'us-east-1' } });
    const key = kms.Key.fromKeyArn(
      stack,
      'Key',
      'arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555',
    );
    const backend = new FaceLivenessBackend(stack, 'Backend', { attestation: { key } });
    expect(backend.attestationKey).toBe(key);
    Template.fromStack(stack).resourceCountIs('AWS::KMS::Key', 0);
  });

  test('the consume grant is exactly one PutItem of CONSUMED# items naming only their attributes', () => {
    const role = new iam.Role(s.stack, 'AppBackend', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    s.stack.backend.grantConsumeVerdicts(role);
    const statements = (
      s.stack.resolve((role.node.findChild('DefaultPolicy') as iam.Policy).document) as { Statement: unknown[] }
    ).Statement;
    expect(statements).toEqual([
      {
        Effect: 'Allow',
        Action: 'dynamodb:PutItem',
        Resource: s.stack.resolve(s.stack.backend.sessionTable.tableArn),
        Condition: {
          'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['CONSUMED#*'] },
          'ForAllValues:StringEquals': { 'dynamodb:Attributes': [...CONSUME_ATTRIBUTES] },
          StringEqualsIfExists: { 'dynamodb:ReturnValues': ['NONE'] },
        },
      },
    ]);
  });
});
