/** Both functions share one set of runtime defaults and get their configuration from HANDLER_ENV names only. */
import { HANDLER_ENV, handlerEnvironment } from '../../contract/handler-environment';
import { Stack } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3assets from 'aws-cdk-lib/aws-s3-assets';
import { handlerAssetPath, type HandlerName } from '../../lib/handler-assets';
import { DEFAULT_SETTINGS } from '../../bin/settings';
import { synth, type Synthesized } from './support/stack';

/** The three handler functions: create, result, JWK Set (with removalPolicy 'destroy', CDK adds the bucket auto-delete provider). */
function functions(s: Synthesized): Array<Record<string, any>> {
  const fns = Object.values(s.template.findResources('AWS::Lambda::Function'))
    .map((f) => f.Properties)
    .filter((p) => typeof p.Description === 'string' && p.Description.startsWith('Face Liveness:'));
  expect(fns).toHaveLength(3);
  return fns;
}

function env(s: Synthesized, which: 'createSessionFunction' | 'getResultFunction'): Record<string, unknown> {
  const arn = s.stack.resolve(s.stack.backend[which].functionArn);
  return s.template.toJSON().Resources[arn['Fn::GetAtt'][0]].Properties.Environment.Variables;
}

describe('functions, default settings', () => {
  let s: Synthesized;
  beforeAll(() => {
    s = synth();
  });

  test('run on the newest Node.js runtime, on arm64, with active tracing', () => {
    for (const fn of functions(s)) {
      expect(fn).toMatchObject({
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        TracingConfig: { Mode: 'Active' },
        Handler: 'index.handler',
      });
    }
  });

  test('have the documented memory (the JWK Set function its own) and the default timeout', () => {
    expect(functions(s).map((fn) => [fn.MemorySize, fn.Timeout])).toEqual([
      [512, 10],
      [512, 10],
      [256, 10],
    ]);
  });

  test('each logs to its own log group, kept 30 days and retained on deletion', () => {
    const resources = s.template.toJSON().Resources;
    const groups = functions(s).map((fn) => fn.LoggingConfig.LogGroup.Ref);
    expect(new Set(groups).size).toBe(3);
    for (const id of groups) {
      expect(resources[id]).toMatchObject({
        Type: 'AWS::Logs::LogGroup',
        Properties: { RetentionInDays: 30 },
        DeletionPolicy: 'Retain',
      });
    }
  });

  test('map stack traces through source maps', () => {
    for (const which of ['createSessionFunction', 'getResultFunction'] as const)
      expect(env(s, which).NODE_OPTIONS).toBe('--enable-source-maps');
  });

  test('get the default configuration, written by the one mapping (contract/handler-environment.ts)', () => {
    const bucket = s.stack.resolve(s.stack.backend.imageBucket!.bucketName);
    const table = s.stack.resolve(s.stack.backend.sessionTable.tableName);
    for (const which of ['createSessionFunction', 'getResultFunction'] as const) {
      expect(env(s, which)).toEqual({
        ...handlerEnvironment(DEFAULT_SETTINGS, { bucketName: bucket }, table, {
          keyArn: s.stack.resolve(s.stack.backend.attestationKey.keyArn),
          issuer: 'urn:face-liveness:Test:Test/Backend',
        }),
        // A dynamic reference to the generated secret: resolved by CloudFormation, the key itself is not in the template.
        [HANDLER_ENV.OWNER_REF_KEY]: {
          'Fn::Join': [
            '',
            ['{{resolve:secretsmanager:', { Ref: expect.stringMatching(/^BackendOwnerRefKey/) }, ':SecretString:::}}'],
          ],
        },
        NODE_OPTIONS: '--enable-source-maps',
      });
      // A few values by hand, so a mapping that wrote nothing would not pass.
      expect(env(s, which)).toMatchObject({
        [HANDLER_ENV.AUTH_MODE]: 'iam',
        [HANDLER_ENV.IMAGE_KEY_PREFIX]: 'liveness/',
        [HANDLER_ENV.CONFIDENCE_THRESHOLD]: '80',
        [HANDLER_ENV.LOCKOUT_MAX_SECONDS]: '86400',
        [HANDLER_ENV.POWERTOOLS_SERVICE_NAME]: 'face-liveness',
        [HANDLER_ENV.POWERTOOLS_METRICS_NAMESPACE]: 'FaceLiveness',
        [HANDLER_ENV.POWERTOOLS_LOG_LEVEL]: 'INFO',
        [HANDLER_ENV.ALLOWED_CHALLENGES]: 'FaceMovementAndLightChallenge',
        [HANDLER_ENV.ATTESTATION_ISSUER]: 'urn:face-liveness:Test:Test/Backend',
        [HANDLER_ENV.ATTESTATION_TTL_SECONDS]: '300',
      });
    }
  });

  test('never get the local-only endpoint overrides', () => {
    for (const which of ['createSessionFunction', 'getResultFunction'] as const) {
      expect(env(s, which)).not.toHaveProperty(HANDLER_ENV.REKOGNITION_ENDPOINT);
      expect(env(s, which)).not.toHaveProperty(HANDLER_ENV.S3_ENDPOINT);
      expect(env(s, which)).not.toHaveProperty(HANDLER_ENV.DYNAMODB_ENDPOINT);
    }
  });
});

/** The hash of the asset folder a function deploys, and the one of a prebuilt handler folder, hashed alike. */
function assetHashOf(fn: lambda.IFunction): string {
  return (fn.node.findChild('Code') as s3assets.Asset).assetHash;
}
function handlerAssetHash(name: HandlerName): string {
  return new s3assets.Asset(new Stack(), 'Asset', { path: handlerAssetPath(name) }).assetHash;
}

describe('functions, other settings', () => {
  test('traceAwsCalls deploys the traced handlers (Powertools Tracer); by default the untraced ones', () => {
    const traced = synth({ traceAwsCalls: true }).stack.backend;
    const plain = synth().stack.backend;
    expect(assetHashOf(traced.createSessionFunction)).toBe(handlerAssetHash('create-session-traced'));
    expect(assetHashOf(traced.getResultFunction)).toBe(handlerAssetHash('get-result-traced'));
    expect(assetHashOf(plain.createSessionFunction)).toBe(handlerAssetHash('create-session'));
    expect(assetHashOf(plain.getResultFunction)).toBe(handlerAssetHash('get-result'));
  });

  test('timeout and log retention follow the settings', () => {
    const s = synth({ functionTimeoutSeconds: 15, logRetentionDays: 90 });
    const resources = s.template.toJSON().Resources;
    for (const fn of functions(s)) {
      expect(fn.Timeout).toBe(15);
      expect(resources[fn.LoggingConfig.LogGroup.Ref].Properties.RetentionInDays).toBe(90);
    }
  });

  test('auth mode, threshold, origins, audit images and details follow the settings', () => {
    const s = synth({
      authMode: 'none',
      confidenceThreshold: 55.5,
      allowedOrigins: ['https://a.example.com', 'https://b.example.com'],
      defaultAuditImagesLimit: 2,
      exposeDetails: true,
    });
    expect(env(s, 'getResultFunction')).toMatchObject({
      [HANDLER_ENV.AUTH_MODE]: 'none',
      [HANDLER_ENV.CONFIDENCE_THRESHOLD]: '55.5',
      [HANDLER_ENV.ALLOWED_ORIGINS]: 'https://a.example.com,https://b.example.com',
      [HANDLER_ENV.DEFAULT_AUDIT_IMAGES_LIMIT]: '2',
      [HANDLER_ENV.EXPOSE_DETAILS]: 'true',
    });
  });

  test('the session table and the lockout follow the settings', () => {
    const s = synth({
      verdictRetentionDays: 90,
      lockoutMaxFailures: 3,
      lockoutWindowSeconds: 600,
      lockoutSeconds: 3600,
      lockoutBackoffFactor: 1.5,
      lockoutMaxSeconds: 7200,
    });
    for (const which of ['createSessionFunction', 'getResultFunction'] as const) {
      expect(env(s, which)).toMatchObject({
        [HANDLER_ENV.VERDICT_RETENTION_DAYS]: '90',
        [HANDLER_ENV.LOCKOUT_MAX_FAILURES]: '3',
        [HANDLER_ENV.LOCKOUT_WINDOW_SECONDS]: '600',
        [HANDLER_ENV.LOCKOUT_SECONDS]: '3600',
        [HANDLER_ENV.LOCKOUT_BACKOFF_FACTOR]: '1.5',
        [HANDLER_ENV.LOCKOUT_MAX_SECONDS]: '7200',
      });
    }
  });

  test('with KMS, the create function gets the key ARN to pass to Rekognition', () => {
    const s = synth({ imageEncryption: 'kms' });
    expect(env(s, 'createSessionFunction')[HANDLER_ENV.KMS_KEY_ID]).toEqual(
      s.stack.resolve(s.stack.backend.encryptionKey!.keyArn),
    );
  });

  test('without stored images, no bucket, prefix or key is configured', () => {
    const s = synth({ storeImages: false });
    for (const which of ['createSessionFunction', 'getResultFunction'] as const) {
      expect(env(s, which)).not.toHaveProperty(HANDLER_ENV.IMAGE_BUCKET);
      expect(env(s, which)).not.toHaveProperty(HANDLER_ENV.IMAGE_KEY_PREFIX);
      expect(env(s, which)).not.toHaveProperty(HANDLER_ENV.KMS_KEY_ID);
    }
  });

  test("removalPolicy 'destroy' also deletes the log groups", () => {
    const s = synth({ removalPolicy: 'destroy' });
    const resources = s.template.toJSON().Resources;
    for (const fn of functions(s)) expect(resources[fn.LoggingConfig.LogGroup.Ref].DeletionPolicy).toBe('Delete');
  });
});
