/**
 * The library's public API in a plain Stack (not through this repository's app): grouped props, bring-your-own
 * resources and their invalid combinations, grants, and token-valued settings.
 */
import { App, CfnParameter, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { HANDLER_ENV } from '../../contract/handler-environment';
import {
  FaceLivenessBackend,
  ImageEncryption,
  LivenessAuthorization,
  LivenessChallenge,
  type FaceLivenessBackendProps,
} from '../../lib';
import { allowedActions, roleId, roleStatements, statementFor } from './support/iam';

const ENV = { account: '111122223333', region: 'us-east-1' };

function plainStack(): Stack {
  // Asset metadata on, as the CDK CLI sets it: it records whether an asset was bundled at synth.
  return new Stack(new App({ context: { 'aws:cdk:enable-asset-metadata': true } }), 'Plain', { env: ENV });
}

function backend(props: FaceLivenessBackendProps | ((stack: Stack) => FaceLivenessBackendProps) = {}): {
  stack: Stack;
  backend: FaceLivenessBackend;
  template: Template;
} {
  const stack = plainStack();
  const b = new FaceLivenessBackend(stack, 'Liveness', typeof props === 'function' ? props(stack) : props);
  return { stack, backend: b, template: Template.fromStack(stack) };
}

function functionEnvironment(s: {
  stack: Stack;
  template: Template;
  backend: FaceLivenessBackend;
}): Record<string, unknown> {
  const id = s.stack.getLogicalId(s.backend.getResultFunction.node.defaultChild as lambda.CfnFunction);
  return s.template.toJSON().Resources[id].Properties.Environment.Variables;
}

const myBucket = (stack: Stack) => s3.Bucket.fromBucketName(stack, 'MyBucket', 'my-images');
const CREATE_ROLE = /creates a session/;
const RESULT_ROLE = /returns the result/;

const role = (stack: Stack, name: string) =>
  iam.Role.fromRoleArn(stack, name, `arn:aws:iam::${ENV.account}:role/${name}`);

describe('defaults in a plain Stack', () => {
  const s = backend();

  test('creates one identity pool (the L2), its two browser roles, and exposes them by interface', () => {
    s.template.resourceCountIs('AWS::Cognito::IdentityPool', 1);
    s.template.hasResourceProperties('AWS::Cognito::IdentityPool', {
      AllowUnauthenticatedIdentities: true,
      AllowClassicFlow: false,
    });
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
    // create session, get result, and the JWK Set
    expect(Object.values(functions).map((f) => f.Properties.Handler)).toEqual([
      'index.handler',
      'index.handler',
      'index.handler',
    ]);
    for (const f of Object.values(functions)) {
      expect(f.Metadata).toMatchObject({ 'aws:asset:property': 'Code', 'aws:asset:is-bundled': false });
    }
  });
});

describe('grouped props reach the functions and resources', () => {
  test('durations and nested options become the handler environment', () => {
    const s = backend({
      lockout: {
        maxFailures: 3,
        window: Duration.minutes(5),
        duration: Duration.hours(1),
        maxDuration: Duration.days(2),
        backoffFactor: 3,
      },
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
    s.template.hasResource('AWS::S3::Bucket', {
      DeletionPolicy: 'Delete',
      Properties: { LifecycleConfiguration: { Rules: Match.arrayWith([Match.objectLike({ ExpirationInDays: 3 })]) } },
    });
  });

  test('a removal policy other than RETAIN or DESTROY is refused', () => {
    expect(() => backend({ removalPolicy: RemovalPolicy.SNAPSHOT })).toThrow(
      /removalPolicy must be RemovalPolicy.RETAIN or RemovalPolicy.DESTROY/,
    );
  });

  test('an out-of-range value names the setting', () => {
    expect(() => backend({ confidenceThreshold: 101 })).toThrow(/confidenceThreshold must be a number from 0 to 100/);
  });
});

describe('challenge policy and attestation props', () => {
  test('challenges and attestation options reach the handler environment (ttl as a Duration, in seconds)', () => {
    const s = backend({
      challenges: {
        allowed: [LivenessChallenge.FACE_MOVEMENT, LivenessChallenge.FACE_MOVEMENT_AND_LIGHT],
        minVersions: { faceMovementAndLight: '2.0.0', faceMovement: '1.0.0' },
      },
      attestation: {
        issuer: 'https://liveness.example.com',
        audience: 'https://app.example.com',
        ttl: Duration.minutes(2),
      },
    });
    expect(functionEnvironment(s)).toMatchObject({
      [HANDLER_ENV.ALLOWED_CHALLENGES]: 'FaceMovementChallenge,FaceMovementAndLightChallenge',
      [HANDLER_ENV.MIN_CHALLENGE_VERSIONS]: 'FaceMovementAndLightChallenge=2.0.0,FaceMovementChallenge=1.0.0',
      [HANDLER_ENV.ATTESTATION_ISSUER]: 'https://liveness.example.com',
      [HANDLER_ENV.ATTESTATION_AUDIENCE]: 'https://app.example.com',
      [HANDLER_ENV.ATTESTATION_TTL_SECONDS]: '120',
    });
    expect(s.backend.attestationIssuer).toBe('https://liveness.example.com');
  });

  test('by default only the movement-and-light challenge, any version, a 5-minute attestation from a created key', () => {
    const s = backend();
    const env = functionEnvironment(s);
    expect(env).toMatchObject({
      [HANDLER_ENV.ALLOWED_CHALLENGES]: 'FaceMovementAndLightChallenge',
      [HANDLER_ENV.ATTESTATION_TTL_SECONDS]: '300',
    });
    expect(env[HANDLER_ENV.MIN_CHALLENGE_VERSIONS]).toBeUndefined();
    s.template.hasResourceProperties('AWS::KMS::Key', { KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' });
  });

  test('a brought attestation key is used and exposed by interface; no signing key is created', () => {
    const s = backend((stack) => ({
      attestation: {
        key: kms.Key.fromKeyArn(
          stack,
          'Signer',
          `arn:aws:kms:${ENV.region}:${ENV.account}:key/11111111-2222-3333-4444-555555555555`,
        ),
      },
    }));
    expect(s.backend.attestationKey.keyArn).toBe(
      `arn:aws:kms:${ENV.region}:${ENV.account}:key/11111111-2222-3333-4444-555555555555`,
    );
    s.template.resourcePropertiesCountIs('AWS::KMS::Key', { KeyUsage: 'SIGN_VERIFY' }, 0);
  });

  test.each([
    [
      'an attestation ttl below 30 s',
      { attestation: { ttl: Duration.seconds(10) } },
      /attestation.ttl must be whole seconds from 30 to 3600 \(got 10 seconds\)/,
    ],
    ['no allowed challenge', { challenges: { allowed: [] } }, /challenges.allowed must list one or more/],
    [
      'a malformed minimum version',
      { challenges: { minVersions: { faceMovementAndLight: '1.0' } } },
      /challenges.minVersions.faceMovementAndLight must be a version like 1.0.0/,
    ],
    [
      'a minimum for a challenge that is not allowed',
      { challenges: { minVersions: { faceMovement: '1.0.0' } } },
      /challenges.minVersions.faceMovement sets FaceMovementChallenge, which challenges.allowed does not list/,
    ],
    [
      'the replaced single minVersion',
      { challenges: { minVersion: '2.0.0' } as never },
      /challenges.minVersion is replaced by challenges.minVersions/,
    ],
    [
      'an issuer with whitespace',
      { attestation: { issuer: 'my issuer' } },
      /attestation.issuer must be 1–256 characters/,
    ],
    [
      'an audience with whitespace',
      { attestation: { audience: 'my app' } },
      /attestation.audience must be 1–256 characters/,
    ],
  ])('%s is refused at synth', (_name, props, message) => {
    expect(() => backend(props as FaceLivenessBackendProps)).toThrow(message);
  });

  test('grantConsumeVerdicts: one PutItem of CONSUMED# items naming only their attributes', () => {
    const s = backend();
    const consumer = new iam.Role(s.stack, 'Consumer', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    s.backend.grantConsumeVerdicts(consumer);
    const statements = (
      s.stack.resolve((consumer.node.findChild('DefaultPolicy') as iam.Policy).document) as {
        Statement: Array<Record<string, unknown>>;
      }
    ).Statement;
    expect(statements).toHaveLength(1);
    expect(statements[0]).toMatchObject({
      Action: 'dynamodb:PutItem',
      Condition: {
        'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['CONSUMED#*'] },
        'ForAllValues:StringEquals': { 'dynamodb:Attributes': ['pk', 'consumedAt', 'ttl'] },
        StringEqualsIfExists: { 'dynamodb:ReturnValues': ['NONE'] },
      },
    });
  });
});

describe('token-valued settings', () => {
  test('a CfnParameter as confidenceThreshold skips the range check and reaches the environment as a Ref', () => {
    const s = backend((stack) => ({
      confidenceThreshold: new CfnParameter(stack, 'Threshold', { type: 'Number', minValue: 0, maxValue: 100 })
        .valueAsNumber,
    }));
    expect(functionEnvironment(s)[HANDLER_ENV.CONFIDENCE_THRESHOLD]).toEqual({ Ref: 'Threshold' });
    // A deploy-time threshold is unknown at synth: no low-threshold warning is guessed.
    Annotations.fromStack(s.stack).hasNoWarning('*', Match.stringLikeRegexp('confidenceThreshold is'));
  });

  test('a token lockout duration reaches the environment intact', () => {
    const s = backend((stack) => ({
      lockout: {
        duration: Duration.seconds(new CfnParameter(stack, 'LockoutSeconds', { type: 'Number' }).valueAsNumber),
      },
    }));
    expect(functionEnvironment(s)[HANDLER_ENV.LOCKOUT_SECONDS]).toEqual({ Ref: 'LockoutSeconds' });
  });
});

describe('bring your own browser roles', () => {
  test('each brought role gets exactly StartFaceLivenessSession and execute-api:Invoke on the two routes; no identity pool', () => {
    const s = backend((stack) => ({ existingBrowserRoles: [role(stack, 'guest'), role(stack, 'signed-in')] }));
    s.template.resourceCountIs('AWS::Cognito::IdentityPool', 0);
    expect(s.backend.identityPool).toBeUndefined();
    expect(s.backend.authenticatedRole).toBeUndefined();
    const policies = Object.values(s.template.findResources('AWS::IAM::Policy')).filter((p) =>
      JSON.stringify(p.Properties.Roles).match(/guest|signed-in/),
    );
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
    expect(allowedActions(roleStatements(t, stack.getLogicalId(mine.node.defaultChild as iam.CfnRole)))).toEqual([
      'execute-api:Invoke',
      'rekognition:StartFaceLivenessSession',
    ]);
  });

  test('with cognito authorization, brought roles get no execute-api permission (the API does not check it)', () => {
    const s = backend((stack) => ({
      existingBrowserRoles: [role(stack, 'guest')],
      authorization: LivenessAuthorization.COGNITO,
      userPool: new cognito.UserPool(stack, 'Pool'),
    }));
    const policy = Object.values(s.template.findResources('AWS::IAM::Policy')).find(
      (p) => JSON.stringify(p.Properties.Roles) === '["guest"]',
    )!;
    expect(allowedActions(policy.Properties.PolicyDocument.Statement)).toEqual([
      'rekognition:StartFaceLivenessSession',
    ]);
  });

  test('cdk-nag finds nothing unacknowledged with brought roles', () => {
    const app = new App();
    const stack = new Stack(app, 'Nag', { env: ENV });
    new FaceLivenessBackend(stack, 'Liveness', { existingBrowserRoles: [role(stack, 'guest')] });
    const violations = [new AwsSolutionsChecks(), new ServerlessChecks()].flatMap((pack) =>
      pack.validateScope(app).violations.map((v) => v.ruleName),
    );
    expect(violations).toEqual([]);
  });
});

describe('bring your own user pool and key', () => {
  test('userPool with COGNITO authorization: the authorizer accepts that pool', () => {
    const s = backend((stack) => ({
      authorization: LivenessAuthorization.COGNITO,
      userPool: new cognito.UserPool(stack, 'Pool'),
    }));
    s.template.hasResourceProperties('AWS::ApiGateway::Authorizer', {
      Type: 'COGNITO_USER_POOLS',
      ProviderARNs: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^Pool'), 'Arn'] }],
    });
  });

  test('userPool with userPoolClient: the created identity pool trusts that client as its login provider', () => {
    const s = backend((stack) => {
      const userPool = new cognito.UserPool(stack, 'Pool');
      return { userPool, userPoolClient: userPool.addClient('Web') };
    });
    s.template.hasResourceProperties('AWS::Cognito::IdentityPool', {
      CognitoIdentityProviders: [Match.objectLike({ ClientId: { Ref: Match.stringLikeRegexp('^PoolWeb') } })],
    });
    s.template.resourceCountIs('AWS::Cognito::UserPoolClient', 1);
  });

  test('encryptionKey: the bucket and the table use the brought key, and no key is created', () => {
    const s = backend((stack) => ({ encryptionKey: new kms.Key(stack, 'MyKey') }));
    // The brought key, and the attestation signing key (SIGN_VERIFY), which is a different thing: no data key.
    s.template.resourceCountIs('AWS::KMS::Key', 2);
    s.template.resourcePropertiesCountIs('AWS::KMS::Key', { KeyUsage: Match.absent() }, 1);
    s.template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          Match.objectLike({
            ServerSideEncryptionByDefault: {
              SSEAlgorithm: 'aws:kms',
              KMSMasterKeyID: { 'Fn::GetAtt': [Match.stringLikeRegexp('^MyKey'), 'Arn'] },
            },
          }),
        ],
      },
    });
    s.template.hasResourceProperties('AWS::DynamoDB::Table', {
      SSESpecification: {
        KMSMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^MyKey'), 'Arn'] },
        SSEEnabled: true,
        SSEType: 'KMS',
      },
    });
    expect(functionEnvironment(s)[HANDLER_ENV.KMS_KEY_ID]).toEqual({
      'Fn::GetAtt': [expect.stringMatching(/^MyKey/), 'Arn'],
    });
  });

  test('encryptionKey without stored images still encrypts the table', () => {
    const s = backend((stack) => ({ encryptionKey: new kms.Key(stack, 'MyKey'), images: { store: false } }));
    s.template.resourceCountIs('AWS::S3::Bucket', 0);
    s.template.hasResourceProperties('AWS::DynamoDB::Table', {
      SSESpecification: Match.objectLike({ SSEType: 'KMS' }),
    });
  });
});

describe('combinations that cannot work fail at synth naming both props', () => {
  test.each<[string, (stack: Stack) => FaceLivenessBackendProps, RegExp]>([
    [
      'guest access with brought roles',
      (stack) => ({ existingBrowserRoles: [role(stack, 'guest')], allowGuestAccess: false }),
      /allowGuestAccess cannot be combined with existingBrowserRoles/,
    ],
    [
      'a user pool client with brought roles',
      (stack) => {
        const userPool = new cognito.UserPool(stack, 'Pool');
        return { existingBrowserRoles: [role(stack, 'guest')], userPool, userPoolClient: userPool.addClient('Web') };
      },
      /userPoolClient cannot be combined with existingBrowserRoles/,
    ],
    [
      'an empty list of brought roles',
      () => ({ existingBrowserRoles: [] }),
      /existingBrowserRoles must list at least one role/,
    ],
    [
      'a user pool client without its pool',
      (stack) => ({ userPoolClient: cognito.UserPoolClient.fromUserPoolClientId(stack, 'C', 'abc') }),
      /userPoolClient needs userPool/,
    ],
    [
      'cognito authorization without a user pool',
      () => ({ authorization: LivenessAuthorization.COGNITO }),
      /authorization LivenessAuthorization.COGNITO needs userPool/,
    ],
    [
      'a brought key with SSE-S3 images',
      (stack) => ({ encryptionKey: new kms.Key(stack, 'K'), images: { encryption: ImageEncryption.S3_MANAGED } }),
      /encryptionKey cannot be combined with images.encryption/,
    ],
    [
      'a created key without stored images',
      () => ({ images: { encryption: ImageEncryption.KMS, store: false } }),
      /images.encryption ImageEncryption.KMS needs images.store/,
    ],
    [
      'a brought bucket without stored images',
      (stack) => ({ images: { existingBucket: myBucket(stack), store: false } }),
      /images.existingBucket cannot be combined with images.store false/,
    ],
    [
      'a brought bucket with a retention',
      (stack) => ({ images: { existingBucket: myBucket(stack), retention: Duration.days(3) } }),
      /images.existingBucket cannot be combined with images.retention/,
    ],
    [
      'a brought bucket with an encryption',
      (stack) => ({ images: { existingBucket: myBucket(stack), encryption: ImageEncryption.KMS } }),
      /images.existingBucket cannot be combined with images.encryption/,
    ],
    [
      'a brought bucket with server access logs',
      (stack) => ({ images: { existingBucket: myBucket(stack), serverAccessLogs: false } }),
      /images.existingBucket cannot be combined with images.serverAccessLogs/,
    ],
    [
      'stage-wide method options with throttling',
      () => ({ stageOptions: { methodOptions: { '/*/*': { throttlingRateLimit: 1000 } } } }),
      /stageOptions.methodOptions '\/\*\/\*' cannot be combined with throttling/,
    ],
  ])('%s', (_name, props, message) => {
    expect(() => backend(props)).toThrow(message);
  });
});

describe('grantReadVerdicts', () => {
  test('GetItem on SESSION# and CONSUMED# keys only, nothing else on the table', () => {
    const stack = plainStack();
    const b = new FaceLivenessBackend(stack, 'Liveness');
    const reader = new iam.Role(stack, 'Reader', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    b.grantReadVerdicts(reader);
    const t = Template.fromStack(stack);
    const statements = roleStatements(t, stack.getLogicalId(reader.node.defaultChild as iam.CfnRole));
    expect(allowedActions(statements)).toEqual(['dynamodb:GetItem']);
    expect(statements[0]!.Condition).toEqual({
      'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['SESSION#*', 'CONSUMED#*'] },
    });
    expect(statements[0]!.Resource).toEqual(stack.resolve(b.sessionTable.tableArn));
  });

  test('with a customer-managed key, the reader may also decrypt with it', () => {
    const stack = plainStack();
    const b = new FaceLivenessBackend(stack, 'Liveness', { images: { encryption: ImageEncryption.KMS } });
    const reader = new iam.Role(stack, 'Reader', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    b.grantReadVerdicts(reader);
    const t = Template.fromStack(stack);
    expect(allowedActions(roleStatements(t, stack.getLogicalId(reader.node.defaultChild as iam.CfnRole)))).toEqual([
      'dynamodb:GetItem',
      'kms:Decrypt',
    ]);
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
    const latency = Object.values(s.template.findResources('AWS::CloudWatch::Alarm')).filter((a) =>
      /latency/i.test(JSON.stringify(a.Properties.AlarmDescription)),
    );
    expect(latency.length).toBeGreaterThan(0);
    for (const a of latency) expect(a.Properties.Threshold).toBe(2000);
  });
});

describe('bring your own image bucket', () => {
  test('no bucket is created, not even the access-log bucket', () => {
    const s = backend((stack) => ({ images: { existingBucket: myBucket(stack) } }));
    s.template.resourceCountIs('AWS::S3::Bucket', 0);
    expect(s.backend.accessLogBucket).toBeUndefined();
  });

  test("the functions (and so Rekognition's OutputConfig) name the brought bucket", () => {
    const s = backend((stack) => ({ images: { existingBucket: myBucket(stack) } }));
    expect(functionEnvironment(s)[HANDLER_ENV.IMAGE_BUCKET]).toBe('my-images');
    expect(s.backend.imageBucket?.bucketName).toBe('my-images');
  });

  test('the create function may put objects under the prefix of the brought bucket, and nothing else on S3', () => {
    const s = backend((stack) => ({ images: { existingBucket: myBucket(stack) } }));
    const statements = roleStatements(s.template, roleId(s.template, CREATE_ROLE));
    expect(allowedActions(statements).filter((a) => a.startsWith('s3:'))).toEqual(['s3:PutObject']);
    expect(s.stack.resolve(statementFor(statements, 's3:PutObject').Resource)).toEqual({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::my-images/liveness/*']],
    });
  });

  test('with exposeDetails the result function may get objects under the prefix (to presign), without it nothing on S3', () => {
    const withDetails = backend((stack) => ({ exposeDetails: true, images: { existingBucket: myBucket(stack) } }));
    const statements = roleStatements(withDetails.template, roleId(withDetails.template, RESULT_ROLE));
    expect(allowedActions(statements).filter((a) => a.startsWith('s3:'))).toEqual(['s3:GetObject']);
    const without = backend((stack) => ({ images: { existingBucket: myBucket(stack) } }));
    expect(
      allowedActions(roleStatements(without.template, roleId(without.template, RESULT_ROLE))).filter((a) =>
        a.startsWith('s3:'),
      ),
    ).toEqual([]);
  });

  test('a KMS-encrypted brought bucket with its encryptionKey: the functions may use the key as with a created one', () => {
    const s = backend((stack) => ({
      encryptionKey: new kms.Key(stack, 'MyKey'),
      images: { existingBucket: myBucket(stack) },
    }));
    // The brought key, and the attestation signing key (SIGN_VERIFY): no other data key.
    s.template.resourceCountIs('AWS::KMS::Key', 2);
    s.template.resourcePropertiesCountIs('AWS::KMS::Key', { KeyUsage: Match.absent() }, 1);
    const statements = roleStatements(s.template, roleId(s.template, CREATE_ROLE));
    expect(allowedActions(statements)).toEqual(expect.arrayContaining(['kms:Encrypt', 'kms:GenerateDataKey']));
    expect(statementFor(statements, 'kms:GenerateDataKey').Resource).toEqual({
      'Fn::GetAtt': [expect.stringMatching(/^MyKey/), 'Arn'],
    });
    expect(functionEnvironment(s)[HANDLER_ENV.KMS_KEY_ID]).toEqual({
      'Fn::GetAtt': [expect.stringMatching(/^MyKey/), 'Arn'],
    });
  });

  test('cdk-nag finds nothing unacknowledged with a brought bucket', () => {
    const app = new App();
    const stack = new Stack(app, 'Nag', { env: ENV });
    new FaceLivenessBackend(stack, 'Liveness', { exposeDetails: true, images: { existingBucket: myBucket(stack) } });
    const violations = [new AwsSolutionsChecks(), new ServerlessChecks()].flatMap((pack) =>
      pack.validateScope(app).violations.map((v) => v.ruleName),
    );
    expect(violations).toEqual([]);
  });
});

describe('function options', () => {
  const functions = (s: { template: Template }) =>
    Object.values(s.template.findResources('AWS::Lambda::Function')).map((f) => f.Properties);

  // In definition order: create session, get result, JWK Set.
  test('memorySize reaches the two API functions; the JWK Set function keeps its own 256 MB', () => {
    const s = backend({ functions: { memorySize: 1024 } });
    expect(functions(s).map((f) => f.MemorySize)).toEqual([1024, 1024, 256]);
  });

  test('reservedConcurrentExecutions reaches the two API functions, not the JWK Set function', () => {
    const s = backend({ functions: { reservedConcurrentExecutions: 7 } });
    expect(functions(s).map((f) => f.ReservedConcurrentExecutions)).toEqual([7, 7, undefined]);
  });

  test('jwksFunction sets the JWK Set function memory and reserved concurrency alone', () => {
    const s = backend({ jwksFunction: { memorySize: 128, reservedConcurrentExecutions: 3 } });
    expect(functions(s).map((f) => [f.MemorySize, f.ReservedConcurrentExecutions])).toEqual([
      [512, undefined],
      [512, undefined],
      [128, 3],
    ]);
  });

  test('the JWK Set function gets only its key, its SDK limits and its telemetry: no owner-ref key, table, bucket or other setting', () => {
    const s = backend({ exposeDetails: true, functions: { environment: { MY_FLAG: 'on' } } });
    const jwks = s.template.toJSON().Resources[
      s.stack.getLogicalId(s.backend.jwksFunction.node.defaultChild as lambda.CfnFunction)
    ].Properties.Environment.Variables as Record<string, unknown>;
    expect(Object.keys(jwks).sort()).toEqual(
      [
        HANDLER_ENV.ATTESTATION_KEY_ID,
        HANDLER_ENV.SDK_TIMEOUT_MS,
        HANDLER_ENV.SDK_MAX_ATTEMPTS,
        HANDLER_ENV.POWERTOOLS_SERVICE_NAME,
        HANDLER_ENV.POWERTOOLS_METRICS_NAMESPACE,
        HANDLER_ENV.POWERTOOLS_LOG_LEVEL,
        'NODE_OPTIONS',
      ].sort(),
    );
    expect(jwks[HANDLER_ENV.ATTESTATION_KEY_ID]).toEqual(s.stack.resolve(s.backend.attestationKey.keyArn));
    // The API functions keep theirs.
    expect(functionEnvironment(s)).toHaveProperty(HANDLER_ENV.OWNER_REF_KEY);
    expect(functionEnvironment(s)).toHaveProperty(HANDLER_ENV.SESSION_TABLE_NAME);
  });

  test('a VPC and security group reach all three functions', () => {
    const s = backend((stack) => {
      const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 });
      return { functions: { vpc, securityGroups: [new ec2.SecurityGroup(stack, 'Sg', { vpc })] } };
    });
    for (const f of functions(s))
      expect(f.VpcConfig.SecurityGroupIds).toEqual([{ 'Fn::GetAtt': [expect.stringMatching(/^Sg/), 'GroupId'] }]);
  });

  test("environment additions reach the two API functions (not the JWK Set function), and the construct's own variables win a clash", () => {
    const s = backend({
      functions: { environment: { MY_FLAG: 'on', [HANDLER_ENV.CONFIDENCE_THRESHOLD]: '1', NODE_OPTIONS: '--inspect' } },
    });
    const [create, result, jwks] = functions(s);
    expect(jwks.Environment.Variables).not.toHaveProperty('MY_FLAG');
    expect(jwks.Environment.Variables.NODE_OPTIONS).toBe('--enable-source-maps');
    for (const f of [create, result]) {
      expect(f.Environment.Variables).toMatchObject({
        MY_FLAG: 'on',
        [HANDLER_ENV.CONFIDENCE_THRESHOLD]: '80',
        NODE_OPTIONS: '--enable-source-maps',
      });
    }
  });

  test('what the construct requires is unchanged by options: runtime, architecture, handler, tracing, role, log group', () => {
    const s = backend((stack) => ({
      functions: {
        memorySize: 256,
        environment: { A: 'b' },
        vpc: new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 }),
      },
    }));
    for (const f of functions(s)) {
      expect(f).toMatchObject({
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
        TracingConfig: { Mode: 'Active' },
      });
      expect(f.Role).toEqual({
        'Fn::GetAtt': [expect.stringMatching(/^Liveness(CreateSession|GetResult|Jwks)Role/), 'Arn'],
      });
      expect(f.LoggingConfig.LogGroup).toEqual({
        Ref: expect.stringMatching(/^Liveness(CreateSession|GetResult|Jwks)LogGroup/),
      });
    }
  });
});

test('cdk-nag finds nothing unacknowledged with the functions in a VPC', () => {
  const app = new App();
  const stack = new Stack(app, 'Nag', { env: ENV });
  const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', {
    vpcId: 'vpc-1',
    availabilityZones: ['us-east-1a'],
    privateSubnetIds: ['subnet-1'],
  });
  new FaceLivenessBackend(stack, 'Liveness', { functions: { vpc } });
  expect(
    Template.fromStack(stack).findResources('AWS::Lambda::Function', {
      Properties: { VpcConfig: { SubnetIds: ['subnet-1'] } },
    }),
  ).not.toEqual({});
  const violations = [new AwsSolutionsChecks(), new ServerlessChecks()].flatMap((pack) =>
    pack.validateScope(app).violations.map((v) => v.ruleName),
  );
  expect(violations).toEqual([]);
});

describe('stage options', () => {
  test('description, variables and the cache cluster reach the stage', () => {
    const s = backend({
      stageOptions: {
        description: 'mine',
        variables: { color: 'blue' },
        cacheClusterEnabled: true,
        cacheClusterSize: '0.5',
      },
    });
    s.template.hasResourceProperties('AWS::ApiGateway::Stage', {
      Description: 'mine',
      Variables: { color: 'blue' },
      CacheClusterEnabled: true,
      CacheClusterSize: '0.5',
    });
  });

  test('stageOptions.tracingEnabled turns X-Ray tracing of the stage on (off by default)', () => {
    backend({}).template.hasResourceProperties('AWS::ApiGateway::Stage', { TracingEnabled: false });
    backend({ stageOptions: { tracingEnabled: true } }).template.hasResourceProperties('AWS::ApiGateway::Stage', {
      TracingEnabled: true,
    });
  });

  test("per-method options are added, while the stage-wide throttling and access logs stay the construct's", () => {
    const s = backend({
      throttling: { rateLimit: 50, burstLimit: 60 },
      stageOptions: { methodOptions: { '/sessions/POST': { throttlingRateLimit: 5, throttlingBurstLimit: 6 } } },
    });
    s.template.hasResourceProperties('AWS::ApiGateway::Stage', {
      StageName: 'v1',
      TracingEnabled: false,
      AccessLogSetting: Match.objectLike({
        DestinationArn: Match.anyValue(),
        Format: Match.stringLikeRegexp('requestId'),
      }),
      MethodSettings: Match.arrayWith([
        Match.objectLike({ ResourcePath: '/*', HttpMethod: '*', ThrottlingRateLimit: 50, ThrottlingBurstLimit: 60 }),
        Match.objectLike({
          ResourcePath: '/~1sessions',
          HttpMethod: 'POST',
          ThrottlingRateLimit: 5,
          ThrottlingBurstLimit: 6,
        }),
      ]),
    });
  });
});
