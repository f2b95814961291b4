/**
 * The library's public API in a plain Stack (not through this repository's app): grouped props, bring-your-own
 * resources and their invalid combinations, grants, and token-valued settings.
 */
import { App, CfnParameter, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { HANDLER_ENV } from '../../contract/handler-environment';
import { FaceLivenessBackend, ImageEncryption, LivenessAuthorization, type FaceLivenessBackendProps } from '../../lib';
import { allowedActions, roleStatements } from './support/iam';

const ENV = { account: '111122223333', region: 'us-east-1' };

function plainStack(): Stack {
  // Asset metadata on, as the CDK CLI sets it: it records whether an asset was bundled at synth.
  return new Stack(new App({ context: { 'aws:cdk:enable-asset-metadata': true } }), 'Plain', { env: ENV });
}

function backend(props: FaceLivenessBackendProps | ((stack: Stack) => FaceLivenessBackendProps) = {}): { stack: Stack; backend: FaceLivenessBackend; template: Template } {
  const stack = plainStack();
  const b = new FaceLivenessBackend(stack, 'Liveness', typeof props === 'function' ? props(stack) : props);
  return { stack, backend: b, template: Template.fromStack(stack) };
}

function functionEnvironment(s: { stack: Stack; template: Template; backend: FaceLivenessBackend }): Record<string, unknown> {
  const id = s.stack.getLogicalId(s.backend.getResultFunction.node.defaultChild as lambda.CfnFunction);
  return s.template.toJSON().Resources[id].Properties.Environment.Variables;
}

const role = (stack: Stack, name: string) => iam.Role.fromRoleArn(stack, name, `arn:aws:iam::${ENV.account}:role/${name}`);

describe('defaults in a plain Stack', () => {
  const s = backend();

  test('creates one identity pool (the L2), its two browser roles, and exposes them by interface', () => {
    s.template.resourceCountIs('AWS::Cognito::IdentityPool', 1);
    s.template.hasResourceProperties('AWS::Cognito::IdentityPool', { AllowUnauthenticatedIdentities: true, AllowClassicFlow: false });
    expect(s.backend.identityPool?.identityPoolId).toBeDefined();
    expect(s.backend.guestRole).toBeDefined();
    expect(s.backend.authenticatedRole).toBeDefined();
  });

  test('IAM authorization by default, and the API URL is exposed', () => {
    expect(s.backend.authorization).toBe(LivenessAuthorization.IAM);
    expect(s.stack.resolve(s.backend.apiUrl)).toEqual(s.stack.resolve(s.backend.api.url));
  });

  test('the functions run the prebuilt handlers: index.handler from an asset, no synth-time bundling', () => {
    const functions = s.template.findResources('AWS::Lambda::Function');
    expect(Object.values(functions).map((f) => f.Properties.Handler)).toEqual(['index.handler', 'index.handler']);
    for (const f of Object.values(functions)) {
      expect(f.Metadata).toMatchObject({ 'aws:asset:property': 'Code', 'aws:asset:is-bundled': false });
    }
  });
});

describe('grouped props reach the functions and resources', () => {
  test('durations and nested options become the handler environment', () => {
    const s = backend({
      lockout: { maxFailures: 3, window: Duration.minutes(5), duration: Duration.hours(1), maxDuration: Duration.days(2), backoffFactor: 3 },
      verdictRetention: Duration.days(7),
      images: { presignedUrlTtl: Duration.minutes(2), defaultAuditImagesLimit: 2 },
      functions: { sdkTimeout: Duration.seconds(2), sdkMaxAttempts: 3, pollRetryAfter: Duration.seconds(2) },
    });
    expect(functionEnvironment(s)).toMatchObject({
      [HANDLER_ENV.LOCKOUT_MAX_FAILURES]: '3',
      [HANDLER_ENV.LOCKOUT_WINDOW_SECONDS]: '300',
      [HANDLER_ENV.LOCKOUT_SECONDS]: '3600',
      [HANDLER_ENV.LOCKOUT_MAX_SECONDS]: '172800',
      [HANDLER_ENV.LOCKOUT_BACKOFF_FACTOR]: '3',
      [HANDLER_ENV.VERDICT_RETENTION_DAYS]: '7',
      [HANDLER_ENV.PRESIGNED_URL_TTL_SECONDS]: '120',
      [HANDLER_ENV.DEFAULT_AUDIT_IMAGES_LIMIT]: '2',
      [HANDLER_ENV.SDK_TIMEOUT_MS]: '2000',
      [HANDLER_ENV.SDK_MAX_ATTEMPTS]: '3',
      [HANDLER_ENV.POLL_RETRY_AFTER_SECONDS]: '2',
    });
  });

  test('removalPolicy DESTROY and images.retention reach the bucket', () => {
    const s = backend({ removalPolicy: RemovalPolicy.DESTROY, images: { retention: Duration.days(3) } });
    s.template.hasResource('AWS::S3::Bucket', { DeletionPolicy: 'Delete', Properties: { LifecycleConfiguration: { Rules: Match.arrayWith([Match.objectLike({ ExpirationInDays: 3 })]) } } });
  });

  test('a removal policy other than RETAIN or DESTROY is refused', () => {
    expect(() => backend({ removalPolicy: RemovalPolicy.SNAPSHOT })).toThrow(/removalPolicy must be RemovalPolicy.RETAIN or RemovalPolicy.DESTROY/);
  });

  test('an out-of-range value names the setting', () => {
    expect(() => backend({ confidenceThreshold: 101 })).toThrow(/confidenceThreshold must be a number from 0 to 100/);
  });
});

describe('token-valued settings', () => {
  test('a CfnParameter as confidenceThreshold skips the range check and reaches the environment as a Ref', () => {
    const s = backend((stack) => ({ confidenceThreshold: new CfnParameter(stack, 'Threshold', { type: 'Number', minValue: 0, maxValue: 100 }).valueAsNumber }));
    expect(functionEnvironment(s)[HANDLER_ENV.CONFIDENCE_THRESHOLD]).toEqual({ Ref: 'Threshold' });
  });

  test('a token lockout duration reaches the environment intact', () => {
    const s = backend((stack) => ({ lockout: { duration: Duration.seconds(new CfnParameter(stack, 'LockoutSeconds', { type: 'Number' }).valueAsNumber) } }));
    expect(functionEnvironment(s)[HANDLER_ENV.LOCKOUT_SECONDS]).toEqual({ Ref: 'LockoutSeconds' });
  });
});

describe('bring your own browser roles', () => {
  test('each brought role gets exactly StartFaceLivenessSession and execute-api:Invoke on the two routes; no identity pool', () => {
    const s = backend((stack) => ({ existingBrowserRoles: [role(stack, 'guest'), role(stack, 'signed-in')] }));
    s.template.resourceCountIs('AWS::Cognito::IdentityPool', 0);
    expect(s.backend.identityPool).toBeUndefined();
    expect(s.backend.authenticatedRole).toBeUndefined();
    const policies = Object.values(s.template.findResources('AWS::IAM::Policy')).filter((p) => JSON.stringify(p.Properties.Roles).match(/guest|signed-in/));
    expect(policies.map((p) => p.Properties.Roles).sort()).toEqual([['guest'], ['signed-in']]);
    for (const p of policies) {
      const statements = p.Properties.PolicyDocument.Statement;
      expect(allowedActions(statements)).toEqual(['execute-api:Invoke', 'rekognition:StartFaceLivenessSession']);
      const invoke = statements.find((st: { Action: unknown }) => st.Action === 'execute-api:Invoke');
      expect(invoke.Resource).toHaveLength(2);
    }
  });

  test('grantBrowserAccess gives a role of the same stack the same permissions', () => {
    const stack = plainStack();
    const b = new FaceLivenessBackend(stack, 'Liveness', { existingBrowserRoles: [role(stack, 'guest')] });
    const mine = new iam.Role(stack, 'Mine', { assumedBy: new iam.AccountRootPrincipal() });
    b.grantBrowserAccess(mine);
    const t = Template.fromStack(stack);
    expect(allowedActions(roleStatements(t, stack.getLogicalId(mine.node.defaultChild as iam.CfnRole)))).toEqual(['execute-api:Invoke', 'rekognition:StartFaceLivenessSession']);
  });

  test('with cognito authorization, brought roles get no execute-api permission (the API does not check it)', () => {
    const s = backend((stack) => ({
      existingBrowserRoles: [role(stack, 'guest')],
      authorization: LivenessAuthorization.COGNITO,
      userPool: new cognito.UserPool(stack, 'Pool'),
    }));
    const policy = Object.values(s.template.findResources('AWS::IAM::Policy')).find((p) => JSON.stringify(p.Properties.Roles) === '["guest"]')!;
    expect(allowedActions(policy.Properties.PolicyDocument.Statement)).toEqual(['rekognition:StartFaceLivenessSession']);
  });

  test('cdk-nag finds nothing unacknowledged with brought roles', () => {
    const app = new App();
    const stack = new Stack(app, 'Nag', { env: ENV });
    new FaceLivenessBackend(stack, 'Liveness', { existingBrowserRoles: [role(stack, 'guest')] });
    const violations = [new AwsSolutionsChecks(), new ServerlessChecks()].flatMap((pack) => pack.validateScope(app).violations.map((v) => v.ruleName));
    expect(violations).toEqual([]);
  });
});

describe('bring your own user pool and key', () => {
  test('userPool with COGNITO authorization: the authorizer accepts that pool', () => {
    const s = backend((stack) => ({ authorization: LivenessAuthorization.COGNITO, userPool: new cognito.UserPool(stack, 'Pool') }));
    s.template.hasResourceProperties('AWS::ApiGateway::Authorizer', { Type: 'COGNITO_USER_POOLS', ProviderARNs: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^Pool'), 'Arn'] }] });
  });

  test('userPool with userPoolClient: the created identity pool trusts that client as its login provider', () => {
    const s = backend((stack) => {
      const userPool = new cognito.UserPool(stack, 'Pool');
      return { userPool, userPoolClient: userPool.addClient('Web') };
    });
    s.template.hasResourceProperties('AWS::Cognito::IdentityPool', { CognitoIdentityProviders: [Match.objectLike({ ClientId: { Ref: Match.stringLikeRegexp('^PoolWeb') } })] });
    s.template.resourceCountIs('AWS::Cognito::UserPoolClient', 1);
  });

  test('encryptionKey: the bucket and the table use the brought key, and no key is created', () => {
    const s = backend((stack) => ({ encryptionKey: new kms.Key(stack, 'MyKey') }));
    s.template.resourceCountIs('AWS::KMS::Key', 1);
    s.template.hasResourceProperties('AWS::S3::Bucket', { BucketEncryption: { ServerSideEncryptionConfiguration: [Match.objectLike({ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::GetAtt': [Match.stringLikeRegexp('^MyKey'), 'Arn'] } } })] } });
    s.template.hasResourceProperties('AWS::DynamoDB::Table', { SSESpecification: { KMSMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^MyKey'), 'Arn'] }, SSEEnabled: true, SSEType: 'KMS' } });
    expect(functionEnvironment(s)[HANDLER_ENV.KMS_KEY_ID]).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^MyKey/), 'Arn'] });
  });

  test('encryptionKey without stored images still encrypts the table', () => {
    const s = backend((stack) => ({ encryptionKey: new kms.Key(stack, 'MyKey'), images: { store: false } }));
    s.template.resourceCountIs('AWS::S3::Bucket', 0);
    s.template.hasResourceProperties('AWS::DynamoDB::Table', { SSESpecification: Match.objectLike({ SSEType: 'KMS' }) });
  });
});

describe('combinations that cannot work fail at synth naming both props', () => {
  test.each<[string, (stack: Stack) => FaceLivenessBackendProps, RegExp]>([
    ['guest access with brought roles', (stack) => ({ existingBrowserRoles: [role(stack, 'guest')], allowGuestAccess: false }), /allowGuestAccess cannot be combined with existingBrowserRoles/],
    ['a user pool client with brought roles', (stack) => {
      const userPool = new cognito.UserPool(stack, 'Pool');
      return { existingBrowserRoles: [role(stack, 'guest')], userPool, userPoolClient: userPool.addClient('Web') };
    }, /userPoolClient cannot be combined with existingBrowserRoles/],
    ['an empty list of brought roles', () => ({ existingBrowserRoles: [] }), /existingBrowserRoles must list at least one role/],
    ['a user pool client without its pool', (stack) => ({ userPoolClient: cognito.UserPoolClient.fromUserPoolClientId(stack, 'C', 'abc') }), /userPoolClient needs userPool/],
    ['cognito authorization without a user pool', () => ({ authorization: LivenessAuthorization.COGNITO }), /authorization LivenessAuthorization.COGNITO needs userPool/],
    ['a brought key with SSE-S3 images', (stack) => ({ encryptionKey: new kms.Key(stack, 'K'), images: { encryption: ImageEncryption.S3_MANAGED } }), /encryptionKey cannot be combined with images.encryption/],
    ['a created key without stored images', () => ({ images: { encryption: ImageEncryption.KMS, store: false } }), /imageEncryption 'kms' needs storeImages/],
  ])('%s', (_name, props, message) => {
    expect(() => backend(props)).toThrow(message);
  });
});

describe('grantReadVerdicts', () => {
  test('GetItem on SESSION# keys only, nothing else on the table', () => {
    const stack = plainStack();
    const b = new FaceLivenessBackend(stack, 'Liveness');
    const reader = new iam.Role(stack, 'Reader', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    b.grantReadVerdicts(reader);
    const t = Template.fromStack(stack);
    const statements = roleStatements(t, stack.getLogicalId(reader.node.defaultChild as iam.CfnRole));
    expect(allowedActions(statements)).toEqual(['dynamodb:GetItem']);
    expect(statements[0]!.Condition).toEqual({ 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['SESSION#*'] } });
    expect(statements[0]!.Resource).toEqual(stack.resolve(b.sessionTable.tableArn));
  });

  test('with a customer-managed key, the reader may also decrypt with it', () => {
    const stack = plainStack();
    const b = new FaceLivenessBackend(stack, 'Liveness', { images: { encryption: ImageEncryption.KMS } });
    const reader = new iam.Role(stack, 'Reader', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    b.grantReadVerdicts(reader);
    const t = Template.fromStack(stack);
    expect(allowedActions(roleStatements(t, stack.getLogicalId(reader.node.defaultChild as iam.CfnRole)))).toEqual(['dynamodb:GetItem', 'kms:Decrypt']);
  });
});

describe('monitoring props', () => {
  test('alarms and dashboard off: no alarm, no dashboard', () => {
    const s = backend({ monitoring: { alarms: false, dashboard: false } });
    s.template.resourceCountIs('AWS::CloudWatch::Alarm', 0);
    s.template.resourceCountIs('AWS::CloudWatch::Dashboard', 0);
  });

  test('a latency threshold as a Duration reaches the latency alarms in milliseconds', () => {
    const s = backend({ monitoring: { thresholds: { latencyP99: Duration.seconds(2) } } });
    const latency = Object.values(s.template.findResources('AWS::CloudWatch::Alarm')).filter((a) => /latency/i.test(JSON.stringify(a.Properties.AlarmDescription)));
    expect(latency.length).toBeGreaterThan(0);
    for (const a of latency) expect(a.Properties.Threshold).toBe(2000);
  });
});
