/** The attestation in the template: its key, who may use it and how, the public JWK Set route and the consume grant. */
import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as iam from 'aws-cdk-lib/aws-iam';
import { JWKS_PATH } from '../../contract/attestation';
import { CONSUME_ATTRIBUTES } from '../../contract/session-table-schema';
import {
  ATTESTATION_KEY_ADMIN_SID,
  ATTESTATION_KEY_POLICY_ACTIONS,
  ATTESTATION_KEY_SIGNER_SID,
  FaceLivenessBackend,
} from '../../lib/face-liveness-backend';
import { allowedActions, roleId, roleStatements, statementFor } from './support/iam';
import { newTestApp, synth, type Synthesized } from './support/stack';

describe('attestation key and JWK Set', () => {
  let s: Synthesized;
  let keyArn: unknown;
  beforeAll(() => {
    s = synth();
    keyArn = s.stack.resolve(s.stack.backend.attestationKey.keyArn);
  });

  const SIGN_CONDITION = { StringEquals: { 'kms:SigningAlgorithm': 'ECDSA_SHA_256', 'kms:MessageType': 'RAW' } };
  const keyPolicy = () =>
    Object.values(s.template.findResources('AWS::KMS::Key'))[0]!.Properties.KeyPolicy as {
      Statement: { Sid: string; Principal: unknown; Action: string | string[]; Condition?: unknown }[];
    };
  const actionsOf = (statement: { Action: string | string[] }) =>
    Array.isArray(statement.Action) ? statement.Action : [statement.Action];

  test('one asymmetric ECC_NIST_P256 SIGN_VERIFY key, retained, with a key policy without wildcard actions', () => {
    s.template.resourceCountIs('AWS::KMS::Key', 1);
    s.template.hasResource('AWS::KMS::Key', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' }),
    });
    for (const statement of keyPolicy().Statement)
      for (const action of actionsOf(statement)) expect(action).not.toMatch(/\*|Decrypt|Encrypt|GenerateDataKey/);
  });

  test('the account administers the key and reads its public key, but cannot sign or delegate signing', () => {
    const account = keyPolicy().Statement.find((st) => st.Sid === ATTESTATION_KEY_ADMIN_SID)!;
    expect(account).toEqual({
      Sid: ATTESTATION_KEY_ADMIN_SID,
      Effect: 'Allow',
      Principal: { AWS: expect.anything() },
      Action: [...ATTESTATION_KEY_POLICY_ACTIONS].sort(),
      Resource: '*',
      Condition: { StringEquals: { 'kms:CallerAccount': '123456789012' } },
    });
    expect(JSON.stringify(account.Principal)).toContain(':root');
    expect(account.Action).toContain('kms:GetPublicKey');
    expect(account.Action).not.toContain('kms:Sign');
  });

  test('kms:Sign is granted in the key policy to the result role alone, for ES256 over a raw message', () => {
    const resultRoleArn = { 'Fn::GetAtt': [roleId(s.template, /returns the result/), 'Arn'] };
    const signers = keyPolicy().Statement.filter((st) => actionsOf(st).some((a) => a === 'kms:Sign' || a === 'kms:*'));
    expect(signers).toEqual([
      {
        Sid: ATTESTATION_KEY_SIGNER_SID,
        Effect: 'Allow',
        Principal: { AWS: resultRoleArn },
        Action: 'kms:Sign',
        Resource: '*',
        Condition: SIGN_CONDITION,
      },
    ]);
  });

  test('no role policy grants kms:Sign on the created key; only the JWK Set role reads its public key', () => {
    for (const description of [/returns the result/, /creates a session/, /public key of verdict attestations/]) {
      const statements = roleStatements(s.template, roleId(s.template, description));
      expect(allowedActions(statements)).not.toContain('kms:Sign');
    }
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
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::KMS::Key', 0);
    // Its policy is its owner's: the result role alone gets kms:Sign on it through IAM.
    const result = roleStatements(template, roleId(template, /returns the result/));
    expect(statementFor(result, 'kms:Sign')).toEqual({
      Effect: 'Allow',
      Action: 'kms:Sign',
      Resource: key.keyArn,
      Condition: SIGN_CONDITION,
    });
    for (const description of [/creates a session/, /public key of verdict attestations/])
      expect(allowedActions(roleStatements(template, roleId(template, description)))).not.toContain('kms:Sign');
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
