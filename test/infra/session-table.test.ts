/** The session table: its settings, and exactly what each function may do with it. */
import type { CfnElement } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import {
  CONSUME_ATTRIBUTES,
  OWNER_UPDATE_ATTRIBUTES,
  SESSION_CREATE_ATTRIBUTES,
  VERDICT_ATTRIBUTES,
  VERDICT_UPDATE_ATTRIBUTES,
} from '../../contract/session-table-schema';
import { resolveSettings } from '../../bin/settings';
import {
  allowedActions,
  allowsItemRequest,
  roleId,
  roleStatements,
  type ItemRequest,
  type Statement,
} from './support/iam';
import { newTestStack, synth, type Synthesized } from './support/stack';

const CREATE_ROLE = /creates a session/;
const RESULT_ROLE = /returns the result/;

const dynamoStatements = (statements: readonly Statement[]) =>
  statements.filter((st) =>
    (Array.isArray(st.Action) ? st.Action : [st.Action]).some((a) => a.startsWith('dynamodb:')),
  );

describe('session table, default settings', () => {
  let s: Synthesized;
  let tableArn: unknown;
  beforeAll(() => {
    s = synth();
    tableArn = s.stack.resolve(s.stack.backend.sessionTable.tableArn);
  });

  test('there is exactly one table, keyed by a string partition key pk and nothing else', () => {
    s.template.resourceCountIs('AWS::DynamoDB::Table', 1);
    s.template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      GlobalSecondaryIndexes: Match.absent(),
      LocalSecondaryIndexes: Match.absent(),
    });
  });

  test('is on-demand', () => {
    s.template.hasResourceProperties('AWS::DynamoDB::Table', {
      BillingMode: 'PAY_PER_REQUEST',
      ProvisionedThroughput: Match.absent(),
    });
  });

  test('has point-in-time recovery', () => {
    s.template.hasResourceProperties('AWS::DynamoDB::Table', {
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
    });
  });

  test('is encrypted with the AWS managed key by default', () => {
    s.template.hasResourceProperties('AWS::DynamoDB::Table', {
      SSESpecification: { SSEEnabled: true, SSEType: Match.absent(), KMSMasterKeyId: Match.absent() },
    });
  });

  test('expires items by the ttl attribute', () => {
    s.template.hasResourceProperties('AWS::DynamoDB::Table', {
      TimeToLiveSpecification: { AttributeName: 'ttl', Enabled: true },
    });
  });

  test('is retained, with deletion protection, on stack deletion', () => {
    s.template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({ DeletionProtectionEnabled: true }),
    });
  });

  test('has no stream and no resource policy: nothing but the two functions (and what you grant) reads it', () => {
    s.template.hasResourceProperties('AWS::DynamoDB::Table', {
      StreamSpecification: Match.absent(),
      ResourcePolicy: Match.absent(),
    });
  });

  test('the create-session role may only upsert session items naming only the attributes of a new session (no PutItem: it cannot replace a decided session)', () => {
    const statements = dynamoStatements(roleStatements(s.template, roleId(s.template, CREATE_ROLE)));
    expect(statements.find((st) => st.Action === 'dynamodb:PutItem')).toBeUndefined();
    const update = statements.find((st) => st.Action === 'dynamodb:UpdateItem');
    expect(update).toEqual({
      Effect: 'Allow',
      Action: 'dynamodb:UpdateItem',
      Resource: tableArn,
      Condition: {
        'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['SESSION#*'] },
        'ForAllValues:StringEquals': { 'dynamodb:Attributes': [...SESSION_CREATE_ATTRIBUTES] },
        StringEqualsIfExists: { 'dynamodb:ReturnValues': ['NONE'] },
      },
    });
    for (const attribute of VERDICT_ATTRIBUTES) expect(SESSION_CREATE_ATTRIBUTES).not.toContain(attribute);
  });

  test('the create-session role may get owner items (the lockout check) and of a session item only its expiry', () => {
    const statements = dynamoStatements(roleStatements(s.template, roleId(s.template, CREATE_ROLE)));
    expect(statements.filter((st) => st.Action === 'dynamodb:GetItem')).toEqual([
      {
        Effect: 'Allow',
        Action: 'dynamodb:GetItem',
        Resource: tableArn,
        Condition: {
          'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['SESSION#*'] },
          'ForAllValues:StringEquals': { 'dynamodb:Attributes': ['pk', 'expiresAt'] },
          StringEqualsIfExists: { 'dynamodb:Select': ['SPECIFIC_ATTRIBUTES'] },
        },
      },
      {
        Effect: 'Allow',
        Action: 'dynamodb:GetItem',
        Resource: tableArn,
        Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['OWNER#*'] } },
      },
    ]);
    expect(statements).toHaveLength(3);
  });

  test('the get-result role may write only verdict attributes of session items and lockout attributes of owner items', () => {
    const statements = dynamoStatements(roleStatements(s.template, roleId(s.template, RESULT_ROLE)));
    const update = (prefix: string, attributes: readonly string[]) => ({
      Effect: 'Allow',
      Action: 'dynamodb:UpdateItem',
      Resource: tableArn,
      Condition: {
        'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [prefix] },
        'ForAllValues:StringEquals': { 'dynamodb:Attributes': [...attributes] },
        StringEqualsIfExists: { 'dynamodb:ReturnValues': ['NONE'] },
      },
    });
    expect(statements).toEqual([
      {
        Effect: 'Allow',
        Action: 'dynamodb:GetItem',
        Resource: tableArn,
        Condition: {
          'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['SESSION#*', 'CONSUMED#*', 'OWNER#*'] },
        },
      },
      update('SESSION#*', VERDICT_UPDATE_ATTRIBUTES),
      update('OWNER#*', OWNER_UPDATE_ATTRIBUTES),
    ]);
    // It can neither rewrite a session's creation record (nor its owner) nor touch a consumed mark.
    for (const attribute of ['createdAt', 'expiresAt', 'sessionId', 'owner', 'nonce', 'consumedAt'])
      expect(VERDICT_UPDATE_ATTRIBUTES).not.toContain(attribute);
  });

  describe('no grant can change what a verdict is read from', () => {
    const SESSION = 'SESSION#5f0c3f4e-7d52-4a55-9d5e-0a8b1c2d3e4f';
    const CONSUMED = 'CONSUMED#5f0c3f4e-7d52-4a55-9d5e-0a8b1c2d3e4f';
    const VERDICT_FIELDS = ['isLive', 'decidedAt', 'decidedFor', 'owner'] as const;
    const consumerStatements = () => {
      const role = new iam.Role(s.stack, `Consumer${Math.random().toString(36).slice(2)}`, {
        assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      });
      s.stack.backend.grantConsumeVerdicts(role);
      return (
        s.stack.resolve((role.node.findChild('DefaultPolicy') as iam.Policy).document) as { Statement: Statement[] }
      ).Statement;
    };
    const allows = (statements: readonly Statement[], request: ItemRequest) =>
      allowsItemRequest(statements, tableArn, request);
    const writes = ['dynamodb:UpdateItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem'];

    test.each(VERDICT_FIELDS)("a consumer's grant denies any write naming %s, on any item", (attribute) => {
      const statements = consumerStatements();
      for (const action of writes)
        for (const leadingKey of [SESSION, CONSUMED])
          expect(allows(statements, { action, leadingKey, attributes: ['pk', attribute] })).toBe(false);
    });

    test("a consumer's grant denies removing a consumption: no update or delete of either item", () => {
      const statements = consumerStatements();
      for (const leadingKey of [SESSION, CONSUMED]) {
        expect(
          allows(statements, { action: 'dynamodb:UpdateItem', leadingKey, attributes: ['pk', 'consumedAt'] }),
        ).toBe(false);
        expect(allows(statements, { action: 'dynamodb:DeleteItem', leadingKey, attributes: ['pk'] })).toBe(false);
      }
      expect(allows(statements, { action: 'dynamodb:PutItem', leadingKey: SESSION, attributes: ['pk'] })).toBe(false);
    });

    test("a consumer's grant allows exactly the consumption put", () => {
      const statements = consumerStatements();
      expect(
        allows(statements, { action: 'dynamodb:PutItem', leadingKey: CONSUMED, attributes: [...CONSUME_ATTRIBUTES] }),
      ).toBe(true);
      expect(
        allows(statements, {
          action: 'dynamodb:PutItem',
          leadingKey: CONSUMED,
          attributes: [...CONSUME_ATTRIBUTES],
          returnValues: 'ALL_OLD',
        }),
      ).toBe(false);
    });

    test('the result role cannot name a session owner nor write a consumption', () => {
      const statements = dynamoStatements(roleStatements(s.template, roleId(s.template, RESULT_ROLE)));
      expect(
        allows(statements, { action: 'dynamodb:UpdateItem', leadingKey: SESSION, attributes: ['pk', 'owner'] }),
      ).toBe(false);
      expect(
        allows(statements, { action: 'dynamodb:UpdateItem', leadingKey: SESSION, attributes: ['pk', 'isLive'] }),
      ).toBe(true);
      for (const action of writes)
        expect(allows(statements, { action, leadingKey: CONSUMED, attributes: [...CONSUME_ATTRIBUTES] })).toBe(false);
    });

    test('the create role cannot write a verdict attribute nor a consumption', () => {
      const statements = dynamoStatements(roleStatements(s.template, roleId(s.template, CREATE_ROLE)));
      for (const attribute of VERDICT_ATTRIBUTES)
        expect(
          allows(statements, { action: 'dynamodb:UpdateItem', leadingKey: SESSION, attributes: ['pk', attribute] }),
        ).toBe(false);
      for (const action of writes)
        expect(allows(statements, { action, leadingKey: CONSUMED, attributes: [...CONSUME_ATTRIBUTES] })).toBe(false);
    });
  });

  test('no role in the stack may query, scan, delete or batch on the table', () => {
    const roles = Object.keys(s.template.findResources('AWS::IAM::Role'));
    const actions = roles
      .flatMap((id) => allowedActions(roleStatements(s.template, id)))
      .filter((a) => a.startsWith('dynamodb:'));
    expect([...new Set(actions)].sort()).toEqual(['dynamodb:GetItem', 'dynamodb:UpdateItem']);
  });

  test('both API functions are told the table name, and the JWK Set function is not', () => {
    const table = s.stack.resolve(s.stack.backend.sessionTable.tableName);
    const functions = Object.entries(s.template.findResources('AWS::Lambda::Function'));
    const jwks = functions.filter(([id]) => id.includes('Jwks'));
    const api = functions.filter(([id]) => !id.includes('Jwks'));
    expect(jwks).toHaveLength(1);
    expect(api).toHaveLength(2);
    for (const [, fn] of api) expect(fn.Properties.Environment.Variables.SESSION_TABLE_NAME).toEqual(table);
    for (const [, fn] of jwks) expect(fn.Properties.Environment.Variables.SESSION_TABLE_NAME).toBeUndefined();
  });
});

describe('session table, other settings', () => {
  test("with imageEncryption 'kms', the table is encrypted with the images' customer-managed key", () => {
    const s = synth({ imageEncryption: 'kms' });
    s.template.hasResourceProperties('AWS::DynamoDB::Table', {
      SSESpecification: {
        SSEEnabled: true,
        SSEType: 'KMS',
        KMSMasterKeyId: s.stack.resolve(s.stack.backend.encryptionKey!.keyArn),
      },
    });
  });

  test("with removalPolicy 'destroy', the table is deleted with the stack and not deletion-protected", () => {
    const s = synth({ removalPolicy: 'destroy' });
    s.template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Delete',
      Properties: Match.objectLike({ DeletionProtectionEnabled: false }),
    });
  });

  test("a user's own function can be granted read access to the verdicts through the exported table", () => {
    // GIVEN
    const s = { stack: newTestStack() };
    const consumer = new lambda.Function(s.stack, 'VerdictConsumer', {
      runtime: lambda.Runtime.NODEJS_24_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline('exports.handler = async () => {}'),
    });
    // WHEN
    s.stack.backend.sessionTable.grantReadData(consumer);
    // THEN
    Template.fromStack(s.stack).hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: s.stack.getLogicalId(consumer.role!.node.defaultChild as CfnElement) }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: Match.arrayWith(['dynamodb:GetItem']),
            Resource: s.stack.resolve(s.stack.backend.sessionTable.tableArn),
          }),
        ]),
      },
    });
  });
});

describe('session table settings', () => {
  test.each([
    ['verdictRetentionDays', 0],
    ['verdictRetentionDays', 3651],
    ['lockoutMaxFailures', -1],
    ['lockoutMaxFailures', 51],
    ['lockoutMaxFailures', 2.5],
    ['lockoutWindowSeconds', 0],
    ['lockoutSeconds', 0],
    ['lockoutBackoffFactor', 0.5],
    ['lockoutBackoffFactor', 11],
    ['lockoutMaxSeconds', 0],
  ])('rejects %s = %p', (name, value) => {
    expect(() => resolveSettings({ [name]: value })).toThrow(new RegExp(`${name} must be`));
  });

  test('rejects a longest lockout shorter than the first', () => {
    expect(() => resolveSettings({ lockoutSeconds: 3600, lockoutMaxSeconds: 600 })).toThrow(
      /lockoutMaxSeconds \(600\) must be at least lockoutSeconds \(3600\)/,
    );
  });

  test("defaults follow AWS's guidance: 5 failures in 3 minutes, then 30 minutes, doubling up to a day; verdicts kept 30 days", () => {
    expect(resolveSettings()).toMatchObject({
      lockoutMaxFailures: 5,
      lockoutWindowSeconds: 180,
      lockoutSeconds: 1800,
      lockoutBackoffFactor: 2,
      lockoutMaxSeconds: 86_400,
      verdictRetentionDays: 30,
    });
  });

  test('0 failures turns the lockout off and is valid', () => {
    expect(resolveSettings({ lockoutMaxFailures: 0 }).lockoutMaxFailures).toBe(0);
  });
});
